import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';
import { devChild, environmentOf, exampleCopy, field, namespace, processesIn, type Unit } from './support/dev.js';
import { ensureNats, ensurePostgres, psql } from './support/services.js';

/**
 * `taskflow-gen dev` with a Python service: its embedded PGlite database
 * served over the PostgreSQL protocol by dev.
 */

const run = promisify(execFile);

/** taskflow with its Python notification service also publishing: NotificationQueued, from the consumer's transaction (outbox and relay). */
function taskflowPublishing(): { dir: string; name: string } {
  const copy = exampleCopy('taskflow', (yaml) =>
    yaml
      .replace('    subscribes: [TaskCreated, TaskAssigned]\n', '    subscribes: [TaskCreated, TaskAssigned]\n    publishes: [NotificationQueued]\n')
      .replace(/^events:\n/m, 'events:\n  NotificationQueued:\n    notificationId: uuid\n    recipientId: uuid\n'),
  );
  const handler = join(copy.dir, 'services', 'notification', 'app', 'handlers', 'notify.py');
  const code = readFileSync(handler, 'utf8').replace('    await tx.notifications.create(', '    created = await tx.notifications.create(');
  writeFileSync(handler, `${code}    await tx.publish("NotificationQueued", {"notificationId": str(created.id), "recipientId": recipient_id})\n`);
  return copy;
}

