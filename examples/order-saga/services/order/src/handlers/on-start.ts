import type { Context } from '../context.js';
import { runSaga } from './saga.js';

/** How long a pending order may take before a sweep takes it for interrupted (a saga takes seconds at most). */
const interruptedAfterMs = 60_000;
const sweepEveryMs = 30_000;

/**
 * Resumes the sagas a stop interrupted: orders still pending when this
 * service starts (it runs as one instance, so nothing else is placing them),
 * then, every 30 s, those pending for over a minute (a compensation that
 * could not finish, answered 202). Resuming repeats nothing that was done:
 * every step is recorded and every call is idempotent per order. Runs in the
 * background, so the service is ready without waiting for its callees.
 */
export async function onStart(ctx: Context): Promise<void> {
  const startedAt = new Date().toISOString();
  void resume(ctx, 'created_at < $1', [startedAt]);
  setInterval(() => void resume(ctx, 'created_at < now() - make_interval(secs => $1)', [interruptedAfterMs / 1000]), sweepEveryMs).unref();
}

async function resume(ctx: Context, olderThan: string, params: readonly unknown[]): Promise<void> {
  try {
    const pending = await ctx.sql.query<{ id: string }>(`SELECT id FROM orders WHERE status = 'pending' AND ${olderThan} ORDER BY created_at`, params);
    for (const { id } of pending) {
      const order = await ctx.orders.get(id);
      if (!order) continue;
      try {
        const resumed = await runSaga(ctx, order);
        ctx.log.info({ orderId: id, status: resumed.status }, 'interrupted order resumed');
      } catch (error) {
        ctx.log.warn({ err: error, orderId: id }, 'resuming the order failed; the next sweep tries again');
      }
    }
  } catch (error) {
    ctx.log.warn({ err: error }, 'looking for interrupted orders failed; the next sweep tries again');
  }
}
