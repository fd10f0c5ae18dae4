// `npm run bench:runtime`: the generated ecommerce system (Node.js services), then
// taskflow (its notification service in Python), running as processes on this
// machine, measured. Not a test: it prints figures and asserts nothing (it runs
// through vitest only to import the TypeScript harness of the e2e tests).
import { cpus } from 'node:os';
import pg from 'pg';
import { test } from 'vitest';
import { prepareSystem, startSystem, type RunningSystem } from '../test/support/running-system.js';
import { AppliedEvents, type DelayRun, type Placed } from './runtime/events.js';
import { alternating } from './runtime/sequential.js';
import { cpuSeconds, int, machineBusy, ms, percentile, verdict } from './runtime/stats.js';
import { wrk } from './runtime/wrk.js';

const connections = 10;
const loadSeconds = 10;
const warmUpSeconds = 3;
const overheadSeconds = 20;
/** Events per run of the event-delay measurement. */
const events = 300;
const targets = { overheadP50Ms: 1, overheadP99Ms: 5, eventDelayP99Ms: 100 };
/** The example's 100/min per client would stop the load after 100 requests; the limit stays on (checked on every request), only higher. */
const rateLimit = '999999999/min';

const print = (line = ''): void => console.log(line);
const progress = (line: string): void => console.error(`  ... ${line}`);

test('runtime benchmark (prints figures, asserts nothing)', async () => {
  print(`Runtime benchmark: examples/ecommerce generated, built and run as processes on this machine`);
  print(`  machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`);
  print(`  system: 4 services + the generated gateway, on the local PostgreSQL and RabbitMQ, LOG_LEVEL=warn;`);
  print(`    system.yaml changed for the bench: gateway.rateLimit ${rateLimit} (example: 100/min), still checked on every request`);
  print(`  load generator on the same machine: wrk (C, 1 thread), which needs about a quarter of the CPU per request a Node.js one does`);

  progress('generating, installing and building the system (about a minute)');
  const prepared = await prepareSystem('ecommerce', 'rabbitmq', { edit: liftRateLimit });
  const system = await startSystem(prepared, 'postgres', { logLevel: 'warn' });
  try {
    const auth = { authorization: `Bearer ${system.token('bench')}` };
    const shop = await seed(system, auth);
    await otherWork('before measuring');
    const direct = `${system.url('product')}/products/${shop.productId}`;
    const viaGateway = `${system.gatewayUrl}/product/products/${shop.productId}`;
    await throughput(system, 'product', 'GET /products/{id} (Node.js)', direct, viaGateway, auth);
    await overhead(direct, viaGateway, auth);
    await eventDelay(system, {
      title: 'POST /order/orders answered 201 at the client -> OrderCreated applied and committed by each consumer (Node.js)',
      event: 'OrderCreated',
      idField: 'orderId',
      publisher: 'order',
      consumers: ['product', 'search'],
      place: shop.placeOrder,
    });
    print();
    await otherWork('after measuring');
  } finally {
    await system.close();
  }
  await python();
});

/** The same figures for a Python service: taskflow's notification (FastAPI), behind the same generated gateway, fed by the Node.js task service. */
async function python(): Promise<void> {
  print();
  print(`Python: examples/taskflow generated, installed (npm, and pip into a venv) and run as processes on this machine`);
  print(`  system: task and user (Node.js), notification (Python: one uvicorn process, psycopg pool) + the generated gateway,`);
  print(`    on the local PostgreSQL and NATS JetStream, LOG_LEVEL=warn; gateway.rateLimit ${rateLimit} as above`);
  progress('generating, installing and building taskflow (about a minute)');
  const prepared = await prepareSystem('taskflow', 'nats', { edit: liftRateLimit });
  const system = await startSystem(prepared, 'postgres', { logLevel: 'warn' });
  try {
    const auth = { authorization: `Bearer ${system.token('bench')}` };
    const post = poster(system, auth);
    const user = await post('/user/users', { email: 'bench@example.com', displayName: 'Bench', role: 'member', active: true });
    const notification = await post('/notification/notifications', { recipientId: user.id, channel: 'email', subject: 'Bench', body: 'Benchmark', status: 'queued' });
    await otherWork('before measuring');
    const direct = `${system.url('notification')}/notifications/${notification.id}`;
    const viaGateway = `${system.gatewayUrl}/notification/notifications/${notification.id}`;
    await throughput(system, 'notification', 'GET /notifications/{id} (Python)', direct, viaGateway, auth);
    await eventDelay(system, {
      title: 'POST /task/tasks answered 201 at the client -> TaskCreated applied and committed by the Python notification service',
      event: 'TaskCreated',
      idField: 'taskId',
      publisher: 'task',
      consumers: ['notification'],
      place: () => post('/task/tasks', { title: 'Benchmark', priority: 'low', createdBy: user.id }),
    });
    print();
    await otherWork('after measuring');
  } finally {
    await system.close();
  }
}

