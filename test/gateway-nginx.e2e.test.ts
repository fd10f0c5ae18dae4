import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import gateway from '../src/render/gateway/index.js';
import { renderYaml } from './support/render/render.js';
import { startUpstream, type Upstream } from './support/gateway-harness.js';
import { hostileCases, sendRaw } from './support/hostile-requests.js';
import { program } from './support/programs.js';
import { freePort } from './support/services.js';
import { isListening } from './support/services.js';

// gateway.kind nginx: the rendered nginx.conf checked by `nginx -t` and then
// run by the machine's nginx against node:http stand-ins for the services.
//
// The upstream host names (`order`, `product`) only resolve inside compose or
// Kubernetes, and nginx resolves them when it loads the file. So the test runs
// a copy in which exactly these lines change: each `server <host>:<port>` points
// at a stand-in on 127.0.0.1, `listen` takes a free port, /tmp/ (temp files
// and pid) becomes a private folder, and the 10s read timeout and the 30s
// client timeouts become 1s so 504 and 408 are quick to see. Everything else is the generated file as it ships.

// Found in beforeAll: when nginx is missing, every test of this file fails naming it and its package.
let nginx: string;

const defaultRoutesYaml = `version: 1
name: shop
gateway: { kind: nginx, port: 8080, auth: none, rateLimit: 5/min }
services:
  order:
    port: 3001
    entities: { Order: { total: number } }
  product:
    port: 3002
    entities: { Product: { name: string } }
`;

const explicitRoutesYaml = `version: 1
name: shop
gateway:
  kind: nginx
  auth: none
  routes:
    - { path: /orders, service: order }
    - { path: /catalog, service: product }
services:
  order:
    port: 3001
    entities: { Order: { total: number } }
  product:
    port: 3002
    entities: { Product: { name: string } }
`;

function rendered(yaml: string): { conf: string; dockerfile: string } {
  const tree = renderYaml(yaml, [gateway]);
  expect(tree.files().map((f) => f.path)).toEqual(['gateway/Dockerfile', 'gateway/nginx.conf']);
  return { conf: tree.get('gateway/nginx.conf')!.content, dockerfile: tree.get('gateway/Dockerfile')!.content };
}

