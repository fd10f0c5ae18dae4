import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { exampleCopy, field, processesIn, type Unit } from './support/dev.js';
import { ensurePostgres, ensureRabbitMq, freePort, psql } from './support/services.js';
import { terminal, type Terminal } from './support/terminal.js';

/**
 * `taskflow-gen dev` as a user runs it: on the ecommerce example in a real
 * terminal (tmux), its dashboard in headless Chromium, a service killed and
 * restarted, Ctrl-C leaving nothing behind; and on databases of its own on a
 * PostgreSQL server. (A Python service: dev-python.e2e.test.ts; no broker
 * running: dev-brokers.e2e.test.ts.)
 */

const chromiumPath = '/usr/bin/chromium';

describe('taskflow-gen dev on ecommerce (RabbitMQ), in a terminal', () => {
  let scratch: string;
  let dir: string;
  let term: Terminal;
  let session: string;
  let squatter: Server | undefined;
  let takenPort: number;
  let screen: string;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: the dev dashboard test needs Debian's chromium (apt-get install chromium, or npm test's prerequisites step)`);
    await ensureRabbitMq();
    takenPort = await freePort();
    ({ dir } = exampleCopy('ecommerce', (yaml) => yaml.replace(/^(\s+port:\s*)8080\b/m, `$1${takenPort}`)));
    expect(readFileSync(join(dir, 'system.yaml'), 'utf8')).toContain(`port: ${takenPort}`);
    // The gateway's declared port is taken: dev must choose another one and say so.
    const server = (squatter = createServer());
    await new Promise<void>((resolve) => server.listen(takenPort, '0.0.0.0', resolve));
    scratch = mkdtempSync(join(tmpdir(), 'tf-dev-term-'));
    term = terminal(scratch, 'dev');
    term.requireTmux();
    session = term.start(dir, ['dev', '--watch']);
    // From nothing: generate, npm install, build, PGlite databases, five processes.
    screen = await term.waitFor(session, ' is ready in ', 1, 400_000);
  }, 420_000);

  afterAll(async () => {
    term?.closeAll();
    // Setup may have failed before the squatter existed: then there is nothing to close.
    const server = squatter;
    if (server) await new Promise((resolve) => server.close(resolve));
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
