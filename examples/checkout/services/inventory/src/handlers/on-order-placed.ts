import type { EventHandler } from '../context.js';
import type { OrderPlaced } from '../events/envelope.js';
import { settleReservation } from './reservations.js';

/** The order was paid: its reserved stock leaves the warehouse. */
export const handle: EventHandler<OrderPlaced> = async (event, tx) => {
  await settleReservation(tx, event.data.reservationId, 'committed');
};
