import type { Tx } from '../context.js';
import type { Reservation } from '../entities/reservation.js';
import { HttpError, notFound } from '../http/errors.js';

/** A line of a reservation: how much of a SKU it holds, and in which stock item (warehouse). */
export interface HeldItem {
  readonly sku: string;
  readonly quantity: number;
  readonly stockItemId: string;
}

/**
 * Ends a held reservation: `committed` takes its stock out of the warehouse
 * (the order was placed), `released` makes it available again (the order was
 * cancelled). Settling it again the same way changes nothing; the other way
 * is a 409. 404 when there is no such reservation.
 */
export async function settleReservation(tx: Tx, id: string, to: 'committed' | 'released'): Promise<Reservation> {
  await tx.sql.query('SELECT 1 FROM reservations WHERE id = $1 FOR UPDATE', [id]);
  const reservation = (await tx.reservations.get(id)) ?? notFound('Reservation', id);
  if (reservation.status === to) return reservation;
  if (reservation.status !== 'held') throw new HttpError(409, `a reservation that is ${reservation.status} cannot be ${to}`);
  const move =
    to === 'committed'
      ? 'UPDATE stock_items SET on_hand = on_hand - $2, reserved = reserved - $2 WHERE id = $1'
      : 'UPDATE stock_items SET reserved = reserved - $2 WHERE id = $1';
  for (const { stockItemId, quantity } of reservation.items as readonly HeldItem[]) await tx.sql.query(move, [stockItemId, quantity]);
  return (await tx.reservations.update(id, { ...reservation, status: to }))!;
}
