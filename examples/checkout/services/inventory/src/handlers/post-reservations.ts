import type { ApiHandler } from '../http/api.js';
import type { Reservation } from '../entities/reservation.js';
import { HttpError } from '../http/errors.js';
import type { HeldItem } from './reservations.js';

interface NewReservation {
  readonly orderId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly expiresAt?: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long stock is held when the caller does not say. */
const defaultHoldMs = 15 * 60_000;

function parse(body: unknown): NewReservation {
  const reservation = body as Partial<NewReservation> | null;
  const valid =
    typeof reservation?.orderId === 'string' &&
    uuid.test(reservation.orderId) &&
    Array.isArray(reservation.items) &&
    reservation.items.length > 0 &&
    reservation.items.every((i) => typeof i?.sku === 'string' && Number.isInteger(i.quantity) && i.quantity > 0) &&
    (reservation.expiresAt === undefined || !Number.isNaN(Date.parse(reservation.expiresAt)));
  if (!valid) throw new HttpError(400, 'expected { orderId: uuid, items: [{ sku, quantity > 0 }], expiresAt?: date-time }');
  return reservation as NewReservation;
}

/** The quantity of each SKU, in SKU order: every reservation locks stock items in the same order, so two never deadlock. */
function bySku(items: NewReservation['items']): [string, number][] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of items) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * POST /reservations `{ orderId, items: [{ sku, quantity }], expiresAt? }`:
 * holds the stock of every line (onHand - reserved must cover it), or of none
 * and answers 409 naming the SKU that is short. One reservation per order:
 * asked again (a retried checkout), this answers the one it made, with 200.
 */
export const handle: ApiHandler = async (request, ctx) => {
  const { orderId, items, expiresAt = new Date(Date.now() + defaultHoldMs).toISOString() } = parse(request.body);
  return ctx.transaction(async (tx) => {
    // Two requests for one order at once: the second waits here, then finds the first one's reservation.
    await tx.sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [orderId]);
    const [existing] = await tx.sql.query<Pick<Reservation, 'id'>>('SELECT id FROM reservations WHERE order_id = $1', [orderId]);
    if (existing) return { status: 200, body: await tx.reservations.get(existing.id) };

    const held: HeldItem[] = [];
    for (const [sku, quantity] of bySku(items)) {
      // Every stock item (warehouse) of the SKU, locked in id order; the hold comes from the one with the most available.
      const stock = await tx.sql.query<{ id: string; available: number }>(
        'SELECT id, on_hand - reserved AS available FROM stock_items WHERE sku = $1 ORDER BY id FOR UPDATE',
        [sku],
      );
      const [from] = stock.sort((a, b) => b.available - a.available);
      if (!from || from.available < quantity) throw new HttpError(409, `not enough stock of ${sku}`, { sku, quantity });
      await tx.sql.query('UPDATE stock_items SET reserved = reserved + $2 WHERE id = $1', [from.id, quantity]);
      held.push({ sku, quantity, stockItemId: from.id });
    }
    return { status: 201, body: await tx.reservations.create({ orderId, items: held, status: 'held', expiresAt }) };
  });
};
