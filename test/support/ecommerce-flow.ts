import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productOutage } from './breaker.js';
import { eventually } from './eventually.js';
import { attempt } from './polyglot-contracts.js';
import { prepareSystem, startSystem, type BrokerChoice, type PreparedSystem, type RunningSystem } from './running-system.js';
import { placeOrder, seed, Shop, type Catalogue } from './shop.js';

const prepared = new Map<BrokerChoice, Promise<PreparedSystem>>();

function preparedOn(broker: BrokerChoice): Promise<PreparedSystem> {
  let system = prepared.get(broker);
  if (!system) {
    system = prepareSystem('ecommerce', broker);
    prepared.set(broker, system);
  }
  return system;
}

/** Removes the systems the file's suites shared (each suite's close() leaves its folder): a file-level afterAll. */
export async function removePrepared(): Promise<void> {
  const systems = await Promise.allSettled(prepared.values());
  prepared.clear();
  if (process.env['TF_E2E_KEEP']) return;
  for (const system of systems) if (system.status === 'fulfilled') rmSync(system.value.dir, { recursive: true, force: true });
}

interface Order {
  readonly id: string;
  readonly total: number;
}

async function stockOf(shop: Shop, productId: string): Promise<number> {
  return (await shop.call('GET', `/product/products/${productId}`)).body.stock;
}

async function indexedOrders(shop: Shop, userId: string): Promise<string[]> {
  return ((await shop.call('GET', `/search/search/orders?userId=${userId}`)).body as { orderId: string }[]).map((o) => o.orderId);
}

/**
 * The ecommerce flow on one broker and one kind of database: an order with its
 * async effects, and (`full`) the services' own tests, authentication, rate
 * limiting, the circuit breaker and exactly-once handling of 200 orders' events.
 * Suites on the same broker in one test file share one generated, installed and
 * built system (its code is the same; only the database it is started on differs).
 */
