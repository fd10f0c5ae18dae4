import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import { checkAssignee } from './assignee.js';

interface NewTask {
  readonly title: string;
  readonly description?: string | null;
  readonly priority?: 'low' | 'medium' | 'high';
  readonly assigneeId?: string | null;
  readonly createdBy: string;
  readonly dueDate?: string | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const priorities = ['low', 'medium', 'high'];

function parse(body: unknown): NewTask {
  const task = body as Partial<NewTask> | null;
  const valid =
    typeof task?.title === 'string' &&
    task.title.length > 0 &&
    typeof task.createdBy === 'string' &&
    uuid.test(task.createdBy) &&
    (task.priority === undefined || priorities.includes(task.priority)) &&
    (task.description === undefined || task.description === null || typeof task.description === 'string') &&
    (task.dueDate === undefined || task.dueDate === null || /^\d{4}-\d{2}-\d{2}$/.test(task.dueDate));
  if (!valid) throw new HttpError(400, 'expected { title, createdBy: UUID, priority?: low|medium|high, assigneeId?: UUID, description?, dueDate?: YYYY-MM-DD }');
  return task as NewTask;
}

/**
 * POST /tasks: creates a task in status todo. An assignee must be an active
 * user (asked of user synchronously); the task and TaskCreated are stored in
 * one transaction, so notification hears of exactly the tasks that exist.
 */
export const handle: ApiHandler = async (request, ctx) => {
  const input = parse(request.body);
  const assigneeId = input.assigneeId == null ? null : await checkAssignee(ctx, input.assigneeId);
  const task = await ctx.transaction(async (tx) => {
    const created = await tx.tasks.create({
      title: input.title,
      description: input.description ?? null,
      status: 'todo',
      priority: input.priority ?? 'medium',
      assigneeId,
      createdBy: input.createdBy,
      dueDate: input.dueDate ?? null,
    });
    await tx.publish('TaskCreated', {
      taskId: created.id,
      title: created.title,
      createdBy: created.createdBy,
      ...(assigneeId !== null && { assigneeId }),
      ...(created.dueDate !== null && { dueDate: created.dueDate }),
    });
    return created;
  });
  return { status: 201, body: task };
};
