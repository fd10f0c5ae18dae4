import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

interface Charge {
  readonly orderId: string;
  readonly userId: string;
  readonly amount: number;
  readonly currency: string;
  /** The customer's credit limit: the (simulated) provider declines a larger amount. Absent: no limit. */
  readonly creditLimit?: number | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(body: unknown): Charge {
  const c = body as Partial<Charge> | null;
  const valid =
    typeof c?.orderId === 'string' &&
    uuid.test(c.orderId) &&
    typeof c.userId === 'string' &&
    uuid.test(c.userId) &&
    typeof c.amount === 'number' &&
    c.amount > 0 &&
    typeof c.currency === 'string' &&
    (c.creditLimit == null || typeof c.creditLimit === 'number');
  if (!valid) throw new HttpError(400, 'expected { orderId: UUID, userId: UUID, amount: number > 0, currency, creditLimit?: number }');
  return c as Charge;
}

/**
 * POST /payments: charges the order's amount, once per order (a repeated
 * request gets the payment already made). The payment is stored either way;
 * a declined one answers 402 with it.
 */
export const handle: ApiHandler = async (request, ctx) => {
  const charge = parse(request.body);
  return ctx.transaction(async (tx) => {
    await tx.sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [charge.orderId]);
    const [existing] = await tx.sql.query<{ id: string }>('SELECT id FROM payments WHERE order_id = $1', [charge.orderId]);
    const payment = existing
      ? await tx.payments.get(existing.id)
      : await tx.payments.create({
          orderId: charge.orderId,
          userId: charge.userId,
          amount: charge.amount,
          currency: charge.currency,
          status: charge.creditLimit != null && charge.amount > charge.creditLimit ? 'declined' : 'charged',
          providerReference: `sim-${charge.orderId.slice(0, 8)}`,
        });
    return { status: payment?.status === 'declined' ? 402 : existing ? 200 : 201, body: payment };
  });
};
