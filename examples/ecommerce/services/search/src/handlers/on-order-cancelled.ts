import type { EventHandler } from '../context.js';
import type { OrderCancelled } from '../events/envelope.js';

/** Marks the indexed order as cancelled. */
export const handle: EventHandler<OrderCancelled> = async (event, tx) => {
  await tx.sql.query(`UPDATE order_documents SET status = 'cancelled' WHERE order_id = $1`, [event.data.orderId]);
};
