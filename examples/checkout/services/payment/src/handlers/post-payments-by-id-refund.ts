import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import { lockPayment } from './payments.js';

/**
 * POST /payments/{id}/refund: gives a confirmed payment back. Refunding a
 * refunded payment again answers 200 and changes nothing, so callers may retry.
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const refunded = await ctx.transaction(async (tx) => {
    const payment = await lockPayment(tx, request.params.id);
    if (payment.status === 'refunded') return payment;
    if (payment.status !== 'confirmed') throw new HttpError(409, `a payment that is ${payment.status} cannot be refunded`);
    return tx.payments.update(payment.id, { ...payment, status: 'refunded' });
  });
  return { status: 200, body: refunded };
};
