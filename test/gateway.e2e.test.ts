import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failedStart,
  killGateways,
  logRecords,
  npm,
  startGateway,
  startUpstream,
  writeGateway,
  type GatewayProcess,
  type Upstream,
} from './support/gateway-harness.js';
import { hostileCases, sendRaw } from './support/hostile-requests.js';
import { hs256, hs512, rs256, unsigned } from './support/jwt.js';
import { ensureRedis } from './support/services.js';

// The generated Node.js gateway, installed, type-checked, built and run as a
// process against node:http stand-ins for the services.

/** Default routes (`/<service>`, prefix stripped), JWT, a per-client limit of 5 a minute. */
const shopYaml = `version: 1
name: shop
gateway: { kind: node, port: 8080, auth: jwt, rateLimit: 5/min }
services:
  order:
    port: 3001
    entities: { Order: { total: number } }
  product:
    port: 3002
    entities: { Product: { name: string } }
  stock:
    port: 3003
    entities: { Item: { sku: string } }
`;

/** Routes written in system.yaml (path forwarded unchanged), no auth, 3 a minute per IP address. */
const plainYaml = `version: 1
name: plain
gateway:
  kind: node
  port: 8080
  auth: none
  rateLimit: 3/min
  routes:
    - { path: /orders, service: order }
    - { path: /catalog/products, service: product }
services:
  order:
    entities: { Order: { total: number } }
  product:
    entities: { Product: { name: string } }
`;

/** JWT without a rate limit: only compiled and its own tests run. */
const jwtOnlyYaml = shopYaml.replace(', rateLimit: 5/min', '');

const secret = 'a-long-test-secret-for-hs256';
const root = mkdtempSync(join(tmpdir(), 'taskflow-gateway-'));
const shopDir = join(root, 'shop');
const plainDir = join(root, 'plain');
const jwtOnlyDir = join(root, 'jwt-only');

/** What a stand-in service saw of the last request. */
interface Seen {
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly correlationId: string | undefined;
  readonly traceparent: string | undefined;
  readonly forwardedFor: string | undefined;
}

let order: Upstream;
let product: Upstream;
let stock: Upstream;
const received: Seen[] = [];
/** Resolved whenever the order service starts on a /slow request. */
let slowStarted: () => void = () => {};

async function standIn(service: string): Promise<Upstream> {
  return startUpstream((request, body, response) => {
    const url = request.url ?? '';
    // The gateway answers Expect itself: a service must never see the header.
    if (request.headers.expect !== undefined) {
      response.writeHead(417).end();
      return;
    }
    if (url === '/ready') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    received.push({
      service,
      method: request.method ?? '',
      url,
      body,
      correlationId: request.headers['x-correlation-id'] as string | undefined,
      traceparent: request.headers['traceparent'] as string | undefined,
      forwardedFor: request.headers['x-forwarded-for'] as string | undefined,
    });
    const delay = url.startsWith('/slow') ? Number(new URL(url, 'http://x').searchParams.get('ms')) : 0;
    if (delay > 0) slowStarted();
    setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service, url, body })), delay);
  });
}

const last = (): Seen => received.at(-1)!;
/** An expiry an hour from now. */
const exp = (): number => Math.floor(Date.now() / 1000) + 3600;
/** A valid token; a new subject each time unless named, so the 5-a-minute limit only bites where a test wants it. */
const bearer = (sub: string = randomUUID()): Record<string, string> => ({ authorization: `Bearer ${hs256(secret, { sub, exp: exp() })}` });

let shop: GatewayProcess;

