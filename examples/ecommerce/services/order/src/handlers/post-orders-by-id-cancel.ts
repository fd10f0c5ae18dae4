import type { ApiHandler } from '../http/api.js';
import { HttpError, notFound } from '../http/errors.js';

/** POST /orders/{id}/cancel: cancels an order not yet shipped; OrderCancelled gives the stock back. */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const reason = (request.body as { reason?: unknown } | undefined)?.reason;
  const cancelled = await ctx.transaction(async (tx) => {
    const order = (await tx.orders.get(request.params.id)) ?? notFound('Order', request.params.id);
    if (order.status !== 'created' && order.status !== 'paid') throw new HttpError(409, `an order that is ${order.status} cannot be cancelled`);
    const updated = await tx.orders.update(order.id, { ...order, status: 'cancelled' });
    const lines = await tx.sql.query<{ productId: string; quantity: number }>(
      'SELECT product_id AS "productId", quantity FROM order_lines WHERE order_id = $1',
      [order.id],
    );
    await tx.publish('OrderCancelled', { orderId: order.id, lines, reason: typeof reason === 'string' ? reason : null });
    return updated;
  });
  return { status: 200, body: cancelled };
};
