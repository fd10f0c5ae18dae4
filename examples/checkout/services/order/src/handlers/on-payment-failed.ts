import type { EventHandler } from '../context.js';
import type { PaymentFailed } from '../events/envelope.js';
import { cancelOrder, lockOrder } from './orders.js';

/** The customer could not pay: the order is cancelled and inventory releases its stock. */
export const handle: EventHandler<PaymentFailed> = async (event, tx) => {
  const { orderId, paymentId, reason } = event.data;
  const order = await lockOrder(tx, orderId);
  if (!order) throw new Error(`order ${orderId} of payment ${paymentId} not found`);
  if (order.status === 'pending_payment') await cancelOrder(tx, order, `payment failed: ${reason}`);
};
