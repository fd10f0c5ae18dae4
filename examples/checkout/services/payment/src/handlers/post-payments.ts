import type { ApiHandler } from '../http/api.js';
import type { Payment } from '../entities/payment.js';
import { HttpError } from '../http/errors.js';

interface NewPayment {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(body: unknown): NewPayment {
  const payment = body as Partial<NewPayment> | null;
  const valid =
    typeof payment?.orderId === 'string' &&
    uuid.test(payment.orderId) &&
    typeof payment.amount === 'number' &&
    payment.amount > 0 &&
    typeof payment.currency === 'string' &&
    payment.currency !== '';
  if (!valid) throw new HttpError(400, 'expected { orderId: uuid, amount > 0, currency }');
  return payment as NewPayment;
}

/**
 * POST /payments `{ orderId, amount, currency }`: starts charging an order; the
 * payment stays pending until the card provider calls back. One payment per
 * order: asked again (a retried checkout), this answers the payment it made
 * the first time, with 200 instead of 201.
 */
export const handle: ApiHandler = async (request, ctx) => {
  const { orderId, amount, currency } = parse(request.body);
  return ctx.transaction(async (tx) => {
    // Two requests for one order at once: the second waits here, then finds the first one's payment.
    await tx.sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [orderId]);
    const [existing] = await tx.sql.query<Pick<Payment, 'id'>>('SELECT id FROM payments WHERE order_id = $1', [orderId]);
    if (existing) return { status: 200, body: await tx.payments.get(existing.id) };
    return { status: 201, body: await tx.payments.create({ orderId, amount, currency, status: 'pending' }) };
  });
};