describe('taskflow-gen dev with a Python service', () => {
  it('gives taskflow\'s Python notification service a PGlite database of its own over the PostgreSQL protocol (nothing made on the machine\'s PostgreSQL), through which its API, consumers, outbox relay and migrations work under concurrent load; kept across a crash of the service, a crash of its PGlite server (supervised: back on its port, the service\'s pool reconnected) and a second run with no PostgreSQL reachable, wiped by --reset', async () => {
    await Promise.all([ensurePostgres(), ensureNats()]);
    const { dir, name } = taskflowPublishing();
    const prefix = name.replaceAll('-', '_');
    const pglite = join(dir, '.taskflow', 'dev', 'notification', 'pglite');
    // libpq's environment names the machine's PostgreSQL: dev leaves it alone all the same.
    const env = { ...process.env, NO_COLOR: '1', PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'postgres' };
    let dev = devChild(dir, ['--dashboard-port', '0'], env);
    const ns = namespace();
    try {
      await expect.poll(dev.output, { timeout: 500_000, interval: 500 }).toContain(' is ready in ');
      let output = dev.output();
      expect(output).toContain('✔ Python environment of notification (virtual environment and pip install -r services/notification/requirements.txt)');
      expect(output).toContain('✔ Embedded databases (PGlite; served on the PostgreSQL protocol to notification)');
      expect(await psql('postgres', `SELECT count(*) FROM pg_database WHERE datname LIKE '${prefix}%'`)).toBe('0');
      // Every database lives under .taskflow/dev (awaited: once, with two other dev runs beside it, task's PG_VERSION was not there yet at the ready line; cause not found).
      await expect.poll(() => ['task', 'user', 'notification'].map((s) => existsSync(join(dir, '.taskflow', 'dev', s, 'pglite', 'PG_VERSION'))), { timeout: 30_000 }).toEqual([true, true, true]);
      const dashboard = field(output, 'dashboard');
      const state = async (): Promise<{ units: Unit[]; events: { type: string; publisher?: string }[] }> => (await fetch(`${dashboard}api/state`)).json() as never;
      const unit = async (): Promise<Unit> => (await state()).units.find((u) => u.name === 'notification')!;
      const before = await unit();
      const serviceEnv = environmentOf(before.pid!);
      expect(serviceEnv['DATABASE_URL']).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(serviceEnv['DATABASE_PREPARED_STATEMENTS']).toBe('false');
      // The server: a child of dev leading its own process group, in the service's data folder.
      const server = processesIn(dir).find((p) => p.includes('pglite-server.js'));
      expect(server).toContain(pglite);
      const serverPid = Number(server!.split(' ')[0]);
      expect(readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]).toBe(String(serverPid));

      // The API writes a row; an event from task reaches the consumer, whose transaction records a
      // notification and NotificationQueued in the outbox, which the relay publishes.
      const notification = field(output, 'notification');
      const recipient = '6f1c1c62-9d63-4f0e-8a52-6b0b4a1f9f11';
      const posted = await fetch(`${notification}/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ recipientId: recipient, channel: 'email', subject: 'kept', body: 'b', status: 'queued' }) });
      expect(posted.status).toBe(201);
      const kept = ((await posted.json()) as { id: string }).id;
      const gateway = field(output, 'gateway');
      const auth = { authorization: `Bearer ${field(output, 'token')}`, 'content-type': 'application/json' };
      const user = (await (await fetch(`${gateway}/user/users`, { method: 'POST', headers: auth, body: JSON.stringify({ email: 'a@example.com', displayName: 'A', role: 'member', active: true }) })).json()) as { id: string };
      const task = await fetch(`${gateway}/task/tasks`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'wire', status: 'todo', priority: 'low', assigneeId: user.id, createdBy: user.id }) });
      expect(task.status).toBe(201);
      const subjects = async (): Promise<string[]> => ((await (await fetch(`${notification}/notifications`)).json()) as { subject: string }[]).map((n) => n.subject).sort();
      await expect.poll(subjects, { timeout: 30_000 }).toEqual(['New task: wire', 'kept']);
      await expect.poll(async () => (await state()).events.filter((e) => e.type === 'NotificationQueued').map((e) => e.publisher), { timeout: 30_000 }).toEqual(['notification']);

      // The service's own database layer, hard: ten pool connections, queries past psycopg's prepare
      // threshold, read-modify-write transactions under an advisory lock, the migrator alongside.
      const stress = await run(join(dir, '.taskflow', 'dev', 'notification', 'venv', 'bin', 'python'), [join(repoRoot, 'test', 'support', 'shared_backend.py')], {
        cwd: join(dir, 'services', 'notification'),
        env: { ...process.env, PYTHONPATH: '.', DATABASE_URL: serviceEnv['DATABASE_URL']!, DATABASE_PREPARED_STATEMENTS: 'false' },
        timeout: 120_000,
      });
      expect(JSON.parse(stress.stdout)).toEqual({ counter: 100, expected: 100, errors: [] });

      // Killed, the service is restarted on the same database, and its row is there.
      process.kill(before.pid!, 'SIGKILL');
      await expect.poll(dev.output, { timeout: 15_000 }).toMatch(/^notification +│ crashed on :\d+: killed by SIGKILL; restarting in 0\.5 s/m);
      await expect.poll(async () => (await unit()).state, { timeout: 60_000 }).toBe('ready');
      expect((await fetch(`${notification}/notifications/${kept}`)).status).toBe(200);

      // Its PGlite server killed: dev says notification's database is down and restarts the server on
      // the same port and data, where the running service's DATABASE_URL points; its pool reconnects.
      const service = (await unit()).pid!;
      const databasePort = Number(/:(\d+)\/postgres$/.exec(serviceEnv['DATABASE_URL']!)![1]);
      const runFile = join(dir, '.taskflow', 'dev', 'run.json');
      const recorded = (): number[] => (JSON.parse(readFileSync(runFile, 'utf8')) as { groups: { pid: number }[] }).groups.map((g) => g.pid);
      expect(recorded()).toContain(serverPid);
      process.kill(serverPid, 'SIGKILL');
      await expect.poll(dev.output, { timeout: 15_000 }).toMatch(new RegExp(`^notification-pglite │ crashed on :${databasePort}: killed by SIGKILL; restarting in 0\\.5 s$`, 'm'));
      expect(dev.output()).toContain(`! notification's database is down (its PGlite server, notification-pglite: killed by SIGKILL; restarting in 0.5 s); it comes back on :${databasePort} with its data, where notification's DATABASE_URL points`);
      await expect.poll(dev.output, { timeout: 60_000 }).toContain(`✔ notification's database is back: notification-pglite serves it again on :${databasePort} (restarts: 1)`);
      const restarted = (await state()).units.find((u) => u.name === 'notification-pglite')!;
      expect(restarted).toMatchObject({ state: 'ready', port: databasePort, restarts: 1 });
      expect(restarted.pid).not.toBe(serverPid);
      expect(processesIn(dir).find((p) => p.includes('pglite-server.js'))).toMatch(new RegExp(`^${restarted.pid} .*pglite-server\\.js ${pglite} ${databasePort} $`));
      expect(recorded()).toContain(restarted.pid);
      expect(recorded()).not.toContain(serverPid);
      // The row written before the kill, read through the API; a new write; the same service process throughout.
      await expect.poll(async () => (await fetch(`${notification}/notifications/${kept}`)).status, { timeout: 30_000 }).toBe(200);
      expect(((await (await fetch(`${notification}/notifications/${kept}`)).json()) as { subject: string }).subject).toBe('kept');
      const after = await fetch(`${notification}/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ recipientId: recipient, channel: 'push', subject: 'after the restart', body: 'b', status: 'queued' }) });
      expect(after.status).toBe(201);
      expect(await subjects()).toEqual(['New task: wire', 'after the restart', 'kept']);
      expect((await unit()).pid).toBe(service);

      dev.child.kill('SIGTERM');
      expect(await dev.exited).toBe(0);
      expect(dev.output()).toContain('stopping the PGlite servers of the Python services');
      expect(dev.output()).toMatch(/^notification-pglite │ stopped on :\d+ \(restarts: 1\)$/m);
      await expect.poll(() => processesIn(dir), { timeout: 10_000 }).toEqual([]);
      expect(existsSync(runFile)).toBe(false);

      // No PostgreSQL reachable at all (a network namespace: only its loopback; dev starts NATS itself).
      // From inside the namespace, where the services listen.
      const inside = async (url: string): Promise<string> => {
        const probe = `fetch(${JSON.stringify(url)}).then(async (r) => console.log(r.status, await r.text()))`;
        const [file, ...args] = ns.exec([process.execPath, '-e', probe]);
        return (await run(file!, args)).stdout.trim();
      };
      const venv = statSync(join(dir, '.taskflow', 'dev', 'notification', 'venv', 'pyvenv.cfg')).mtimeMs;
      for (const reset of [false, true]) {
        dev = devChild(dir, ['--dashboard-port', '0', ...(reset ? ['--reset'] : [])], { ...env, PGHOST: '', PGPORT: '' }, ns.exec([process.execPath]));
        await expect.poll(dev.output, { timeout: 300_000, interval: 500 }).toContain(' is ready in ');
        output = dev.output();
        expect(output).toContain('↓ Python environment of notification (virtual environment and pip install -r services/notification/requirements.txt) [SKIPPED: requirements unchanged since they were installed]');
        expect(output).toContain('↓ Install dependencies (npm install at the root of the workspace) [SKIPPED: Dependencies installed]');
        expect(output).toContain('↓ Build [SKIPPED: Build: nothing changed since the last build]');
        expect(statSync(join(dir, '.taskflow', 'dev', 'notification', 'venv', 'pyvenv.cfg')).mtimeMs).toBe(venv);
        expect(output).toMatch(/nats-server started by dev on 127\.0\.0\.1:/);
        expect(await inside(`${field(output, 'notification')}/notifications/${kept}`)).toMatch(reset ? /^404 / : /^200 .*"subject":"kept"/);
        dev.child.kill('SIGTERM');
        expect(await dev.exited).toBe(0);
        expect(processesIn(dir)).toEqual([]);
      }
    } finally {
      dev.child.kill('SIGTERM');
      await dev.exited;
      ns.remove();
      if (processesIn(dir).length === 0) rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
