import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerKind } from '../../model/types.js';
import { natsConsumerConfigs, natsMaxDeliver, natsStreamConfig, rabbitDefinitions, rabbitDeliveryLimit } from '../broker/view.js';
import type { Target } from '../target.js';
import { modelOf, renderYaml } from '../../../test/support/render/render.js';
import { pythonVenv } from '../../../test/support/python-venv.js';
import { freePort } from '../../../test/support/services.js';
import type { FileTree } from '../tree.js';
import { readFileSync } from 'node:fs';
import { targets } from '../targets.js';
import { pyBlock, renderPythonEvents } from './events.js';

const exec = promisify(execFile);

const events: Target = {
  name: 'python-events',
  render(context, tree) {
    for (const service of context.model.services) if (service.runtime === 'python') renderPythonEvents(context, service, tree);
  },
};

/** Python publishers and subscribers beside a Node.js one, two that own no database; a Python service without events. */
const yaml = (broker: BrokerKind): string => `version: 1
name: shop
broker: ${broker}
services:
  order:
    runtime: python
    database: orders
    publishes: [OrderPlaced]
    subscribes: [PaymentConfirmed, OrderPlaced]
  payment:
    database: payments
    publishes: [PaymentConfirmed]
  mailer:
    runtime: python
    database: mail
    subscribes: [OrderPlaced, PaymentConfirmed]
  catalog:
    runtime: python
    database: catalog
  archive:
    runtime: python
    database: none
    subscribes: [PaymentConfirmed]
  pinger:
    runtime: python
    database: none
    publishes: [OrderPlaced]
events:
  OrderPlaced: { orderId: uuid, lines: json, status: { enum: [new, paid] }, note: string?, tags: "string[]" }
  PaymentConfirmed: { orderId: uuid }
`;

const scratch = mkdtempSync(join(tmpdir(), 'py-events-'));
afterAll(() => {
  if (!process.env['TF_E2E_KEEP']) rmSync(scratch, { recursive: true, force: true });
});

function write(tree: FileTree, dir: string): void {
  for (const file of tree.files()) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
}

const filesOf = (tree: FileTree, service: string, folder = 'events'): string[] =>
  tree
    .files()
    .filter((f) => f.path.startsWith(`services/${service}/app/${folder}/`))
    .map((f) => f.path.slice(`services/${service}/app/${folder}/`.length))
    .sort();

