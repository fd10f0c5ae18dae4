import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

/** POST /users/{id}/deactivate: the user stays, but can no longer be given tasks. */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const user = await ctx.transaction(async (tx) => {
    const current = await tx.users.get(request.params.id);
    if (!current) return undefined;
    const { id: _id, ...fields } = current;
    return tx.users.update(current.id, { ...fields, active: false });
  });
  if (!user) throw new HttpError(404, `no user ${request.params.id}`);
  return { status: 200, body: user };
};