/** Requests per second and latency under a fixed closed-loop load, with the CPU each process spent per request. */
async function throughput(system: RunningSystem, service: string, title: string, direct: string, viaGateway: string, auth: Record<string, string>): Promise<void> {
  const processes = ['gateway', service];
  const rows: string[] = [];
  const runs = [
    [`direct to ${service}`, direct],
    ['through the gateway', viaGateway],
  ] as const;
  for (const [label, url] of runs) {
    progress(`wrk: ${label}`);
    await wrk(url, { connections, seconds: warmUpSeconds, headers: auth });
    const before = processes.map((name) => cpuSeconds(system.pid(name)));
    const load = await wrk(url, { connections, seconds: loadSeconds, headers: auth });
    const cpu = processes.map((name, i) => {
      const [start, end] = [before[i], cpuSeconds(system.pid(name))];
      return start === undefined || end === undefined ? '?' : `${int(((end - start) / load.requests) * 1e6)} µs`;
    });
    const failed = load.failures > 0 ? `   (${int(load.failures)} failed requests!)` : '';
    rows.push(`  ${label.padEnd(24)} ${int(load.perSecond).padStart(9)} ${ms(load.p50Ms).padStart(10)} ${ms(load.p99Ms).padStart(10)}   ${cpu.join(' / ')}${failed}`);
  }
  print();
  print(`${title}: wrk, ${connections} connections, ${loadSeconds} s each after ${warmUpSeconds} s of warm-up`);
  print(`                              req/s        p50        p99   CPU per request (gateway / ${service})`);
  rows.forEach((row) => print(row));
}

/** The gateway's own time: one request at a time (nothing queues), alternating both ways so both see the same machine. */
async function overhead(direct: string, viaGateway: string, auth: Record<string, string>): Promise<void> {
  progress('sequential requests, alternating gateway and direct');
  const pair = [
    { url: viaGateway, headers: auth },
    { url: direct, headers: auth },
  ];
  await alternating(pair, warmUpSeconds);
  const [gateway, product] = (await alternating(pair, overheadSeconds)) as [number[], number[]];
  print();
  print(`Gateway overhead: one request at a time over one keep-alive connection each, alternating gateway / direct`);
  print(`  for ${overheadSeconds} s (${int(gateway.length)} requests each way, timed in this process); overhead = gateway minus direct, at each percentile`);
  print(`            direct    gateway   overhead   target`);
  const limits = { 50: targets.overheadP50Ms, 99: targets.overheadP99Ms };
  for (const [p, limit] of Object.entries(limits)) {
    const [viaP, directP] = [percentile(gateway, Number(p)), percentile(product, Number(p))];
    print(`  p${p}  ${ms(directP).padStart(10)} ${ms(viaP).padStart(10)} ${ms(viaP - directP).padStart(10)}   < ${limit} ms: ${verdict(viaP - directP < limit)}`);
  }
}

interface DelayedEvent {
  readonly title: string;
  readonly event: string;
  /** The field of the event's data holding the id of what `place` created. */
  readonly idField: string;
  readonly publisher: string;
  readonly consumers: readonly string[];
  /** Sends the request that publishes the event; resolves when its 201 arrived. */
  readonly place: () => Promise<Placed>;
}

