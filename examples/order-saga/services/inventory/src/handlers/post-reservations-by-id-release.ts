import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

/** POST /reservations/{id}/release: gives the held stock back. Idempotent: releasing a released reservation changes nothing. */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const reservation = await ctx.transaction(async (tx) => {
    const [row] = await tx.sql.query<{ id: string; status: string; lines: { sku: string; quantity: number }[] }>(
      'SELECT id, status, lines FROM reservations WHERE id = $1 FOR UPDATE',
      [request.params.id],
    );
    if (!row) return undefined;
    if (row.status === 'held') {
      for (const line of row.lines) await tx.sql.query('UPDATE stock_items SET reserved = reserved - $2 WHERE sku = $1', [line.sku, line.quantity]);
      await tx.sql.query(`UPDATE reservations SET status = 'released' WHERE id = $1`, [row.id]);
    }
    return tx.reservations.get(row.id);
  });
  if (!reservation) throw new HttpError(404, `no reservation ${request.params.id}`);
  return { status: 200, body: reservation };
};