beforeAll(async () => {
  writeGateway(shopYaml, shopDir);
  writeGateway(plainYaml, plainDir);
  writeGateway(jwtOnlyYaml, jwtOnlyDir);
  // One install for the file: the other variants need a subset of shop's packages.
  await npm(shopDir, 'install', '--no-audit', '--no-fund');
  symlinkSync(join(shopDir, 'node_modules'), join(plainDir, 'node_modules'));
  symlinkSync(join(shopDir, 'node_modules'), join(jwtOnlyDir, 'node_modules'));
  // `npm run build` is `tsc` with the generated strict tsconfig: it type-checks, then emits dist/.
  await Promise.all([npm(shopDir, 'run', 'build'), npm(plainDir, 'run', 'build'), npm(jwtOnlyDir, 'run', 'build')]);
  [order, product, stock] = await Promise.all([standIn('order'), standIn('product'), standIn('stock')]);
  shop = await startGateway(shopDir, {
    JWT_SECRET: secret,
    ORDER_URL: order.url,
    PRODUCT_URL: product.url,
    STOCK_URL: `${stock.url}/`,
    UPSTREAM_TIMEOUT_MS: '400',
    REQUEST_TIMEOUT_MS: '1000',
  });
}, 180_000);

afterAll(async () => {
  killGateways();
  await Promise.all([order, product, stock].filter(Boolean).map((u) => u.close()));
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
});

