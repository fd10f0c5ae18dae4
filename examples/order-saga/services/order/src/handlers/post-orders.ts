import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import { runSaga, type Line } from './saga.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(body: unknown): { userId: string; lines: Line[]; currency: string } {
  const input = body as { userId?: unknown; lines?: unknown; currency?: unknown } | null;
  const lines = input?.lines;
  const valid =
    typeof input?.userId === 'string' &&
    uuid.test(input.userId) &&
    typeof input.currency === 'string' &&
    /^[A-Z]{3}$/.test(input.currency) &&
    Array.isArray(lines) &&
    lines.length > 0 &&
    lines.every(
      (l: Partial<Line> | null) =>
        typeof l?.sku === 'string' && Number.isInteger(l.quantity) && (l.quantity as number) > 0 && typeof l.unitPrice === 'number' && l.unitPrice >= 0,
    );
  if (!valid) throw new HttpError(400, 'expected { userId: UUID, currency: ISO code, lines: [{ sku, quantity: integer > 0, unitPrice: number >= 0 }] }');
  return { userId: input.userId as string, lines: lines as Line[], currency: input.currency as string };
}

/**
 * POST /orders: stores the order as pending, then places it by running the
 * saga. Answers 201 with the order as the saga left it: confirmed, or
 * cancelled with its failureReason (the earlier steps compensated). 202 when
 * a compensation could not finish yet: the order stays pending and is
 * resumed later.
 */
export const handle: ApiHandler = async (request, ctx) => {
  const { userId, lines, currency } = parse(request.body);
  const total = Math.round(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) * 100) / 100;
  const order = await ctx.orders.create({ userId, lines, total, currency, status: 'pending', reservationId: null, paymentId: null, failureReason: null });
  try {
    return { status: 201, body: await runSaga(ctx, order) };
  } catch (error) {
    ctx.log.error({ err: error, orderId: order.id }, 'saga interrupted; the order stays pending until resumed');
    return { status: 202, body: (await ctx.orders.get(order.id)) ?? order };
  }
};
