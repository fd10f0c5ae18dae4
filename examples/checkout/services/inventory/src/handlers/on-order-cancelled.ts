import type { EventHandler } from '../context.js';
import type { OrderCancelled } from '../events/envelope.js';
import { settleReservation } from './reservations.js';

/**
 * The order was cancelled: the stock held for it is available again. Without
 * a reservation id, the order gave up before hearing back from here, so what
 * may have been held for it is looked up by order (an order cancelled for want
 * of stock holds nothing).
 */
export const handle: EventHandler<OrderCancelled> = async (event, tx) => {
  const { orderId, reservationId } = event.data;
  const [held] = reservationId
    ? [{ id: reservationId }]
    : await tx.sql.query<{ id: string }>('SELECT id FROM reservations WHERE order_id = $1', [orderId]);
  if (held) await settleReservation(tx, held.id, 'released');
};
