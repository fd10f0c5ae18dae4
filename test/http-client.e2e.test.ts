import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeVersions } from '../src/render/node/versions.js';
import { renderYaml } from './support/render/render.js';
import { freePort } from './support/services.js';

// The generated HTTP client of a service, alone: rendered, compiled with the
// generated tsconfig and called against a callee this test stops and starts
// on the same port, to see its circuit breaker open, fail fast and close again
// at the first trial once the callee is back.

const run = promisify(execFile);

// Wide enough that a busy machine's pauses never decide an outcome: the callee
// restarts well within one window, and only a request held on purpose times out.
const resetMs = 5000;
const timeoutMs = 2000;
const systemYaml = `version: 1
name: brk
services:
  order:
    port: 3001
    database: none
    calls:
      product: { endpoints: ['GET /products/{id}', 'POST /products/availability'], timeoutMs: ${timeoutMs}, retries: 1, circuitBreaker: { failures: 3, resetMs: ${resetMs} } }
  product:
    port: 3002
    database: none
    api: ['POST /products/availability']
    entities: { Product: { name: string } }
`;

interface ProductClient {
  getProduct(id: string): Promise<unknown>;
  postProductsAvailability(body: unknown): Promise<unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'taskflow-client-'));
let Client: new (baseUrl: string) => ProductClient;
let BrokenCircuitError: new () => Error;

beforeAll(async () => {
  const service = 'services/order/';
  for (const file of renderYaml(systemYaml).files()) {
    if (!file.path.startsWith(service)) continue;
    const path = join(dir, file.path.slice(service.length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  // Only what the client needs, at the versions the generated package.json pins.
  const pkg = { name: 'client-test', private: true, type: 'module', dependencies: { cockatiel: nodeVersions.cockatiel, typescript: nodeVersions.typescript, '@types/node': nodeVersions['@types/node'] } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir, 'tsconfig.client.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src/clients'] }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.client.json'], { cwd: dir }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc failed:\n${error.stdout ?? String(error)}`);
  });
  const module = (await import(pathToFileURL(join(dir, 'dist/src/clients/product.js')).href)) as Record<string, unknown>;
  Client = Object.values(module).find((value) => typeof value === 'function') as typeof Client;
  ({ BrokenCircuitError } = (await import(pathToFileURL(join(dir, 'node_modules/cockatiel/dist/index.js')).href)) as { BrokenCircuitError: new () => Error });
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in product on a fixed port that can be stopped and started again; counts the requests it gets. */
class Callee {
  requests = 0;
  /** The next request gets no answer until the callee stops. */
  holdNext = false;
  private server: Server | undefined;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests++;
      const hold = this.holdNext;
      this.holdNext = false;
      request.resume().on('end', () => {
        if (!hold) response.writeHead(200, { 'content-type': 'application/json' }).end('{"available":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /** Stops listening and closes every connection, as a stopped service does. */
  async stop(): Promise<void> {
    const server = this.server!;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('generated HTTP client: circuit breaker', () => {
  let callee: Callee;
  let client: ProductClient;
  const order = () => client.postProductsAvailability({ lines: [] });

  beforeEach(async () => {
    callee = new Callee(await freePort());
    await callee.start();
    client = new Client(`http://127.0.0.1:${callee.port}`);
    // Keep-alive connections to the callee exist before it goes away.
    await Promise.all([order(), order(), client.getProduct('1')]);
  });

  /** Stops the callee and fails until the circuit opens: `failures` (3) consecutive failures. */
  async function openCircuit(): Promise<number> {
    await callee.stop();
    for (let i = 0; i < 3; i++) await expect(order()).rejects.toThrow(/product is unavailable/);
    const openedAt = performance.now();
    await expect(order()).rejects.toBeInstanceOf(BrokenCircuitError);
    return openedAt;
  }

  it('opens after 3 failures, fails fast without calling, and closes at the first trial once the callee is back on its port', async () => {
    const openedAt = await openCircuit();
    await callee.start();
    const before = callee.requests;
    await expect(order()).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(callee.requests).toBe(before);
    await sleep(openedAt + resetMs - performance.now() + 10);
    await expect(order()).resolves.toEqual({ available: true });
    expect(callee.requests).toBe(before + 1);
    // Closed: every call goes through again, GETs too.
    await expect(Promise.all([order(), client.getProduct('1'), order()])).resolves.toHaveLength(3);
    await callee.stop();
  });

  it('a trial cut by the timeout opens the circuit for one more window; the next trial closes it', async () => {
    const openedAt = await openCircuit();
    await callee.start();
    callee.holdNext = true;
    await sleep(openedAt + resetMs - performance.now() + 10);
    await expect(order()).rejects.toThrow(/timed out/);
    const reopenedAt = performance.now();
    await expect(order()).rejects.toBeInstanceOf(BrokenCircuitError);
    await sleep(reopenedAt + resetMs - performance.now() + 10);
    await expect(order()).resolves.toEqual({ available: true });
    await expect(client.getProduct('1')).resolves.toEqual({ available: true });
    await callee.stop();
  });

  it('while the trial is out, other calls wait for its outcome instead of failing', async () => {
    const openedAt = await openCircuit();
    await callee.start();
    await sleep(openedAt + resetMs - performance.now() + 10);
    const before = callee.requests;
    await expect(Promise.all([order(), order(), client.getProduct('1')])).resolves.toHaveLength(3);
    expect(callee.requests).toBe(before + 3);
    await callee.stop();
  });
});