describe('generated gateway (node): build', () => {
  it('renders the files of gateway/, with auth.ts and rate-limit.ts only when configured', () => {
    expect(existsSync(join(shopDir, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(join(shopDir, 'src/auth.ts'))).toBe(true);
    expect(existsSync(join(shopDir, 'src/rate-limit.ts'))).toBe(true);
    expect(existsSync(join(plainDir, 'src/auth.ts'))).toBe(false);
    expect(existsSync(join(jwtOnlyDir, 'src/rate-limit.ts'))).toBe(false);
  });

  it.each([
    ['jwt + rate limit', shopDir],
    ['no auth, explicit routes', plainDir],
    ['jwt only', jwtOnlyDir],
  ])('%s: its own tests pass (npm test)', async (_name, dir) => {
    const output = await npm(dir, 'test');
    expect(output).toMatch(/# fail 0/);
  });
});

describe('generated gateway (node): routing', () => {
  it('forwards /<service>/... to the service without the prefix, query string kept', async () => {
    const response = await fetch(`${shop.url}/order/orders/42?expand=lines`, { headers: bearer() });
    expect(response.status).toBe(200);
    expect(last()).toMatchObject({ service: 'order', method: 'GET', url: '/orders/42?expand=lines' });
    await fetch(`${shop.url}/product`, { headers: bearer() });
    expect(last()).toMatchObject({ service: 'product', url: '/' });
  });

  it('streams a request body to the service unchanged', async () => {
    const body = JSON.stringify({ total: 12.5, note: 'é'.repeat(10_000) });
    const response = await fetch(`${shop.url}/stock/items`, { method: 'POST', body, headers: { ...bearer(), 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(last()).toMatchObject({ service: 'stock', method: 'POST', url: '/items', body });
  });

  it('does not serve paths outside the routes', async () => {
    expect((await fetch(`${shop.url}/orderx/1`, { headers: bearer() })).status).toBe(404);
  });
});

describe('generated gateway (node): auth', () => {
  it('answers 401 JSON without a token, with a bad one, or one signed with another key', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nonsense' }, { authorization: `Bearer ${hs256('another-secret', { sub: 'alice', exp: exp() })}` }]) {
      const count = received.length;
      const response = await fetch(`${shop.url}/order/orders`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(received.length).toBe(count);
    }
  });

  it('refuses an expired token', async () => {
    const token = hs256(secret, { sub: 'alice', exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await fetch(`${shop.url}/order/orders`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('refuses to start without JWT_SECRET or JWKS_URL, naming them', async () => {
    const { code, output } = await failedStart(shopDir, { ORDER_URL: order.url });
    expect(code).toBe(1);
    expect(output).toContain('set JWT_SECRET');
    expect(output).toContain('JWKS_URL');
  });

  it('verifies RS256 tokens against the key set at JWKS_URL', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const issuer = await startUpstream((request, _body, response) => {
      if (request.url === '/auth/jwks.json') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      else response.writeHead(404).end();
    });
    const gateway = await startGateway(shopDir, { JWKS_URL: `${issuer.url}/auth/jwks.json`, ORDER_URL: order.url, PRODUCT_URL: product.url, STOCK_URL: stock.url });
    try {
      const call = (token: string): Promise<number> => fetch(`${gateway.url}/order/orders`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      expect(await call(rs256(privateKey, 'key-1', { sub: 'bob', exp: exp() }))).toBe(200);
      expect(await call(rs256(other.privateKey, 'key-1', { sub: 'bob', exp: exp() }))).toBe(401);
      // Without an expiry, even the right key is not enough.
      expect(await call(rs256(privateKey, 'key-1', { sub: 'bob' }))).toBe(401);
      // A shared-secret token must not pass when the gateway trusts a key set.
      expect(await call(hs256(secret, { sub: 'bob', exp: exp() }))).toBe(401);
      // An identity provider that cannot be reached is not the client's fault.
      await issuer.close();
      expect(await call(rs256(privateKey, 'key-2', { sub: 'bob', exp: exp() }))).toBe(503);
    } finally {
      await gateway.stop();
      await issuer.close();
    }
  });
});

describe('generated gateway (node): tokens without an expiry', () => {
  it('are refused by default and accepted with JWT_REQUIRE_EXP=false', async () => {
    const forever = { authorization: `Bearer ${hs256(secret, { sub: randomUUID() })}` };
    const refused = await fetch(`${shop.url}/order/orders`, { headers: forever });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/exp/) });
    const relaxed = await startGateway(shopDir, { JWT_SECRET: secret, JWT_REQUIRE_EXP: 'false', ORDER_URL: order.url, PRODUCT_URL: product.url, STOCK_URL: stock.url });
    try {
      expect((await fetch(`${relaxed.url}/order/orders`, { headers: forever })).status).toBe(200);
    } finally {
      await relaxed.stop();
    }
  });
});

describe('generated gateway (node): unusual and hostile requests', () => {
  const tokens = {
    hs512: hs512(secret, { sub: 'mallory', exp: exp() }),
    withoutExp: hs256(secret, { sub: 'mallory' }),
    unsigned: unsigned({ sub: 'mallory', exp: exp() }),
  };
  it.each(hostileCases('/order', tokens).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = received.length;
    const auth = `Authorization: Bearer ${hs256(secret, { sub: randomUUID(), exp: exp() })}\r\n`;
    const answer = await sendRaw(Number(new URL(shop.url).port), { head: c.head(auth), body: c.body, gapMs: c.gapMs });
    expect(answer.status, answer.body.slice(0, 300)).toBe(c.node.status);
    if (c.node.message) expect((JSON.parse(answer.body) as { message: string }).message).toMatch(c.node.message);
    // What the gateway refuses never reaches a service; what it accepts does.
    expect(received.length - before).toBe(c.node.status >= 200 && c.node.status < 400 ? 1 : 0);
  });
});

describe('generated gateway (node): correlation and tracing', () => {
  it('keeps the client correlation id, forwards it and the traceparent, returns it and logs it', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await fetch(`${shop.url}/order/orders`, { headers: { ...bearer(), 'x-correlation-id': 'req-abc-123', traceparent } });
    expect(response.headers.get('x-correlation-id')).toBe('req-abc-123');
    expect(last()).toMatchObject({ correlationId: 'req-abc-123', traceparent, forwardedFor: '127.0.0.1' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = logRecords(shop).find((r) => r['correlationId'] === 'req-abc-123');
    expect(line).toMatchObject({ level: 30, name: 'shop-gateway', msg: 'request completed', method: 'GET', url: '/order/orders', statusCode: 200 });
  });

  it('makes a correlation id and a traceparent when the client sends none', async () => {
    const response = await fetch(`${shop.url}/order/orders`, { headers: bearer() });
    const id = response.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(last().correlationId).toBe(id);
    expect(last().traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('returns the correlation id on errors the gateway answers itself', async () => {
    const response = await fetch(`${shop.url}/order/orders`, { headers: { 'x-correlation-id': 'denied-1' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-correlation-id')).toBe('denied-1');
  });
});

describe('generated gateway (node): rate limit', () => {
  it('allows 5 a minute per token subject, then 429 with Retry-After; other subjects are unaffected', async () => {
    const sub = `busy-${randomUUID()}`;
    for (let i = 0; i < 5; i++) expect((await fetch(`${shop.url}/order/orders`, { headers: bearer(sub) })).status).toBe(200);
    const limited = await fetch(`${shop.url}/order/orders`, { headers: bearer(sub) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect((await fetch(`${shop.url}/order/orders`, { headers: bearer(`calm-${randomUUID()}`) })).status).toBe(200);
  });

  it('with REDIS_URL, two gateway processes share one limit', async () => {
    await ensureRedis();
    const env = { JWT_SECRET: secret, ORDER_URL: order.url, PRODUCT_URL: product.url, STOCK_URL: stock.url, REDIS_URL: 'redis://127.0.0.1:6379' };
    const [first, second] = await Promise.all([startGateway(shopDir, env), startGateway(shopDir, env)]);
    try {
      const sub = `shared-${randomUUID()}`;
      const call = (gateway: GatewayProcess): Promise<number> => fetch(`${gateway.url}/order/orders`, { headers: bearer(sub) }).then((r) => r.status);
      for (let i = 0; i < 3; i++) expect(await call(first)).toBe(200);
      for (let i = 0; i < 2; i++) expect(await call(second)).toBe(200);
      // Each process has seen at most 3 requests: only a shared count says 429 here.
      expect(await call(second)).toBe(429);
      expect(await call(first)).toBe(429);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});

describe('generated gateway (node): failures', () => {
  it('answers 504 JSON when the service takes longer than UPSTREAM_TIMEOUT_MS', async () => {
    const started = Date.now();
    const response = await fetch(`${shop.url}/order/slow?ms=2000`, { headers: bearer() });
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ statusCode: 504, error: 'Gateway Timeout', message: 'order did not answer within 400 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('GET /health (public) lists every service as ready: 200', async () => {
    const response = await fetch(`${shop.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', services: { order: { status: 'ready' }, product: { status: 'ready' }, stock: { status: 'ready' } } });
    expect(await (await fetch(`${shop.url}/ready`)).json()).toEqual({ status: 'ready' });
  });

  it('answers 503 JSON when a service is unreachable, and /health says which one', async () => {
    await stock.close();
    const response = await fetch(`${shop.url}/stock/items`, { headers: bearer() });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'stock is unavailable' });
    const health = await fetch(`${shop.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'degraded', services: { order: { status: 'ready' }, product: { status: 'ready' }, stock: { status: 'unavailable' } } });
  });
});

describe('generated gateway (node): explicit routes, no auth', () => {
  it('forwards the path unchanged, needs no token, and limits per IP address', async () => {
    const plain = await startGateway(plainDir, { ORDER_URL: order.url, PRODUCT_URL: product.url });
    try {
      expect((await fetch(`${plain.url}/orders/7`)).status).toBe(200);
      expect(last()).toMatchObject({ service: 'order', url: '/orders/7' });
      expect((await fetch(`${plain.url}/catalog/products?page=2`)).status).toBe(200);
      expect(last()).toMatchObject({ service: 'product', url: '/catalog/products?page=2' });
      expect((await fetch(`${plain.url}/order/orders/7`)).status).toBe(404);
      expect((await fetch(`${plain.url}/orders`)).status).toBe(200);
      const limited = await fetch(`${plain.url}/orders`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      // Health and readiness are never limited.
      expect((await fetch(`${plain.url}/health`)).status).toBe(200);
    } finally {
      await plain.stop();
    }
  });
});

describe('generated gateway (node): shutdown', () => {
  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const gateway = await startGateway(shopDir, { JWT_SECRET: secret, ORDER_URL: order.url, PRODUCT_URL: product.url, STOCK_URL: stock.url });
    const inFlight = new Promise<void>((resolve) => (slowStarted = resolve));
    const response = fetch(`${gateway.url}/order/slow?ms=300`, { headers: bearer() });
    await inFlight;
    const exit = gateway.stop('SIGTERM');
    expect((await response).status).toBe(200);
    expect(await exit).toBe(0);
    expect(logRecords(gateway).map((r) => r['msg'])).toContain('shutting down');
  });
});