export function flowSuite(broker: BrokerChoice, database: 'postgres' | 'pglite', full: boolean): void {
  describe(`ecommerce on ${database === 'postgres' ? 'PostgreSQL' : 'the embedded PGlite (no DATABASE_URL)'} and ${broker}`, () => {
    let prepared: PreparedSystem;
    let system: RunningSystem;
    let shop: Shop;
    let catalogue: Catalogue;

    beforeAll(async () => {
      prepared = await preparedOn(broker);
      system = await startSystem(prepared, database, { keepDir: true });
      shop = new Shop(system);
      catalogue = await seed(shop, 1000);
    }, 600_000);

    afterAll(async () => {
      await system?.close();
    }, 120_000);

    it('places an order: stock checked, order stored, stock lowered and order indexed by events', async () => {
      const placed = await placeOrder(shop, catalogue, 3);
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const order = placed.body as Order;
      expect(order.total).toBe(37.5);
      await eventually('stock lowered by 3', async () => (await stockOf(shop, catalogue.productId)) === 997);
      await eventually('order indexed by search', async () => (await indexedOrders(shop, catalogue.userId)).includes(order.id));
      await eventually('product indexed by search', async () => {
        const hits = (await shop.call('GET', '/search/search/products?q=engine')).body as { productId: string; inStock: boolean }[];
        return hits.some((h) => h.productId === catalogue.productId && h.inStock);
      });
      const tooMany = await placeOrder(shop, catalogue, 5000);
      expect(tooMany.status).toBe(409);
      const invalid = await shop.call('POST', '/product/products', { sku: 'X' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.message).toMatch(/required property/);
    });

    if (!full) return;

    it("passes every generated service's own tests and the gateway's", async () => {
      // Consumers first, as the system's root `npm test` does: their tests write the pacts the providers' tests verify.
      // `attempt` keeps a failing consumer test's report (node --test's, on its standard output), which execFile's error leaves out.
      const consumers = await attempt('npm', ['run', 'test:consumer', '--workspaces', '--if-present'], prepared.dir);
      if (!consumers.ok) throw new Error(`npm run test:consumer failed:\n${consumers.output}`);
      const { stdout } = await promisify(execFile)('npm', ['test', '--workspaces'], { cwd: prepared.dir, maxBuffer: 16 * 1024 * 1024 });
      const passed = [...stdout.matchAll(/^# pass (\d+)$/gm)].map((m) => Number(m[1]));
      const failed = [...stdout.matchAll(/^# fail (\d+)$/gm)].map((m) => Number(m[1]));
      expect(passed.length).toBe(prepared.services.length + (prepared.gateway ? 1 : 0));
      expect(passed.every((n) => n > 0)).toBe(true);
      expect(failed.every((n) => n === 0)).toBe(true);
    }, 300_000);

    it('answers 401 without a valid token and 429 past the rate limit', async () => {
      expect((await fetch(`${system.gatewayUrl}/order/orders`)).status).toBe(401);
      const forged = await fetch(`${system.gatewayUrl}/order/orders`, { headers: { authorization: `Bearer ${system.token().slice(0, -4)}AAAA` } });
      expect(forged.status).toBe(401);
      const greedy = shop.as('greedy-client');
      const statuses: number[] = [];
      for (let i = 0; i < 101; i++) statuses.push((await greedy.call('GET', `/product/products/${catalogue.productId}`)).status);
      expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
      const limited = await fetch(`${system.gatewayUrl}/product/products/${catalogue.productId}`, { headers: { authorization: `Bearer ${system.token('greedy-client')}` } });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another client is not limited by the first one.
      expect((await shop.call('GET', `/product/products/${catalogue.productId}`)).status).toBe(200);
    });

    it('answers 503 while product is down, fails fast once the circuit is open, recovers at the first trial after product is back', async () => {
      const client = shop.as('breaker-test');
      const outage = await productOutage(system, () => placeOrder(client, catalogue), 10_000);
      expect(outage.trialWindows).toBeLessThanOrEqual(2);
    }, 60_000);

    it('applies every event exactly once across a consumer outage and a crash: 200 orders', async () => {
      await system.stop('search');
      const placed: string[] = [];
      // Ten customers, so no one of them reaches the gateway's rate limit.
      const clients = Array.from({ length: 10 }, (_, i) => shop.as(`bulk-${i}`));
      for (let batch = 0; batch < 20; batch++) {
        const responses = await Promise.all(clients.map((c) => placeOrder(c, catalogue, 1)));
        for (const r of responses) {
          expect(r.status, JSON.stringify(r.body)).toBe(201);
          placed.push(r.body.id);
        }
      }
      await system.start('search');
      // Crash it while it catches up, then start it again: redelivered events must not apply twice.
      await eventually('search applying the backlog', async () => Number(await system.sql('search', 'SELECT count(*) FROM order_documents')) > 20);
      await system.stop('search', 'SIGKILL');
      await system.start('search');
      const ids = placed.map((id) => `'${id}'`).join(',');
      await eventually(
        'all 200 orders indexed',
        async () => Number(await system.sql('search', `SELECT count(*) FROM order_documents WHERE order_id IN (${ids})`)) === 200,
        60_000,
      );
      const [count, distinct] = (await system.sql('search', `SELECT count(*), count(DISTINCT order_id) FROM order_documents WHERE order_id IN (${ids})`)).split('|');
      expect([Number(count), Number(distinct)]).toEqual([200, 200]);
      // Product applied every OrderCreated of the whole run exactly once: its stock is the seed minus every unit ordered.
      const ordered = Number(await system.sql('order', 'SELECT sum(quantity) FROM order_lines'));
      expect(ordered).toBeGreaterThanOrEqual(200);
      await eventually('stock lowered once per unit ordered', async () => (await stockOf(shop, catalogue.productId)) === 1000 - ordered);
      // Nothing more arrives later: the stock stays put.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await stockOf(shop, catalogue.productId)).toBe(1000 - ordered);
    }, 180_000);
  });
}
