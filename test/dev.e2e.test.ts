import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from './support/cli.js';
import { ensureNats, ensurePostgres, ensureRabbitMq, freePort, psql } from './support/services.js';
import { terminal, type Terminal } from './support/terminal.js';

/**
 * `taskflow-gen dev` as a user runs it: on the ecommerce example in a real
 * terminal (tmux), its dashboard in headless Chromium, a service killed and
 * restarted, Ctrl-C leaving nothing behind; NATS started by dev itself in a
 * network namespace where no broker answers; and no broker at all.
 */

const run = promisify(execFile);
const chromiumPath = '/usr/bin/chromium';

/** A copy of an example with a unique system name (broker objects of parallel runs never mix). */
function exampleCopy(example: string, edit: (yaml: string) => string): { dir: string; name: string } {
  const dir = mkdtempSync(join(tmpdir(), `tf-dev-${example}-`));
  cpSync(join(repoRoot, 'examples', example), dir, { recursive: true });
  const name = `dev${randomBytes(3).toString('hex')}-${example}`;
  const file = join(dir, 'system.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8').replace(/^name: .*$/m, `name: ${name}`)));
  return { dir, name };
}

/**
 * Every process whose working directory is inside `dir`: what dev started
 * (services, a broker) runs there. The terminal's own shell, which waits
 * there after dev exits (`sleep 120`, see test/support/terminal.ts), is not one.
 */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir) && command !== 'sleep 120 ') found.push(`${pid} ${command}`);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function field(screen: string, label: string): string {
  const match = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(screen);
  if (!match) throw new Error(`no '${label}' line in dev's output:\n${screen}`);
  return match[1]!;
}

interface Unit {
  name: string;
  state: string;
  port: number;
  restarts: number;
  pid?: number;
}

