import type { EventHandler } from '../context.js';
import type { UserDeleted } from '../events/envelope.js';

/** A user was deleted: the tasks assigned to them go with them. */
export const handle: EventHandler<UserDeleted> = async (event, tx, ctx) => {
  const removed = await tx.sql.query<{ id: string }>('DELETE FROM tasks WHERE assignee_id = $1 RETURNING id', [event.data.userId]);
  ctx.log.info({ userId: event.data.userId, tasks: removed.length }, 'removed the tasks of a deleted user');
};
