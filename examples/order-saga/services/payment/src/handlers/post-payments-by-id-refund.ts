import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

/**
 * POST /payments/{id}/refund: refunds a charged payment and publishes
 * PaymentRefunded in the same transaction. Idempotent: a refunded (or
 * declined) payment is answered as it is.
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const payment = await ctx.transaction(async (tx) => {
    const [row] = await tx.sql.query<{ id: string }>('SELECT id FROM payments WHERE id = $1 FOR UPDATE', [request.params.id]);
    const current = row && (await tx.payments.get(row.id));
    if (!current || current.status !== 'charged') return current;
    const { id: _id, ...fields } = current;
    const refunded = await tx.payments.update(current.id, { ...fields, status: 'refunded' });
    await tx.publish('PaymentRefunded', { paymentId: current.id, orderId: current.orderId, amount: current.amount, currency: current.currency });
    return refunded;
  });
  if (!payment) throw new HttpError(404, `no payment ${request.params.id}`);
  return { status: 200, body: payment };
};
