import type { ApiHandler } from '../http/api.js';
import { notFound } from '../http/errors.js';

/** POST /users/{id}/suspend: the customer may place no more orders (order's saga refuses them at validate_user). */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const user = (await ctx.users.get(request.params.id)) ?? notFound('User', request.params.id);
  const { id, ...fields } = user;
  return { status: 200, body: await ctx.users.update(id, { ...fields, status: 'suspended' }) };
};
