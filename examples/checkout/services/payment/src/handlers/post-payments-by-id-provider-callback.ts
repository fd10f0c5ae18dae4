import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import { lockPayment } from './payments.js';

interface ProviderOutcome {
  readonly outcome: 'confirmed' | 'failed';
  readonly reason?: string;
  readonly reference?: string;
}

function parse(body: unknown): ProviderOutcome {
  const answer = body as Partial<ProviderOutcome> | null;
  const valid =
    (answer?.outcome === 'confirmed' || answer?.outcome === 'failed') &&
    (answer.reason === undefined || typeof answer.reason === 'string') &&
    (answer.reference === undefined || typeof answer.reference === 'string');
  if (!valid) throw new HttpError(400, "expected { outcome: 'confirmed' | 'failed', reason?: string, reference?: string }");
  return answer as ProviderOutcome;
}

/**
 * POST /payments/{id}/provider-callback `{ outcome, reason?, reference? }`:
 * the card provider's verdict on a pending payment, published as
 * PaymentConfirmed or PaymentFailed. Providers repeat callbacks, so the same
 * verdict again is answered 200 and changes nothing; a different one is a 409.
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const { outcome, reason = 'declined by the card provider', reference } = parse(request.body);
  const payment = await ctx.transaction(async (tx) => {
    const payment = await lockPayment(tx, request.params.id);
    if (payment.status === outcome) return payment;
    if (payment.status !== 'pending') throw new HttpError(409, `a payment that is ${payment.status} cannot become ${outcome}`);
    const { id: paymentId, orderId, amount, currency } = payment;
    const providerReference = reference ?? payment.providerReference;
    if (outcome === 'confirmed') {
      await tx.publish('PaymentConfirmed', { paymentId, orderId, amount, currency });
      return tx.payments.update(paymentId, { ...payment, status: 'confirmed', providerReference });
    }
    await tx.publish('PaymentFailed', { paymentId, orderId, reason });
    return tx.payments.update(paymentId, { ...payment, status: 'failed', providerReference, failureReason: reason });
  });
  return { status: 200, body: payment };
};