/** From a request's 201 to its event applied (committed) by each consumer, with where the time goes on the way. */
async function eventDelay(system: RunningSystem, spec: DelayedEvent): Promise<void> {
  const consumers = new Map(spec.consumers.map((name) => [name, system.databaseUrl(name)]));
  const applied = await AppliedEvents.listen(spec.event, spec.idField, consumers);
  const outbox = new pg.Client({ connectionString: system.databaseUrl(spec.publisher) });
  try {
    await outbox.connect();
    progress(`publishing ${spec.event}`);
    await applied.run(spec.place, outbox, 20, false); // warm-up
    const runs: [string, DelayRun][] = [
      ['one at a time', await applied.run(spec.place, outbox, events, true)],
      ['back to back', await applied.run(spec.place, outbox, events, false)],
    ];
    print();
    print(`Event delay: ${spec.title}`);
    print(`  (a trigger on the consumer's inbox calls pg_notify, delivered to this process at commit; ${events} events per run;`);
    print(`  "one at a time" waits for every consumer before the next request, "back to back" sends it as soon as the 201 arrives)`);
    print(`                                events/s        p50        p99        max   target p99 < ${targets.eventDelayP99Ms} ms`);
    for (const [label, run] of runs) {
      for (const [service, delays] of run.delays) {
        const p99 = percentile(delays, 99);
        const rate = service === spec.consumers[0] ? (run.orders / run.seconds).toFixed(0) : '';
        const figures = [percentile(delays, 50), p99, Math.max(...delays)].map((value) => ms(value).padStart(10)).join(' ');
        print(`  ${label.padEnd(14)} ${service.padEnd(12)} ${rate.padStart(7)} ${figures}   ${verdict(p99 < targets.eventDelayP99Ms)}`);
      }
    }
    print(`  where the time goes, on PostgreSQL's clock from the start of the publisher's transaction (p50 / p99):`);
    for (const [label, run] of runs) {
      const spans: [string, number[]][] = [['relay pass starts', run.relayDelays], ...[...run.serverDelays].map(([service, delays]): [string, number[]] => [`${service}'s transaction starts`, delays])];
      print(`    ${label}: ${spans.map(([what, values]) => `${what} ${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`).join('; ')}`);
    }
  } finally {
    await outbox.end();
    await applied.close();
  }
}

/** Other work on the machine weighs on every figure: say how much there was, measured while the system is idle. */
async function otherWork(when: string): Promise<void> {
  const busy = await machineBusy(3);
  if (busy === undefined) return;
  const warning = busy > 0.1 ? ': other work was running, the figures are pessimistic' : '';
  print(`  CPU busy ${when} (system idle, 3 s): ${(busy * 100).toFixed(0)}% of the machine${warning}`);
}

function liftRateLimit(yaml: string): string {
  const lifted = yaml.replace(/^(\s+rateLimit:) .*$/m, `$1 ${rateLimit}`);
  if (lifted === yaml) throw new Error('the example has no gateway.rateLimit line to lift');
  return lifted;
}

interface Shop {
  readonly productId: string;
  /** Places an order of one unit through the gateway; resolves when its 201 arrived. */
  readonly placeOrder: () => Promise<Placed>;
}

/** A customer, an address and a product with plenty of stock, created through the gateway. */
async function seed(system: RunningSystem, auth: Record<string, string>): Promise<Shop> {
  const post = poster(system, auth);
  const user = await post('/user/users', { email: 'bench@example.com', name: 'Bench', marketingOptIn: false });
  const address = await post('/user/addresses', { userId: user.id, line1: '1 Loop Road', city: 'Localhost', postalCode: '127', country: 'GB', isDefault: true });
  const product = await post('/product/products', { sku: 'BENCH-1', name: 'Benchmark', price: 1.5, currency: 'EUR', stock: 1_000_000_000, category: 'bench', active: true });
  const order = { userId: user.id, shippingAddressId: address.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 1 }] };
  return {
    productId: product.id,
    placeOrder: async () => {
      const placed = await post('/order/orders', order);
      return { id: placed.id, at: placed.at };
    },
  };
}

/** POSTs through the gateway, expecting a 201: the new id and when the answer arrived. */
function poster(system: RunningSystem, auth: Record<string, string>): (path: string, body: unknown) => Promise<Placed> {
  return async (path, body) => {
    const response = await fetch(`${system.gatewayUrl}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const at = performance.now();
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
    return { id: (JSON.parse(text) as { id: string }).id, at };
  };
}
