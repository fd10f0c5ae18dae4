import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

interface Line {
  readonly sku: string;
  readonly quantity: number;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(body: unknown): { orderId: string; lines: Line[]; expiresAt: string } {
  const input = body as { orderId?: unknown; lines?: unknown; expiresAt?: unknown } | null;
  const lines = input?.lines;
  const valid =
    typeof input?.orderId === 'string' &&
    uuid.test(input.orderId) &&
    Array.isArray(lines) &&
    lines.length > 0 &&
    lines.every((l: Partial<Line> | null) => typeof l?.sku === 'string' && Number.isInteger(l.quantity) && (l.quantity as number) > 0);
  const expiresAt = typeof input?.expiresAt === 'string' ? new Date(input.expiresAt) : new Date(Date.now() + 15 * 60_000);
  if (!valid || Number.isNaN(expiresAt.getTime())) throw new HttpError(400, 'expected { orderId: UUID, lines: [{ sku, quantity: integer > 0 }], expiresAt?: date-time }');
  return { orderId: input.orderId as string, lines: lines as Line[], expiresAt: expiresAt.toISOString() };
}

/**
 * POST /reservations { orderId, lines, expiresAt? }: holds the stock of every line, or of
 * none (409 when a line cannot be covered). Idempotent per order: a repeated
 * request (a retry after a lost answer, a resumed saga) gets the reservation
 * already made.
 */
export const handle: ApiHandler = async (request, ctx) => {
  const { orderId, lines, expiresAt } = parse(request.body);
  return ctx.transaction(async (tx) => {
    // One reservation per order, even for two requests at once.
    await tx.sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [orderId]);
    const [existing] = await tx.sql.query<{ id: string }>('SELECT id FROM reservations WHERE order_id = $1', [orderId]);
    if (existing) return { status: 200, body: await tx.reservations.get(existing.id) };
    for (const line of lines) {
      const held = await tx.sql.query('UPDATE stock_items SET reserved = reserved + $2 WHERE sku = $1 AND on_hand - reserved >= $2 RETURNING id', [
        line.sku,
        line.quantity,
      ]);
      // Throwing rolls back the lines already held.
      if (held.length === 0) throw new HttpError(409, `not enough stock of ${line.sku}`);
    }
    const reservation = await tx.reservations.create({ orderId, lines, status: 'held', expiresAt });
    return { status: 201, body: reservation };
  });
};
