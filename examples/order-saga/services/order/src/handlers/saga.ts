import { UpstreamError } from '../clients/http.js';
import type { Context, Tx } from '../context.js';
import type { Order } from '../entities/order.js';
import type { SagaStepInput } from '../entities/saga-step.js';

export type Step = SagaStepInput['step'];
type Outcome = SagaStepInput['outcome'];

export interface Line {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** The step that failed and why: the saga compensates and cancels the order with it. */
class StepFailed extends Error {
  constructor(
    readonly step: Step,
    reason: string,
  ) {
    super(reason);
  }
}

const record = (tx: Tx, orderId: string, step: Step, outcome: Outcome, detail: unknown = null) =>
  tx.sagaSteps.create({ orderId, step, outcome, detail, at: new Date().toISOString() });

async function update(tx: Tx, order: Order, change: Partial<Order>): Promise<Order> {
  const { id, ...fields } = order;
  return (await tx.orders.update(id, { ...fields, ...change }))!;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A compensation is repeated until it succeeds (it is idempotent); after the last attempt the order stays pending, to be resumed. */
async function repeat(what: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await what();
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

/**
 * Runs the saga of a pending order from where its recorded steps left it:
 * validate the user, reserve the stock, charge the payment, confirm. Each
 * step is recorded in SagaStep once done; a failed step is recorded, the
 * earlier ones are compensated in reverse order (refund, release) and the
 * order is cancelled with OrderCancelled naming the failed step. Every call
 * made is idempotent per order, so running it again after a crash (resume)
 * repeats nothing that was done.
 */
export async function runSaga(ctx: Context, start: Order): Promise<Order> {
  let order = start;
  const steps = await ctx.sql.query<{ step: Step; outcome: Outcome; detail: { creditLimit?: number | null } | null }>(
    'SELECT step, outcome, detail FROM saga_steps WHERE order_id = $1 ORDER BY at',
    [order.id],
  );
  const done = (step: Step) => steps.some((s) => s.step === step && s.outcome === 'done');
  const failed = steps.find((s) => s.outcome === 'failed');
  if (order.status !== 'pending') return order;
  if (failed) return compensate(ctx, order, failed.step, order.failureReason ?? 'failed');
  try {
    let creditLimit = steps.find((s) => s.step === 'validate_user')?.detail?.creditLimit ?? null;
    if (!done('validate_user')) {
      const user = await ctx.clients.user.getUser(order.userId).catch((error: unknown) => {
        throw new StepFailed('validate_user', reasonOf(error));
      });
      if (user?.status !== 'active') throw new StepFailed('validate_user', user ? `the user is ${user.status}` : 'no such user');
      creditLimit = user.creditLimit;
      await ctx.transaction((tx) => record(tx, order.id, 'validate_user', 'done', { creditLimit }));
    }
    if (!done('reserve_stock')) {
      // Held for 15 minutes; inventory answers the reservation already made for this order, if any.
      const hold = { orderId: order.id, lines: order.lines, status: 'held' as const, expiresAt: new Date(Date.now() + 15 * 60_000).toISOString() };
      const reservation = await ctx.clients.inventory.createReservation(hold).catch((error: unknown) => {
        throw new StepFailed('reserve_stock', reasonOf(error));
      });
      order = await ctx.transaction(async (tx) => {
        await record(tx, order.id, 'reserve_stock', 'done', { reservationId: reservation.id });
        return update(tx, order, { reservationId: reservation.id });
      });
    }
    if (!done('charge_payment')) {
      // `status` is what is asked for; the provider declines (402) an amount above the credit limit. Payment answers its earlier answer for this order, if any.
      const charge = { orderId: order.id, userId: order.userId, amount: order.total, currency: order.currency, status: 'charged' as const, creditLimit };
      const payment = await ctx.clients.payment.createPayment(charge).catch((error: unknown) => {
        // Declined (402): the payment exists, declined; nothing to refund.
        if (error instanceof UpstreamError && error.status === 402) throw new StepFailed('charge_payment', 'payment declined');
        throw new StepFailed('charge_payment', reasonOf(error));
      });
      order = await ctx.transaction(async (tx) => {
        await record(tx, order.id, 'charge_payment', 'done', { paymentId: payment.id });
        return update(tx, order, { paymentId: payment.id });
      });
    }
    return await ctx.transaction(async (tx) => {
      await record(tx, order.id, 'confirm', 'done');
      const confirmed = await update(tx, order, { status: 'confirmed' });
      await tx.publish('OrderConfirmed', { orderId: order.id, userId: order.userId, total: order.total, currency: order.currency, lines: order.lines });
      return confirmed;
    });
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    const failedStep = error.step;
    order = await ctx.transaction(async (tx) => {
      await record(tx, order.id, failedStep, 'failed', { reason: error.message });
      return update(tx, order, { failureReason: error.message });
    });
    return compensate(ctx, order, failedStep, error.message);
  }
}

/** Undoes the steps done before `failedStep`, newest first (refund, release), then cancels the order and publishes OrderCancelled. */
export async function compensate(ctx: Context, start: Order, failedStep: Step, reason: string): Promise<Order> {
  let order = start;
  const { paymentId, reservationId } = order;
  if (paymentId && failedStep === 'confirm') {
    await repeat(() => ctx.clients.payment.postPaymentsByIdRefund(paymentId, {}));
    await ctx.transaction((tx) => record(tx, order.id, 'charge_payment', 'compensated', { paymentId }));
  }
  if (reservationId) {
    await repeat(() => ctx.clients.inventory.postReservationsByIdRelease(reservationId, {}));
    await ctx.transaction((tx) => record(tx, order.id, 'reserve_stock', 'compensated', { reservationId }));
  }
  order = await ctx.transaction(async (tx) => {
    const cancelled = await update(tx, order, { status: 'cancelled', failureReason: reason });
    await tx.publish('OrderCancelled', { orderId: order.id, userId: order.userId, reason, failedStep });
    return cancelled;
  });
  ctx.log.info({ orderId: order.id, failedStep, reason }, 'order cancelled, earlier steps compensated');
  return order;
}
