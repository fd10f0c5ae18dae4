import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

/** POST /tasks/{id}/complete: marks the task done, once (completedAt keeps the first time). */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const task = await ctx.transaction(async (tx) => {
    const current = await tx.tasks.get(request.params.id);
    if (!current || current.status === 'done') return current;
    const { id: _id, ...fields } = current;
    return tx.tasks.update(current.id, { ...fields, status: 'done', completedAt: new Date().toISOString() });
  });
  if (!task) throw new HttpError(404, `no task ${request.params.id}`);
  return { status: 200, body: task };
};
