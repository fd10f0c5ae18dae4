import type { ApiHandler } from '../http/api.js';
import { settleReservation } from './reservations.js';

/** POST /reservations/{id}/release: for support staff; makes the held stock available again, as OrderCancelled does. */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const reservation = await ctx.transaction((tx) => settleReservation(tx, request.params.id, 'released'));
  return { status: 200, body: reservation };
};
