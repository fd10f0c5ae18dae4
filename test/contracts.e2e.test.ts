import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSystem, type PreparedSystem } from './support/running-system.js';
import { program } from './support/programs.js';
import { modelOf } from './support/render/render.js';

/**
 * The contract tests generated for examples/ecommerce, installed and built
 * as a user would: every consumer and provider suite passes; three breaking
 * changes each turn exactly the suite that must catch them red, with a
 * message that names who is broken and how; and a service's contract suite
 * needs no other service and no broker. (examples/checkout's:
 * contracts-checkout.e2e.test.ts.)
 */

const run = promisify(execFile);

/** Each case runs several services' suites (and builds); generous, for a busy two-core machine. */
const suiteTimeout = 600_000;

interface SuiteRun {
  readonly ok: boolean;
  readonly output: string;
}

/** `npm run <script>` in a service's folder (its contract suite by default), passing or not. */
async function suite(system: PreparedSystem, service: string, script = 'test:contracts'): Promise<SuiteRun> {
  try {
    const { stdout, stderr } = await run('npm', ['run', script, '--silent'], { cwd: join(system.dir, 'services', service), maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

/** TAP's summary line: the number of passing or failing tests. */
function count(output: string, what: 'pass' | 'fail'): number {
  return Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN);
}

/** Replaces `from` (which must be there) in a file of the generated system. */
function edit(system: PreparedSystem, file: string, from: string | RegExp, to: string): void {
  const path = join(system.dir, file);
  const text = readFileSync(path, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file} does not contain ${String(from)}`);
  writeFileSync(path, changed);
}

/** Rebuilds one service (strict tsc), as its developer would after a change. */
async function build(system: PreparedSystem, service: string): Promise<void> {
  await run('npm', ['run', 'build', '--silent'], { cwd: join(system.dir, 'services', service) });
}

/** Keeps a copy of a service's sources and build, and puts them back. */
function snapshot(system: PreparedSystem, service: string): () => void {
  const dir = join(system.dir, 'services', service);
  const saved = join(system.dir, `.saved-${service}`);
  for (const part of ['src', 'test', 'dist']) cpSync(join(dir, part), join(saved, part), { recursive: true });
  return () => {
    for (const part of ['src', 'test', 'dist']) {
      rmSync(join(dir, part), { recursive: true, force: true });
      cpSync(join(saved, part), join(dir, part), { recursive: true });
    }
    rmSync(saved, { recursive: true, force: true });
  };
}

describe('contract tests of the generated ecommerce system', () => {
  let system: PreparedSystem;
  const services = ['user', 'product', 'order', 'search'];

  beforeAll(async () => {
    system = await prepareSystem('ecommerce', 'rabbitmq');
    // Consumers first, as the system's own `npm run test:contracts` does: their tests write the pacts.
    for (const service of ['order', 'product', 'search']) {
      const consumer = await suite(system, service, 'test:consumer');
      if (!consumer.ok) throw new Error(`${service}'s consumer tests failed:\n${consumer.output}`);
    }
  }, 600_000);

  afterAll(() => {
    if (system && !process.env['TF_E2E_KEEP']) rmSync(system.dir, { recursive: true, force: true });
  });

  it('passes every consumer and provider suite, with a pact for every declared edge', async () => {
    for (const service of services) {
      const result = await suite(system, service);
      expect(result.ok, result.output).toBe(true);
      expect(count(result.output, 'fail'), result.output).toBe(0);
    }
    const pacts = (name: string) => JSON.parse(readFileSync(join(system.dir, 'contracts', 'pacts', name), 'utf8')) as { interactions: { description: string; type: string }[] };
    // Sync edges: order calls user and product. Event edges: product and search consume order's events, search product's.
    expect(pacts('order-user.json').interactions.map((i) => i.description)).toEqual([
      'GET /addresses/{id} of a missing Address',
      'GET /addresses/{id} of an existing Address',
      'GET /users/{id} of a missing User',
      'GET /users/{id} of an existing User',
    ]);
    expect(pacts('order-product.json').interactions.map((i) => i.description)).toContain('POST /products/availability of a product in stock');
    expect(pacts('product-order.json').interactions.map((i) => [i.description, i.type])).toEqual([
      ['an OrderCancelled event', 'Asynchronous/Messages'],
      ['an OrderCreated event', 'Asynchronous/Messages'],
    ]);
    expect(pacts('search-product.json').interactions.map((i) => i.description)).toEqual(['a ProductChanged event']);
  }, suiteTimeout);

  it("runs one service's contract suite with no other service's port listening and no broker (in a network namespace of its own)", async () => {
    const model = modelOf(readFileSync(join(system.dir, 'system.yaml'), 'utf8'));
    const others = model.services.filter((s) => s.name !== 'order').map((s) => s.port);
    // PostgreSQL, RabbitMQ, NATS, Kafka, Redis: none of them either.
    const ports = [...others, 5432, 5672, 4222, 9092, 6379];
    const probe = `const net=require('node:net');Promise.all(${JSON.stringify(ports)}.map(p=>new Promise(r=>{const s=net.connect(p,'127.0.0.1');s.on('connect',()=>{s.destroy();r(p)});s.on('error',()=>r(0))}))).then(l=>{l=l.filter(Boolean);if(l.length){console.error('listening: '+l.join(', '));process.exit(1)}})`;
    let output: string;
    try {
      ({ stdout: output } = await run(program('unshare'), ['-rn', 'sh', '-c', `${program('ip')} link set lo up && node -e "${probe}" && echo probed-nothing-listening && npm run test:contracts --silent`], {
        cwd: join(system.dir, 'services', 'order'),
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
        maxBuffer: 64 * 1024 * 1024,
      }));
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`order's contract suite failed in its own network namespace:\n${stdout}${stderr}`);
    }
    expect(output).toContain('probed-nothing-listening');
    expect(count(output, 'fail')).toBe(0);
    expect(count(output, 'pass')).toBeGreaterThanOrEqual(10);
  }, suiteTimeout);

  it('break: OrderCreated without a field, as order builds it, fails only the verification of order, naming its subscribers', async () => {
    const restore = snapshot(system, 'order');
    try {
      // The compiler would refuse the missing field: the cast stands for any way a payload can lose one at run time.
      edit(system, 'services/order/src/handlers/post-orders.ts', 'total, currency: created.currency, placedAt: created.placedAt });', 'total, placedAt: created.placedAt } as never);');
      await build(system, 'order');
      const order = await suite(system, 'order');
      expect(order.ok, order.output).toBe(false);
      expect(order.output).toContain('order does not give its consumers what they expect');
      expect(order.output).toMatch(/- product expects: an OrderCreated event\s+\$\.data Actual map is missing the following keys: currency\s+\(contracts\/pacts\/product-order\.json\)/);
      expect(order.output).toMatch(/- search expects: an OrderCreated event\s+\$\.data Actual map is missing the following keys: currency/);
      expect(order.output).toMatch(/OrderCreated matches its schema[\s\S]*must have required property 'currency'/);
      for (const other of ['product', 'search']) expect((await suite(system, other)).ok, other).toBe(true);
    } finally {
      restore();
    }
  }, suiteTimeout);

  it("break: a field renamed in product's answer that order reads fails product's verification, naming order, the interaction and the field", async () => {
    const restore = snapshot(system, 'product');
    try {
      edit(system, 'services/product/src/handlers/post-products-availability.ts', 'unitPrice: product?.price ?? 0', 'price: product?.price ?? 0');
      await build(system, 'product');
      const product = await suite(system, 'product');
      expect(product.ok, product.output).toBe(false);
      expect(product.output).toMatch(/- order expects: Given a Product exists - POST \/products\/availability of a product in stock\s+\$\.lines\[0\] Actual map is missing the following keys: unitPrice/);
      expect(product.output).toContain('(contracts/pacts/order-product.json)');
      const orderAgain = await suite(system, 'order');
      expect(orderAgain.ok, orderAgain.output).toBe(true);
    } finally {
      restore();
    }
  }, suiteTimeout);

  it("break: order's expectation gains a required field, its regenerated pact fails product's verification until product provides it", async () => {
    const restoreOrder = snapshot(system, 'order');
    const restoreProduct = snapshot(system, 'product');
    const pact = join(system.dir, 'contracts', 'pacts', 'order-product.json');
    const before = readFileSync(pact, 'utf8');
    try {
      edit(system, 'services/order/test/contracts/extensions.ts', "unitPrice: m.number(12.5) }", "unitPrice: m.number(12.5), currency: m.string('EUR') }");
      await build(system, 'order');
      const consumer = await suite(system, 'order', 'test:consumer');
      expect(consumer.ok, consumer.output).toBe(true);
      expect(readFileSync(pact, 'utf8')).not.toBe(before);
      const red = await suite(system, 'product');
      expect(red.ok, red.output).toBe(false);
      expect(red.output).toMatch(/- order expects: Given a Product exists - POST \/products\/availability[^\n]*\s+\$\.lines\[0\] Actual map is missing the following keys: currency/);
      // product provides it: green again.
      edit(system, 'services/product/src/handlers/post-products-availability.ts', 'unitPrice: product?.price ?? 0', "unitPrice: product?.price ?? 0, currency: product?.currency ?? ''");
      await build(system, 'product');
      const green = await suite(system, 'product');
      expect(green.ok, green.output).toBe(true);
    } finally {
      restoreOrder();
      restoreProduct();
      writeFileSync(pact, before);
    }
  }, suiteTimeout);
});
