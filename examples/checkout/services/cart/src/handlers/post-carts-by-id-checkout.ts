import type { ApiHandler } from '../http/api.js';
import { HttpError, notFound } from '../http/errors.js';

/**
 * POST /carts/{id}/checkout: freezes an open cart and hands it over to order
 * with CartCheckedOut (its items and total), in one transaction: the cart is
 * checked out exactly when the event will leave.
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const { id } = request.params;
  const checkedOut = await ctx.transaction(async (tx) => {
    // Of two checkouts of one cart at once, the second waits here, then finds it checked out.
    await tx.sql.query('SELECT 1 FROM carts WHERE id = $1 FOR UPDATE', [id]);
    const cart = (await tx.carts.get(id)) ?? notFound('Cart', id);
    if (cart.status !== 'open') throw new HttpError(409, `a cart that is ${cart.status} cannot be checked out`);
    const items = await tx.sql.query<{ sku: string; quantity: number; unitPrice: number }>(
      'SELECT sku, quantity, unit_price AS "unitPrice" FROM cart_items WHERE cart_id = $1 ORDER BY created_at, id',
      [id],
    );
    if (items.length === 0) throw new HttpError(422, 'an empty cart cannot be checked out');
    // To the cent, without the dust of floating-point sums.
    const total = Math.round(items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) * 100) / 100;
    const frozen = await tx.carts.update(id, { ...cart, status: 'checked_out', updatedAt: new Date().toISOString() });
    await tx.publish('CartCheckedOut', { cartId: id, customerId: cart.customerId, items, total, currency: cart.currency });
    return { ...frozen, items, total };
  });
  return { status: 200, body: checkedOut };
};
