import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import { compensate } from './saga.js';

/**
 * POST /orders/{id}/cancel: the customer takes a confirmed order back. The
 * saga is undone from its last step (refund, then release) and OrderCancelled
 * says so. Cancelling a cancelled order answers it as it is; a pending one is
 * still being placed (409).
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const order = await ctx.orders.get(request.params.id);
  if (!order) throw new HttpError(404, `no order ${request.params.id}`);
  if (order.status === 'pending') throw new HttpError(409, 'the order is still being placed');
  if (order.status === 'cancelled') return { status: 200, body: order };
  return { status: 200, body: await compensate(ctx, order, 'confirm', 'cancelled by the customer') };
};
