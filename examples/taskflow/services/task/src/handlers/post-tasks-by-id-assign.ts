import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import { checkAssignee } from './assignee.js';

/**
 * POST /tasks/{id}/assign { assigneeId, assignedBy }: gives the task to an
 * active user (asked of user, behind its breaker) and publishes TaskAssigned
 * with the change.
 */
export const handle: ApiHandler<{ readonly id: string }> = async (request, ctx) => {
  const body = request.body as { assigneeId?: unknown; assignedBy?: unknown } | null;
  if (typeof body?.assignedBy !== 'string') throw new HttpError(400, 'expected { assigneeId: UUID, assignedBy: UUID }');
  const assignedBy = body.assignedBy;
  const assigneeId = await checkAssignee(ctx, body.assigneeId);
  const task = await ctx.transaction(async (tx) => {
    const current = await tx.tasks.get(request.params.id);
    if (!current) return undefined;
    const { id: _id, ...fields } = current;
    const updated = await tx.tasks.update(current.id, { ...fields, assigneeId, status: current.status === 'todo' ? 'in_progress' : current.status });
    await tx.publish('TaskAssigned', { taskId: current.id, title: current.title, assigneeId, assignedBy });
    return updated;
  });
  if (!task) throw new HttpError(404, `no task ${request.params.id}`);
  return { status: 200, body: task };
};
