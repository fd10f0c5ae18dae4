import type { Tx } from '../context.js';
import type { Order } from '../entities/order.js';

/** The order, locked until the transaction ends: a payment outcome and a cancellation of one order never interleave. */
export async function lockOrder(tx: Tx, id: string): Promise<Order | undefined> {
  await tx.sql.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
  return tx.orders.get(id);
}

/** Cancels the order and publishes OrderCancelled, so that inventory releases what it holds for it. */
export async function cancelOrder(tx: Tx, order: Order, reason: string): Promise<Order> {
  const cancelled = await tx.orders.update(order.id, { ...order, status: 'cancelled' });
  await tx.publish('OrderCancelled', { orderId: order.id, reservationId: order.reservationId, reason });
  return cancelled ?? order;
}
