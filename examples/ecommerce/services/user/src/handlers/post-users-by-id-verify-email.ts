import type { ApiHandler } from '../http/api.js';
import { notFound } from '../http/errors.js';

/**
 * POST /users/{id}/verify-email: the endpoint the link in the verification
 * mail leads to; records when the user proved the address is theirs.
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const user = (await ctx.users.get(request.params.id)) ?? notFound('User', request.params.id);
  const verified = await ctx.users.update(user.id, { ...user, emailVerifiedAt: user.emailVerifiedAt ?? new Date().toISOString() });
  return { status: 200, body: verified };
};
