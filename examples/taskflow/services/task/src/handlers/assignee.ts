import type { Context } from '../context.js';
import { HttpError } from '../http/errors.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks that `assigneeId` is an active user, asking the user service (short
 * timeout, circuit breaker: when user is down the client throws and the
 * request answers 503 at once). 422 when there is no such active user.
 */
export async function checkAssignee(ctx: Context, assigneeId: unknown): Promise<string> {
  if (typeof assigneeId !== 'string' || !uuid.test(assigneeId)) throw new HttpError(400, 'assigneeId must be a UUID');
  const user = await ctx.clients.user.getUser(assigneeId);
  if (!user?.active) throw new HttpError(422, 'the assignee is not an active user');
  return assigneeId;
}
