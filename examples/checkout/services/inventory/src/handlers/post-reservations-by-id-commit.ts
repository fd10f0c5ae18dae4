import type { ApiHandler } from '../http/api.js';
import { settleReservation } from './reservations.js';

/** POST /reservations/{id}/commit: for support staff; takes the held stock out of the warehouse, as OrderPlaced does. */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const reservation = await ctx.transaction((tx) => settleReservation(tx, request.params.id, 'committed'));
  return { status: 200, body: reservation };
};
