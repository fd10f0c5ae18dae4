import type { ApiHandler } from '../http/api.js';
import { HttpError, notFound } from '../http/errors.js';
import { cancelOrder, lockOrder } from './orders.js';

/**
 * POST /orders/{id}/cancel `{ reason? }`: cancels an order still waiting for
 * its payment; inventory releases its stock on OrderCancelled, and a payment
 * confirmed later is refunded. A placed order is past cancelling (409).
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const { id } = request.params;
  const reason = (request.body as { reason?: unknown } | undefined)?.reason;
  const cancelled = await ctx.transaction(async (tx) => {
    const order = (await lockOrder(tx, id)) ?? notFound('Order', id);
    if (order.status !== 'pending_payment') throw new HttpError(409, `an order that is ${order.status} cannot be cancelled`);
    return cancelOrder(tx, order, typeof reason === 'string' ? reason : 'cancelled on request');
  });
  return { status: 200, body: cancelled };
};
