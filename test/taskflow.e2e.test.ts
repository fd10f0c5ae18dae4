import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { prepareSystem, startSystem, type RunningSystem } from './support/running-system.js';

/**
 * examples/taskflow generated, installed (npm for task and user, pip for the
 * Python notification service) and run as real processes on NATS JetStream
 * and PostgreSQL, driven through its generated gateway with a signed JWT:
 * TaskCreated and TaskAssigned from the Node.js task service reach the Python
 * notification service; the task API fails fast while user is down and
 * recovers; notifications are recorded exactly once across a notification
 * crash; deleting a user removes their tasks.
 */

interface Response {
  readonly status: number;
  readonly body: any;
  readonly ms: number;
}

let system: RunningSystem;

async function call(sub: string, method: string, path: string, body?: unknown): Promise<Response> {
  const started = performance.now();
  const response = await fetch(`${system.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${system.token(sub)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), ms: performance.now() - started };
}

async function created(sub: string, path: string, body: unknown): Promise<any> {
  const response = await call(sub, 'POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const newUser = (sub: string, name: string): Promise<{ id: string }> =>
  created(sub, '/user/users', { email: `${name}@example.com`, displayName: name, role: 'member', active: true });

const newTask = (sub: string, createdBy: string, assigneeId?: string): Promise<Response> =>
  call(sub, 'POST', '/task/tasks', { title: 'Write the report', priority: 'high', createdBy, ...(assigneeId && { assigneeId }) });

const notificationsOf = async (taskIds: readonly string[]): Promise<[number, number]> => {
  const ids = taskIds.map((id) => `'${id}'`).join(',');
  const [count, distinct] = (await system.sql('notification', `SELECT count(*), count(DISTINCT task_id) FROM notifications WHERE task_id IN (${ids})`)).split('|');
  return [Number(count), Number(distinct)];
};

beforeAll(async () => {
  system = await startSystem(await prepareSystem('taskflow', 'nats'), 'postgres');
}, 600_000);

afterAll(async () => {
  await system?.close();
}, 60_000);

describe('taskflow on NATS: Node.js task and user, Python notification', () => {
  let ada: { id: string };
  let bob: { id: string };

  beforeAll(async () => {
    ada = await newUser('admin', 'ada');
    bob = await newUser('admin', 'bob');
  });

  it('TaskCreated and TaskAssigned reach the Python notification service', async () => {
    const task = await newTask('ada', ada.id, ada.id);
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    expect(task.body).toMatchObject({ status: 'todo', assigneeId: ada.id, createdBy: ada.id });
    const assigned = await call('ada', 'POST', `/task/tasks/${task.body.id}/assign`, { assigneeId: bob.id, assignedBy: ada.id });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body).toMatchObject({ assigneeId: bob.id, status: 'in_progress' });
    await eventually('both notifications recorded', async () => (await notificationsOf([task.body.id]))[0] === 2, 20_000);
    const rows = await system.sql('notification', `SELECT recipient_id, subject FROM notifications WHERE task_id = '${task.body.id}' ORDER BY created_at`);
    expect(rows.split('\n')).toEqual([`${ada.id}|New task: Write the report`, `${bob.id}|Assigned to you: Write the report`]);
    // Served by the Python service's CRUD, through the gateway.
    const listed = await call('ada', 'GET', '/notification/notifications');
    expect(listed.status).toBe(200);
    expect(listed.body.some((n: { taskId: string }) => n.taskId === task.body.id)).toBe(true);
  });

  it('refuses an assignee who is not an active user (422), and a bad body (400)', async () => {
    expect((await newTask('ada', ada.id, '00000000-0000-4000-8000-000000000000')).status).toBe(422);
    expect((await call('ada', 'POST', '/task/tasks', { title: 'x' })).status).toBe(400);
  });

  it('answers 503 while user is down, fails fast once the circuit is open, recovers after user is back', async () => {
    expect(await system.stop('user')).toEqual({ code: 0, signal: null });
    const first = await newTask('breaker', ada.id, ada.id);
    expect(first.status).toBe(503);
    expect(first.ms).toBeLessThan(800 + 500); // the user call's timeout budget, plus the rest of the request
    // Three consecutive failures open the circuit (circuitBreaker: { failures: 3 }).
    for (let i = 0; i < 3; i++) expect((await newTask('breaker', ada.id, ada.id)).status).toBe(503);
    const fast: number[] = [];
    for (let i = 0; i < 5; i++) {
      const open = await newTask('breaker', ada.id, ada.id);
      expect(open.status).toBe(503);
      fast.push(open.ms);
    }
    expect(Math.max(...fast)).toBeLessThan(50);
    // A task without an assignee does not need user.
    expect((await newTask('breaker', ada.id)).status).toBe(201);
    await system.start('user');
    // A trial call goes through every resetMs (15 s) until one succeeds. Each probe is another client, so the
    // gateway's rate limit (100/min per client) never answers for the breaker.
    let probe = 0;
    await eventually('tasks with an assignee accepted again', async () => {
      const response = await newTask(`recovery-${(probe += 1)}`, ada.id, ada.id);
      expect([201, 503]).toContain(response.status);
      return response.status === 201;
    }, 45_000);
  }, 120_000);

  it('records each notification exactly once across a notification crash: 100 tasks', async () => {
    await system.stop('notification', 'SIGKILL');
    const ids: string[] = [];
    // Ten clients, so none reaches the gateway's rate limit.
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => newTask(`bulk-${i}`, ada.id, bob.id)));
      for (const r of responses) {
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        ids.push(r.body.id);
      }
    }
    await system.start('notification');
    await eventually('100 notifications', async () => (await notificationsOf(ids))[0] >= 100, 60_000);
    // Nothing arrives twice, later either.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await notificationsOf(ids)).toEqual([100, 100]);
  }, 180_000);

  it('deleting a user removes the tasks assigned to them (UserDeleted)', async () => {
    const carol = await newUser('admin', 'carol');
    const tasks = await Promise.all([newTask('ada', ada.id, carol.id), newTask('ada', ada.id, carol.id)]);
    for (const t of tasks) expect(t.status).toBe(201);
    const mine = await newTask('ada', ada.id, ada.id);
    expect((await call('admin', 'DELETE', `/user/users/${carol.id}`)).status).toBe(204);
    expect((await call('admin', 'GET', `/user/users/${carol.id}`)).status).toBe(404);
    await eventually('carol\'s tasks removed', async () => (await call('ada', 'GET', `/task/tasks/${tasks[0]!.body.id}`)).status === 404, 20_000);
    expect((await call('ada', 'GET', `/task/tasks/${tasks[1]!.body.id}`)).status).toBe(404);
    expect((await call('ada', 'GET', `/task/tasks/${mine.body.id}`)).status).toBe(200);
  });
});
