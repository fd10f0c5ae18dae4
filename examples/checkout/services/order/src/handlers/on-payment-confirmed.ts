import type { EventHandler } from '../context.js';
import type { PaymentConfirmed } from '../events/envelope.js';
import { lockOrder } from './orders.js';

/**
 * The customer paid: the order is placed and OrderPlaced tells inventory to
 * take the reserved stock. Money that arrives for an order cancelled
 * meanwhile goes back (refunding is idempotent, so a retry is harmless).
 */
export const handle: EventHandler<PaymentConfirmed> = async (event, tx, ctx) => {
  const { orderId, paymentId } = event.data;
  const order = await lockOrder(tx, orderId);
  // Not committed yet by the checkout that asked for this payment: try again later.
  if (!order) throw new Error(`order ${orderId} of payment ${paymentId} not found`);
  if (order.status === 'cancelled') {
    ctx.log.info({ orderId, paymentId }, 'payment confirmed for a cancelled order: refunding it');
    await ctx.clients.payment.postPaymentsByIdRefund(paymentId, { reason: 'order cancelled' });
    return;
  }
  if (order.status !== 'pending_payment') return;
  await tx.orders.update(order.id, { ...order, status: 'placed' });
  const { customerId, total, currency } = order;
  // An order waiting for its payment always holds a reservation: it is recorded together with the payment.
  await tx.publish('OrderPlaced', { orderId, customerId, reservationId: order.reservationId!, total, currency });
};
