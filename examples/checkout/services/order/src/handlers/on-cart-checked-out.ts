import { BrokenCircuitError } from 'cockatiel';
import type { EventHandler, Tx } from '../context.js';
import { UpstreamError } from '../clients/http.js';
import type { Order } from '../entities/order.js';
import type { CartCheckedOut } from '../events/envelope.js';
import { cancelOrder } from './orders.js';

interface CartItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** How long inventory holds the stock of an order waiting for its payment. */
const holdMs = 15 * 60_000;

/**
 * A cart was checked out: it becomes an order that holds its stock and waits
 * for its payment. Inventory and payment are asked synchronously, inside this
 * transaction. When one of them fails, this throws, nothing here is kept and
 * the event comes again later; the retry must not reserve or charge twice, so
 * the order takes the id of its cart (the same on every attempt) and both
 * answer a second request for an order with what they made for the first.
 * The order is cancelled instead when the stock is not there, or when a
 * circuit is open (the callee is known to be down: no point holding stock).
 */
export const handle: EventHandler<CartCheckedOut> = async (event, tx, ctx) => {
  const order = await openOrder(tx, event.data);
  if (!order) {
    ctx.log.warn({ cartId: event.data.cartId }, 'this cart was checked out before and already has its order');
    return;
  }
  const items = (event.data.items as readonly CartItem[]).map(({ sku, quantity }) => ({ sku, quantity }));
  try {
    const expiresAt = new Date(Date.now() + holdMs).toISOString();
    const reservation = await ctx.clients.inventory.createReservation({ orderId: order.id, items, status: 'held', expiresAt });
    const payment = await ctx.clients.payment.createPayment({ orderId: order.id, amount: order.total, currency: order.currency, status: 'pending' });
    await tx.orders.update(order.id, { ...order, reservationId: reservation.id, paymentId: payment.id });
  } catch (error) {
    if (error instanceof UpstreamError && error.service === 'inventory' && error.status === 409) {
      await cancelOrder(tx, order, 'out of stock');
    } else if (error instanceof BrokenCircuitError) {
      ctx.log.warn({ orderId: order.id, err: error }, 'cancelling the order: a service it needs is down');
      await cancelOrder(tx, order, 'could not be processed: a service it needs is down');
    } else {
      throw error;
    }
  }
};

/** Stores the order of a checked-out cart, with its items; undefined when the cart already has one. */
async function openOrder(tx: Tx, cart: CartCheckedOut): Promise<Order | undefined> {
  const [created] = await tx.sql.query<{ id: string }>(
    `INSERT INTO orders (id, cart_id, customer_id, status, total, currency) VALUES ($1, $1, $2, 'pending_payment', $3, $4)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [cart.cartId, cart.customerId, cart.total, cart.currency],
  );
  if (!created) return undefined;
  for (const { sku, quantity, unitPrice } of cart.items as readonly CartItem[]) {
    await tx.orderItems.create({ orderId: created.id, sku, quantity, unitPrice });
  }
  return tx.orders.get(created.id);
}