/** The constants a rendered topology.py defines, read by Python itself (the file imports only typing). */
async function topologyOf(dir: string, service: string): Promise<Record<string, unknown>> {
  const program = 'import json, runpy; t = runpy.run_path("app/events/topology.py"); print(json.dumps({k: v for k, v in t.items() if k.isupper()}))';
  const { stdout } = await exec('python3', ['-c', program], { cwd: join(dir, 'services', service) });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('renderPythonEvents', () => {
  // The services' venvs (their requirements pin each broker's adapter), made before the tests: installing them takes an
  // install's time, several minutes while other files install theirs, which the tests' own time is not meant for.
  beforeAll(async () => {
    for (const broker of ['rabbitmq', 'nats'] as const) {
      const dir = join(scratch, `${broker}-venv`);
      write(renderYaml(yaml(broker), targets), dir);
      await pythonVenv(['requirements.txt', 'requirements-dev.txt'].flatMap((f) => readFileSync(join(dir, 'services', 'order', f), 'utf8').split('\n')).filter((l) => /^[\w.-]+==/.test(l)));
    }
  }, 900_000);

  it.each(['rabbitmq', 'nats'] as const)('%s: outbox and relay for publishers, the consumer for subscribers, one adapter, nothing without events', (broker) => {
    const tree = renderYaml(yaml(broker), [events]);
    const adapter = broker === 'rabbitmq' ? 'rabbitmq.py' : 'jetstream.py';
    const common = ['__init__.py', 'broker.py', 'envelope.py', adapter, 'runtime.py', 'schemas.py', 'topology.py'];
    expect(filesOf(tree, 'order')).toEqual([...common, 'consumer.py', 'outbox.py', 'relay.py'].sort());
    expect(filesOf(tree, 'mailer')).toEqual([...common, 'consumer.py'].sort());
    expect(filesOf(tree, 'catalog')).toEqual([]);
    expect(filesOf(tree, 'payment')).toEqual([]);
    // One hand-written handler per consumed event, the user's after the first render.
    expect(filesOf(tree, 'mailer', 'handlers')).toEqual(['on_order_placed.py', 'on_payment_confirmed.py']);
    expect(tree.files().find((f) => f.path === 'services/mailer/app/handlers/on_order_placed.py')?.owner).toBe('user');
  });

  it('renders nothing on Kafka, which Python services do not speak yet', () => {
    expect(renderYaml(yaml('kafka'), [events]).files()).toEqual([]);
  });

  it('RabbitMQ: the topology is broker/definitions.json, restricted to what the service touches', async () => {
    const dir = join(scratch, 'rabbitmq-topology');
    write(renderYaml(yaml('rabbitmq'), [events]), dir);
    const order = await topologyOf(dir, 'order');
    const definitions = rabbitDefinitions(modelOf(yaml('rabbitmq')));
    expect(order['EXCHANGE']).toBe('shop.events');
    expect(order['ROUTING_KEYS']).toEqual({ OrderPlaced: 'OrderPlaced' });
    expect(order['QUEUES']).toEqual({ PaymentConfirmed: 'shop.order.PaymentConfirmed', OrderPlaced: 'shop.order.OrderPlaced' });
    expect(order['MAX_DELIVERIES']).toBe(rabbitDeliveryLimit + 1);
    const declared = order['DECLARATIONS'] as { exchanges: string[]; queues: { name: string; arguments: unknown }[]; bindings: unknown[] };
    expect(declared.exchanges).toEqual(definitions.exchanges.map((e) => e.name));
    // Its own two queues, and the mailer's OrderPlaced queue (it publishes OrderPlaced), each with its DLQ.
    expect(declared.queues.map((q) => q.name).sort()).toEqual(
      ['shop.order.PaymentConfirmed', 'shop.order.OrderPlaced', 'shop.mailer.OrderPlaced'].flatMap((q) => [q, `${q}.dlq`]).sort(),
    );
    for (const queue of declared.queues) expect(queue.arguments).toEqual(definitions.queues.find((q) => q.name === queue.name)?.arguments);
    expect(declared.bindings).toHaveLength(6);
  });

  it('NATS: the stream and consumers are broker/nats/ (nanoseconds), the subjects those of the Node.js side', async () => {
    const dir = join(scratch, 'nats-topology');
    write(renderYaml(yaml('nats'), [events]), dir);
    const model = modelOf(yaml('nats'));
    const mailer = await topologyOf(dir, 'mailer');
    expect(mailer['STREAM']).toEqual(natsStreamConfig(model));
    expect(mailer['CONSUMERS']).toEqual({
      OrderPlaced: natsConsumerConfigs(model).find((c) => c.durable_name === 'mailer-OrderPlaced'),
      PaymentConfirmed: natsConsumerConfigs(model).find((c) => c.durable_name === 'mailer-PaymentConfirmed'),
    });
    expect(mailer['MAX_DELIVERIES']).toBe(natsMaxDeliver);
    expect((await topologyOf(dir, 'order'))['SUBJECTS']).toEqual({ OrderPlaced: 'shop.events.OrderPlaced' });
  });

  it.each(['rabbitmq', 'nats'] as const)('%s: the services (events, publish on the transaction, handlers) pass their ruff check, ruff format and mypy --strict', async (broker) => {
    const dir = join(scratch, `${broker}-check`);
    write(renderYaml(yaml(broker), targets), dir);
    const requirements = (service: string): string[] =>
      ['requirements.txt', 'requirements-dev.txt'].flatMap((f) => readFileSync(join(dir, 'services', service, f), 'utf8').split('\n')).filter((l) => /^[\w.-]+==/.test(l));
    // The adapter's packages are pinned in the requirements of the services that use the broker.
    expect(requirements('order')).toContain(broker === 'rabbitmq' ? 'aio-pika==10.2.1' : 'nats-py==2.16.0');
    const venv = await pythonVenv(requirements('order'));
    for (const service of ['order', 'mailer', 'archive', 'pinger']) {
      const cwd = join(dir, 'services', service);
      const ruff = await exec(join(venv, 'bin', 'python'), ['-m', 'ruff', 'check', 'app', 'tests'], { cwd }).catch((e: { stdout: string; stderr: string }) => e);
      expect(ruff.stdout, `ruff on ${service}: ${ruff.stderr}`).toMatch(/All checks passed/);
      const format = await exec(join(venv, 'bin', 'python'), ['-m', 'ruff', 'format', '--check', '--diff', 'app', 'tests'], { cwd }).catch((e: { stdout: string; stderr: string }) => e);
      expect(format.stdout + format.stderr, `ruff format on ${service}`).toMatch(/files? already formatted/);
      expect(format.stdout + format.stderr, `ruff format on ${service}`).not.toMatch(/would be reformatted/);
      const mypy = await exec(join(venv, 'bin', 'python'), ['-m', 'mypy', 'app'], { cwd }).catch((e: { stdout: string; stderr: string }) => e);
      expect(mypy.stdout, `mypy on ${service}: ${mypy.stderr}`).toMatch(/^Success/m);
    }
  }, 240_000);

  it('NATS: where nothing listens, the connection error says why (the refused connection) and what to do', async () => {
    const dir = join(scratch, 'nats-nowhere');
    write(renderYaml(yaml('nats'), targets), dir);
    const requirements = ['requirements.txt', 'requirements-dev.txt'].flatMap((f) => readFileSync(join(dir, 'services', 'order', f), 'utf8').split('\n')).filter((l) => /^[\w.-]+==/.test(l));
    const venv = await pythonVenv(requirements);
    const port = await freePort();
    const program = `import asyncio\nfrom app.events.jetstream import connect_nats\nasyncio.run(connect_nats("nats://127.0.0.1:${port}"))`;
    const failed = await exec(join(venv, 'bin', 'python'), ['-c', program], { cwd: join(dir, 'services', 'order') }).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failed).toBeDefined();
    expect(failed).toContain(
      `ConnectionError: cannot connect to NATS at nats://127.0.0.1:${port}: ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', ${port}) (still after 10 s). ` +
        'Start a NATS server with JetStream there (nats-server -js), or set BROKER_URL to one',
    );
  }, 240_000);

  it('offers no database to the handlers of a service that owns none: a subscriber keeps only its inbox there, a publisher its outbox', () => {
    const tree = renderYaml(yaml('rabbitmq'), targets);
    const file = (service: string, path: string) => tree.files().find((f) => f.path === `services/${service}/app/${path}`)?.content;
    const archive = file('archive', 'context.py')!;
    expect(archive).toContain('"""What route functions and hand-written handlers work with: a logger."""');
    expect(archive).toContain('    def __init__(self) -> None:\n        self.log = logging.getLogger("app")\n');
    expect(archive).not.toMatch(/self\.db|def transaction|Database/);
    // The inbox transaction its handlers get as `tx`; the consumer reaches the pool through the lifespan, not `ctx`.
    expect(archive).toContain('class Tx:');
    expect(file('archive', 'main.py')).toContain('app.state.context = Context()\n');
    expect(file('archive', 'main.py')).toContain('events = await start_events(settings, db, app.state.context, broker)');
    expect(file('archive', 'repositories/__init__.py')).toBeUndefined();
    const pinger = file('pinger', 'context.py')!;
    expect(pinger).toContain('"""What route functions and hand-written handlers work with: transactions and a logger."""');
    expect(pinger).toContain('async def transaction(self) -> AsyncIterator[Tx]:');
    expect(file('pinger', 'main.py')).toContain('app.state.context = Context(db)\n');
    expect(file('order', 'context.py')).toContain('work with: transactions and a logger."""');
  });

  it('pyBlock prints JSON as Python, wrapping long containers', () => {
    expect(pyBlock({ a: true, b: null, c: [1, 'x'] })).toBe('{"a": True, "b": None, "c": [1, "x"]}');
    const long = pyBlock({ key: 'v'.repeat(60), other: 'w'.repeat(60) });
    expect(long).toBe(`{\n    "key": "${'v'.repeat(60)}",\n    "other": "${'w'.repeat(60)}",\n}`);
  });
});