/** The test copy described at the top; fails if any expected line is missing, so nothing else can have changed. */
function localCopy(conf: string, dir: string, port: number, upstreams: Record<string, number>): string {
  const replace = (text: string, from: RegExp, to: string, count: number): string => {
    expect(text.match(from)?.length, `${from} in nginx.conf`).toBe(count);
    return text.replace(from, to);
  };
  let copy = replace(conf, /listen 8080;/g, `listen 127.0.0.1:${port};`, 1);
  for (const [host, upstreamPort] of Object.entries(upstreams)) copy = replace(copy, new RegExp(`server ${host}:\\d+;`, 'g'), `server 127.0.0.1:${upstreamPort};`, 1);
  copy = replace(copy, /proxy_read_timeout 10s;/g, 'proxy_read_timeout 1s;', 1);
  copy = replace(copy, /client_header_timeout 30s;/g, 'client_header_timeout 1s;', 1);
  copy = replace(copy, /client_body_timeout 30s;/g, 'client_body_timeout 1s;', 1);
  copy = replace(copy, /\/tmp\//g, `${dir}/`, 6);
  return copy;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** GET through nginx from a given loopback address, so each test is its own client for limit_req. */
function get(port: number, path: string, from: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, localAddress: from, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Seen {
  readonly service: string;
  readonly url: string;
  readonly correlationId: string | undefined;
  readonly traceparent: string | undefined;
}

const root = mkdtempSync(join(tmpdir(), 'taskflow-nginx-'));
// nginx's workers (nobody, when the master is root) must reach their temp folders.
chmodSync(root, 0o755);
const received: Seen[] = [];
const last = (): Seen => received.at(-1)!;
const upstreams: Upstream[] = [];
const servers: ChildProcess[] = [];

async function standIn(service: string): Promise<Upstream> {
  const upstream = await startUpstream((req, _body, res) => {
    const url = req.url ?? '';
    // The gateway answers Expect itself: a service must never see the header.
    if (req.headers.expect !== undefined) {
      res.writeHead(417).end();
      return;
    }
    if (url !== '/ready') {
      received.push({ service, url, correlationId: req.headers['x-correlation-id'] as string | undefined, traceparent: req.headers['traceparent'] as string | undefined });
    }
    const delay = url.startsWith('/slow') ? 3000 : 0;
    // The service answers with its own correlation header too: nginx must not pass a second one on.
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', 'x-correlation-id': 'from-service' }).end(JSON.stringify({ service, url })), delay);
  });
  upstreams.push(upstream);
  return upstream;
}

/**
 * Writes the local copy into its own folder, checks it with `nginx -t`, starts
 * nginx in the foreground and waits for its port. nginx opens /dev/stdout for
 * its access log, which cannot be a socket: stdout goes to a file (`access.log`).
 */
async function startNginx(name: string, conf: string, services: Record<string, number>): Promise<{ port: number; accessLog: () => string[] }> {
  const dir = join(root, name);
  mkdirSync(dir);
  const port = await freePort();
  const file = join(dir, 'nginx.conf');
  const log = join(dir, 'access.log');
  writeFileSync(file, localCopy(conf, dir, port, services));
  const checked = spawnSync(nginx, ['-t', '-p', dir, '-c', file, '-e', 'stderr'], { stdio: ['ignore', openSync(log, 'a'), 'pipe'], encoding: 'utf8' });
  expect(checked.stderr).toContain('test is successful');
  const server = spawn(nginx, ['-p', dir, '-c', file, '-e', 'stderr', '-g', 'daemon off;'], { stdio: ['ignore', openSync(log, 'a'), 'pipe'] });
  servers.push(server);
  let output = '';
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await isListening(port, 200))) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, accessLog: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

let shopPort: number;
let shopLog: () => string[];
let explicitPort: number;
let productGone: Upstream;

beforeAll(async () => {
  nginx = program('nginx');
  const order = await standIn('order');
  const product = await standIn('product');
  productGone = await standIn('product');
  ({ port: shopPort, accessLog: shopLog } = await startNginx('default-routes', rendered(defaultRoutesYaml).conf, { order: order.port, product: product.port }));
  ({ port: explicitPort } = await startNginx('explicit-routes', rendered(explicitRoutesYaml).conf, { order: order.port, product: productGone.port }));
  await productGone.close();
}, 60_000);

afterAll(async () => {
  // Only the nginx masters this file started, by pid; SIGQUIT is nginx's graceful stop.
  await Promise.all(
    servers.map((server) => (server.exitCode !== null ? undefined : new Promise((resolve) => server.once('exit', resolve).kill('SIGQUIT')))),
  );
  await Promise.all(upstreams.map((u) => u.close()));
  rmSync(root, { recursive: true, force: true });
});

describe('generated gateway (nginx)', () => {
  it('renders an image of the system nginx, not root, with a readiness check', () => {
    const { dockerfile } = rendered(defaultRoutesYaml);
    expect(dockerfile).toMatch(/^FROM nginx:1\.27-alpine$/m);
    expect(dockerfile).toMatch(/^COPY nginx\.conf \/etc\/nginx\/nginx\.conf$/m);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK .*\n.*"http:\/\/127\.0\.0\.1:8080\/ready"/);
  });

  it('forwards /<service>/... without the prefix, keeping the query string', async () => {
    const answer = await get(shopPort, '/order/orders/7?expand=lines', '127.0.0.2');
    expect(answer.status).toBe(200);
    expect(last()).toMatchObject({ service: 'order', url: '/orders/7?expand=lines' });
    expect((await get(shopPort, '/product', '127.0.0.2')).status).toBe(200);
    expect(last()).toMatchObject({ service: 'product', url: '/' });
    expect((await get(shopPort, '/orderx/1', '127.0.0.2')).status).toBe(404);
  });

  it('forwards routes written in system.yaml with the path unchanged', async () => {
    expect((await get(explicitPort, '/orders/7', '127.0.0.3')).status).toBe(200);
    expect(last()).toMatchObject({ service: 'order', url: '/orders/7' });
  });

  it('keeps or makes the correlation id and the traceparent, and returns one correlation id', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const kept = await get(shopPort, '/order/orders', '127.0.0.4', { 'x-correlation-id': 'req-abc-123', traceparent });
    expect(kept.headers['x-correlation-id']).toBe('req-abc-123');
    expect(last()).toMatchObject({ correlationId: 'req-abc-123', traceparent });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = shopLog().map((text) => JSON.parse(text) as Record<string, unknown>).find((record) => record['correlationId'] === 'req-abc-123');
    expect(line).toMatchObject({ method: 'GET', url: '/order/orders', statusCode: 200 });

    const made = await get(shopPort, '/order/orders', '127.0.0.4');
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(last().correlationId).toBe(made.headers['x-correlation-id']);
    expect(last().traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('allows 5 a minute per client address, then 429 JSON with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await get(shopPort, '/order/orders', '127.0.0.5')).status).toBe(200);
    const limited = await get(shopPort, '/order/orders', '127.0.0.5');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('12');
    expect(limited.headers['x-correlation-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(limited.body)).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    // Another client is not affected.
    expect((await get(shopPort, '/order/orders', '127.0.0.6')).status).toBe(200);
  });

  it('answers 504 JSON when the service is too slow, 503 JSON when it is unreachable', async () => {
    const slow = await get(shopPort, '/order/slow', '127.0.0.7');
    expect(slow.status).toBe(504);
    expect(JSON.parse(slow.body)).toMatchObject({ statusCode: 504, error: 'Gateway Timeout' });
    const gone = await get(explicitPort, '/catalog/products', '127.0.0.7');
    expect(gone.status).toBe(503);
    expect(JSON.parse(gone.body)).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
  });

  it('serves /health and /ready itself, and each service readiness at /health/<service>', async () => {
    expect(await get(shopPort, '/health', '127.0.0.8')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(await get(shopPort, '/ready', '127.0.0.8')).toMatchObject({ status: 200, body: '{"status":"ready"}' });
    expect((await get(shopPort, '/health/order', '127.0.0.8')).status).toBe(200);
    expect((await get(explicitPort, '/health/product', '127.0.0.8')).status).toBe(503);
  });
});

describe('generated gateway (nginx): unusual and hostile requests', () => {
  // Token cases do not apply: nginx verifies no tokens. Each case is its own client address, for limit_req.
  const cases = hostileCases('/order', { hs512: '', withoutExp: '', unsigned: '' }).filter((c) => c.nginx !== null);
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const before = received.length;
    const answer = await sendRaw(shopPort, { head: c.head(''), body: c.body, gapMs: c.gapMs }, `127.0.1.${i + 1}`);
    expect(answer.status, answer.body.slice(0, 300)).toBe(c.nginx!.status);
    if (c.nginx!.message) expect((JSON.parse(answer.body) as { message: string }).message).toMatch(c.nginx!.message);
    // What nginx refuses never reaches a service; what it accepts does.
    expect(received.length - before).toBe(c.nginx!.status >= 200 && c.nginx!.status < 400 ? 1 : 0);
  });
});
