import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

/** DELETE /users/{id}: deletes the user and publishes UserDeleted in the same transaction (task removes their tasks). */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const deleted = await ctx.transaction(async (tx) => {
    if (!(await tx.users.remove(request.params.id))) return false;
    await tx.publish('UserDeleted', { userId: request.params.id, deletedAt: new Date().toISOString() });
    return true;
  });
  if (!deleted) throw new HttpError(404, `no user ${request.params.id}`);
  return { status: 204 };
};