describe('taskflow-gen dev on ecommerce (RabbitMQ), in a terminal', () => {
  let scratch: string;
  let dir: string;
  let term: Terminal;
  let session: string;
  let squatter: Server;
  let takenPort: number;
  let screen: string;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: the dev dashboard test needs Debian's chromium (apt-get install chromium, or npm test's prerequisites step)`);
    await ensureRabbitMq();
    takenPort = await freePort();
    ({ dir } = exampleCopy('ecommerce', (yaml) => yaml.replace(/^(\s+port:\s*)8080\b/m, `$1${takenPort}`)));
    expect(readFileSync(join(dir, 'system.yaml'), 'utf8')).toContain(`port: ${takenPort}`);
    // The gateway's declared port is taken: dev must choose another one and say so.
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(takenPort, '0.0.0.0', resolve));
    scratch = mkdtempSync(join(tmpdir(), 'tf-dev-term-'));
    term = terminal(scratch, 'dev');
    term.requireTmux();
    session = term.start(dir, ['dev', '--watch']);
    // From nothing: generate, npm install, build, PGlite databases, five processes.
    screen = await term.waitFor(session, ' is ready in ', 1, 400_000);
  }, 420_000);

  afterAll(async () => {
    term?.closeAll();
    await new Promise((resolve) => squatter?.close(resolve));
    if (dir && processesIn(dir).length === 0) rmSync(dir, { recursive: true, force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('says the gateway port was taken, and serves the gateway on the port it printed', () => {
    const gateway = field(screen, 'gateway');
    expect(screen).toContain(`port ${takenPort} of gateway is taken`);
    expect(gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway).not.toContain(`:${takenPort}`);
    expect(screen).toMatch(/is ready in [\d.]+ s: http:\/\/127\.0\.0\.1:\d+/);
    for (const service of ['user', 'product', 'order', 'search']) expect(screen).toMatch(new RegExp(`^\\s+${service}\\s+http://127\\.0\\.0\\.1:\\d+\\s+OpenAPI http://127\\.0\\.0\\.1:\\d+/openapi\\.json`, 'm'));
    expect(screen).toMatch(/logs\s+\.taskflow\/dev\/logs/);
    expect(screen).toMatch(/data\s+\.taskflow\/dev\/<service>\/pglite/);
  });

  it('places an order through the gateway with the printed token and the printed curl works', async () => {
    const gateway = field(screen, 'gateway');
    const token = field(screen, 'token');
    const curl = /^\s+try\s+(curl .+)$/m.exec(screen)![1]!;
    const tried = spawnSync('sh', ['-c', `${curl} -s -o /dev/null -w '%{http_code}'`], { encoding: 'utf8' });
    expect(tried.stdout).toBe('200');

    const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
      const response = await fetch(`${gateway}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const dashboardUrl = field(screen, 'dashboard');
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(dashboardUrl);
      // The graph, drawn by Mermaid in the page, with every process coloured as ready.
      await page.waitForSelector('#graph svg', { timeout: 30_000 });
      await expect.poll(() => page.locator('#graph svg g.node.ready').count(), { timeout: 15_000 }).toBe(5);
      await expect.poll(() => page.locator('#processes tr').count()).toBe(5);
      // Each service's endpoints and OpenAPI address, as dev printed them.
      const orderRow = page.locator('#processes tr[data-service="order"]');
      expect(await orderRow.locator('a', { hasText: 'openapi.json' }).getAttribute('href')).toBe(`${field(screen, 'order')}/openapi.json`);
      expect(await orderRow.locator('details').textContent()).toMatch(/endpoints.*POST \/orders/);

      const user = await call('POST', '/user/users', { email: 'ada@example.com', name: 'Ada', marketingOptIn: false });
      expect(user.status, JSON.stringify(user.body)).toBe(201);
      const address = await call('POST', '/user/addresses', { userId: user.body.id, line1: '1 Analytical Row', city: 'London', postalCode: 'N1', country: 'GB', isDefault: true });
      expect(address.status).toBe(201);
      const product = await call('POST', '/product/products', { sku: 'ENGINE-1', name: 'Difference Engine', price: 12.5, currency: 'EUR', stock: 10, category: 'machines', active: true });
      expect(product.status).toBe(201);
      const order = await call('POST', '/order/orders', { userId: user.body.id, shippingAddressId: address.body.id, currency: 'EUR', lines: [{ productId: product.body.id, quantity: 2 }] });
      expect(order.status, JSON.stringify(order.body)).toBe(201);

      // The OrderCreated event, as dev tapped it from the broker, in the page's live feed.
      const created = page.locator('#feed li[data-type="OrderCreated"]');
      await created.first().waitFor({ timeout: 15_000 });
      expect(await created.first().textContent()).toContain(order.body.id);
      expect(await created.first().textContent()).toContain('from order');
      await expect.poll(async () => (await call('GET', `/product/products/${product.body.id}`)).body.stock, { timeout: 15_000 }).toBe(8);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('restarts a killed service while the others keep answering', async () => {
    const gateway = field(screen, 'gateway');
    const token = field(screen, 'token');
    const dashboard = field(screen, 'dashboard');
    const units = async (): Promise<Unit[]> => ((await (await fetch(`${dashboard}api/state`)).json()) as { units: Unit[] }).units;
    const get = async (path: string): Promise<number> => (await fetch(`${gateway}${path}`, { headers: { authorization: `Bearer ${token}` } })).status;
    const product = (await units()).find((u) => u.name === 'product')!;
    expect(product.state).toBe('ready');
    process.kill(product.pid!, 'SIGKILL');
    await term.waitFor(session, 'product │ crashed on :', 1, 10_000);
    // While product is down or coming back, user and order answer.
    expect(await get('/user/users')).toBe(200);
    expect(await get('/order/orders')).toBe(200);
    await expect.poll(async () => (await units()).find((u) => u.name === 'product')!.state, { timeout: 60_000 }).toBe('ready');
    const again = (await units()).find((u) => u.name === 'product')!;
    expect(again.restarts).toBe(1);
    expect(again.pid).not.toBe(product.pid);
    // The status block at the bottom of the terminal: one line per process, its state, port and restarts.
    const shown = await term.waitFor(session, 'restarts 1', 1, 10_000);
    const block = shown.trimEnd().split('\n').slice(-5).map((l) => l.trim().replace(/\s+/g, ' '));
    const ports = Object.fromEntries((await units()).map((u) => [u.name, u.port]));
    expect(block).toEqual(['user', 'product', 'search', 'order', 'gateway'].map((n) => `${n} │ ready :${ports[n]} restarts ${n === 'product' ? 1 : 0}`));
    expect(await get('/product/products')).toBe(200);
    expect(await get('/user/users')).toBe(200);
  }, 90_000);

  it('--watch: a change under a service\'s src/ rebuilds and restarts that service alone', async () => {
    const dashboard = field(screen, 'dashboard');
    const units = async (): Promise<Unit[]> => ((await (await fetch(`${dashboard}api/state`)).json()) as { units: Unit[] }).units;
    const before = await units();
    const user = before.find((u) => u.name === 'user')!;
    writeFileSync(join(dir, 'services', 'user', 'src', 'watch-probe.ts'), 'export const probe: number = 1;\n');
    await term.waitFor(session, 'user: files changed, rebuilding', 1, 10_000);
    await expect.poll(async () => (await units()).find((u) => u.name === 'user')!.pid, { timeout: 60_000 }).not.toBe(user.pid);
    await expect.poll(async () => (await units()).find((u) => u.name === 'user')!.state, { timeout: 60_000 }).toBe('ready');
    expect(readFileSync(join(dir, 'services', 'user', 'dist', 'src', 'watch-probe.js'), 'utf8')).toContain('export const probe = 1;');
    const after = await units();
    for (const other of before.filter((u) => u.name !== 'user')) expect(after.find((u) => u.name === other.name)!.pid).toBe(other.pid);
  }, 90_000);

  it('killed outright (SIGKILL), dev leaves its processes; the next run stops them first and serves again', async () => {
    const devPid = (pids: string[]): number => Number(pids.find((p) => p.includes(cliPath) && / dev /.test(p))!.split(' ')[0]);
    const first = processesIn(dir);
    const killed = devPid(first);
    process.kill(killed, 'SIGKILL');
    expect(await term.waitFor(session, 'EXIT=', 1, 10_000)).toContain('EXIT=137');
    const left = processesIn(dir).map((p) => Number(p.split(' ')[0]));
    expect(left.length).toBeGreaterThanOrEqual(5);

    session = term.start(dir, ['dev']);
    screen = await term.waitFor(session, ' is ready in ', 1, 180_000);
    expect(screen).toMatch(/stopped \d+ process group\(s\) an earlier dev run left running when it was killed/);
    const now = processesIn(dir).map((p) => Number(p.split(' ')[0]));
    expect(now.filter((pid) => left.includes(pid))).toEqual([]);
    expect(devPid(processesIn(dir))).not.toBe(killed);
    // A second dev on the same system while this one runs is refused, and stops nothing.
    const second = spawnSync(process.execPath, [cliPath, 'dev'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/dev is already running for this system \(pid \d+\)/);
    expect(processesIn(dir).map((p) => Number(p.split(' ')[0])).sort()).toEqual([...now].sort());
  }, 240_000);

  it('stops everything on Ctrl-C: no process it started is left', async () => {
    expect(processesIn(dir).length).toBeGreaterThanOrEqual(5);
    term.keys(session, 'C-c');
    const end = await term.waitFor(session, 'EXIT=', 1, 30_000);
    expect(end).toContain('EXIT=0');
    expect(end).toContain('stopped; logs in');
    // In reverse order of the start: the gateway, then order (it calls the others), then the services it calls.
    const stopping = end.slice(end.lastIndexOf('stopping: gateway first'));
    const at = (name: string): number => stopping.search(new RegExp(`^${name} +│ .*shutting down`, 'm'));
    expect(['gateway', 'order', 'user', 'product', 'search'].map(at).every((i) => i > 0)).toBe(true);
    expect(at('gateway')).toBeLessThan(at('order'));
    for (const callee of ['user', 'product', 'search']) expect(at('order')).toBeLessThan(at(callee));
    expect(processesIn(dir)).toEqual([]);
  }, 60_000);
});

describe('taskflow-gen dev --database-url', () => {
  it('creates one database per service on the PostgreSQL server, when missing, and runs the system on them', async () => {
    await Promise.all([ensurePostgres(), ensureRabbitMq()]);
    const { dir, name } = exampleCopy('ecommerce', (yaml) => yaml);
    const databases = ['user', 'product', 'order', 'search'].map((s) => `${name.replaceAll('-', '_')}_${s}`);
    const child = spawn(process.execPath, [cliPath, 'dev', '--database-url', 'postgres://postgres@127.0.0.1:5432/postgres', '--dashboard-port', '0'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => (child.exitCode === null ? output : `exited ${child.exitCode}: ${output}`), { timeout: 400_000, interval: 500 }).toContain(' is ready in ');
      expect(output).not.toMatch(/^\s+data\s+.*PGlite/m);
      expect((await psql('postgres', `SELECT datname FROM pg_database WHERE datname LIKE '${name.replaceAll('-', '_')}%' ORDER BY datname`)).split('\n')).toEqual([...databases].sort());
      const gateway = field(output, 'gateway');
      const token = field(output, 'token');
      const created = await fetch(`${gateway}/product/products`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ sku: 'PG-1', name: 'On PostgreSQL', price: 1, currency: 'EUR', stock: 3, category: 'c', active: true }) });
      expect(created.status).toBe(201);
      expect(await psql(databases[1]!, "SELECT sku FROM products")).toBe('PG-1');
    } finally {
      // Its terminal closing (SIGHUP) stops everything too: the services lead process groups of their own.
      child.kill('SIGHUP');
      expect(await exited).toBe(0);
      expect(processesIn(dir)).toEqual([]);
      for (const db of databases) await psql('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      if (processesIn(dir).length === 0) rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});

/** dev started as a child without a terminal (plain lines), its output gathered; `node` may be prefixed (a network namespace). */
function devChild(dir: string, args: readonly string[], env: NodeJS.ProcessEnv, node: readonly string[] = [process.execPath]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const [file, ...prefix] = node;
  const child = spawn(file!, [...prefix, cliPath, 'dev', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => (child.exitCode === null ? output : `exited ${child.exitCode}: ${output}`), exited };
}

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

/** The environment of a running process, as the kernel has it. */
function environmentOf(pid: number): Record<string, string> {
  return Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
}

describe('taskflow-gen dev with a Python service', () => {
  it('gives taskflow\'s Python notification service a PGlite database of its own over the PostgreSQL protocol (nothing made on the machine\'s PostgreSQL), through which its API, consumers, outbox relay and migrations work under concurrent load; kept across a crash and a second run with no PostgreSQL reachable, wiped by --reset', async () => {
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
      expect(['task', 'user', 'notification'].map((s) => existsSync(join(dir, '.taskflow', 'dev', s, 'pglite', 'PG_VERSION')))).toEqual([true, true, true]);
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
      await expect.poll(dev.output, { timeout: 15_000 }).toMatch(/notification │ crashed on :\d+: killed by SIGKILL; restarting in 0\.5 s/);
      await expect.poll(async () => (await unit()).state, { timeout: 60_000 }).toBe('ready');
      expect((await fetch(`${notification}/notifications/${kept}`)).status).toBe(200);
      dev.child.kill('SIGTERM');
      expect(await dev.exited).toBe(0);
      expect(dev.output()).toContain('stopping the PGlite servers of the Python services');
      expect(processesIn(dir)).toEqual([]);

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

/** A network namespace of our own: only its loopback, where nothing of the machine listens. */
function namespace(): { name: string; exec: (command: string[]) => string[]; remove: () => void } {
  const name = `tfdev${randomBytes(3).toString('hex')}`;
  const ip = (...args: string[]): void => {
    const result = spawnSync('ip', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`ip ${args.join(' ')} failed (the dev tests need root and iproute2 for network namespaces): ${result.stderr}`);
  };
  ip('netns', 'add', name);
  ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  return { name, exec: (command) => ['ip', 'netns', 'exec', name, ...command], remove: () => ip('netns', 'del', name) };
}

describe('taskflow-gen dev finds no broker running', () => {
  for (const [broker, program, url] of [
    ['nats', 'nats-server', 'nats://127.0.0.1:4222'],
    ['rabbitmq', 'rabbitmq-server', 'amqp://127.0.0.1:5672'],
  ] as const) {
    it(`starts the installed ${program} itself when nothing listens on its port, and stops it with the rest`, async () => {
      const { dir } = exampleCopy('ecommerce', (yaml) => yaml.replace(/^broker: .*$/m, `broker: ${broker}`));
      const ns = namespace();
      try {
        // Installing needs the registry, which the namespace cannot reach: install outside, as a user would have.
        await run(process.execPath, [cliPath, 'generate', join(dir, 'system.yaml')], { cwd: dir });
        await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
        const [file, ...args] = ns.exec([process.execPath, cliPath, 'dev', '--dashboard-port', '0']);
        const child = spawn(file!, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        await expect.poll(() => output, { timeout: 400_000, interval: 500 }).toContain(' is ready in ');
        expect(output).toContain(`broker     ${url} (`);
        expect(output).toMatch(new RegExp(`${program} started by dev on 127\\.0\\.0\\.1:`));
        const gateway = field(output, 'gateway');
        const token = field(output, 'token');
        // From inside the namespace, where the gateway listens.
        const probe = `fetch(${JSON.stringify(`${gateway}/product/products`)}, { headers: { authorization: ${JSON.stringify(`Bearer ${token}`)} } }).then((r) => console.log(r.status))`;
        const [probeFile, ...probeArgs] = ns.exec([process.execPath, '-e', probe]);
        expect((await run(probeFile!, probeArgs)).stdout.trim()).toBe('200');
        // The broker (RabbitMQ: its Erlang VM and its own epmd) runs in the system's folder, started by dev.
        expect(processesIn(dir).some((p) => p.includes(broker === 'nats' ? 'nats-server' : 'beam'))).toBe(true);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(output).toContain('stopping the broker dev started');
        expect(processesIn(dir)).toEqual([]);
      } finally {
        ns.remove();
        if (processesIn(dir).length === 0) rmSync(dir, { recursive: true, force: true });
      }
    }, 600_000);
  }

  // The Docker client as this machine has it (installed, no engine), found on PATH like any program.
  const dockerClient = (process.env['PATH'] ?? '').split(':').map((d) => join(d, 'docker')).find((f) => spawnSync('test', ['-x', f]).status === 0);
  for (const [broker, docker] of [
    ['nats', 'no engine'],
    ['rabbitmq', 'silent engine'],
  ] as const) {
    it(`exits 2 within 10 s naming what to install when no ${broker} can be had (Docker: ${docker})`, async () => {
      const { dir } = exampleCopy('ecommerce', (yaml) => yaml.replace(/^broker: .*$/m, `broker: ${broker}`));
      const ns = namespace();
      // An engine that accepts the client's connection and never answers: \`docker info\` would wait for ever.
      const silent = createServer(() => undefined);
      const socket = join(dir, 'silent-docker.sock');
      await new Promise<void>((resolve) => silent.listen(socket, resolve));
      try {
        const program = broker === 'nats' ? 'nats-server' : 'rabbitmq-server';
        // A private mount namespace hides the installed program; PATH has no folder holding it either, only Docker's client.
        const hide = `mount --bind /dev/null /usr/sbin/${program} && exec "$@"`;
        const [file, ...args] = ns.exec(['unshare', '--mount', 'sh', '-c', hide, 'sh', process.execPath, cliPath, 'dev']);
        const env = { ...process.env, PATH: ['/usr/bin', '/bin', ...(dockerClient ? [dirname(dockerClient)] : [])].join(':'), NO_COLOR: '1', ...(docker === 'silent engine' && { DOCKER_HOST: `unix://${socket}` }) };
        const started = Date.now();
        const result = spawnSync(file!, args, { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
        const seconds = (Date.now() - started) / 1000;
        expect(result.status, result.stderr + result.stdout).toBe(2);
        expect(seconds).toBeLessThan(10);
        expect(result.stderr).toContain(`no ${broker} broker: nothing listens on 127.0.0.1:${broker === 'nats' ? 4222 : 5672}, ${program} is not installed, and `);
        if (!dockerClient) expect(result.stderr).toContain(', and Docker is not installed.');
        else if (docker === 'no engine') expect(result.stderr).toContain(`and the Docker client (${dockerClient}) is installed but no Docker engine answers (Cannot connect to the Docker daemon`);
        else expect(result.stderr).toContain(`and the Docker client (${dockerClient}) is installed but no Docker engine answers (docker info did not answer within 3 s).`);
        expect(result.stderr).toContain(`install ${program} (apt-get install ${program}) so dev can start it`);
        expect(result.stderr).toContain(broker === 'nats' ? 'or give one with BROKER_URL=nats://127.0.0.1:4222 taskflow-gen dev' : 'or give one with BROKER_URL=amqp://guest:guest@127.0.0.1:5672 taskflow-gen dev');
        expect(processesIn(dir)).toEqual([]);
      } finally {
        silent.close();
        ns.remove();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  }
});
