import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { connect as amqpConnect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsNames, rabbitNames } from '../src/render/broker/naming.js';
import { natsMaxDeliver, rabbitDeliveryLimit } from '../src/render/broker/view.js';
import { targets } from '../src/render/targets.js';
import {
  counter,
  Driver,
  nodeConsumeDriver,
  nodePublishDriver,
  Proxy,
  pythonConsumeDriver,
  pythonPublishDriver,
  until,
  type Metric,
} from './support/event-drivers.js';
import { pythonVenv } from './support/python-venv.js';
import { renderYaml } from './support/render/render.js';
import { ensureNats, ensurePostgres, ensureRabbitMq, psql } from './support/services.js';

/**
 * One event flow across runtimes: a Node.js service publishes ItemAdded to a
 * Python subscriber, and a Python service publishes ItemMoved to a Node.js
 * subscriber, over RabbitMQ and over NATS JetStream. All four services are
 * rendered by the real generator from one system.yaml; each runs as a small
 * driver program over its generated events package (outbox, relay, inbox
 * consumer, adapter), steered over stdin, and reaches the broker through a
 * TCP proxy so that an outage can be staged without touching the shared
 * server. Per flow: 300 events exactly once across a consumer kill and a
 * broker outage, and a poison message dead-lettered by the subscriber.
 */

const exec = promisify(execFile);
const run = randomBytes(4).toString('hex');
const scratch = mkdtempSync(join(tmpdir(), 'taskflow-xr-events-'));

type BrokerKind = 'rabbitmq' | 'nats';
type Runtime = 'node' | 'python';

interface Flow {
  readonly event: string;
  readonly publisher: { readonly service: string; readonly runtime: Runtime };
  readonly subscriber: { readonly service: string; readonly runtime: Runtime };
}

const flows: readonly Flow[] = [
  { event: 'ItemAdded', publisher: { service: 'nodepub', runtime: 'node' }, subscriber: { service: 'pysub', runtime: 'python' } },
  { event: 'ItemMoved', publisher: { service: 'pypub', runtime: 'python' }, subscriber: { service: 'nodesub', runtime: 'node' } },
];

const systemName = (broker: BrokerKind): string => `xr-${broker}-${run}`;

const systemYaml = (broker: BrokerKind): string => `version: 1
name: ${systemName(broker)}
broker: ${broker}
services:
  nodepub:
    database: nodepub
    publishes: [ItemAdded]
  pysub:
    runtime: python
    database: pysub
    subscribes: [ItemAdded]
  pypub:
    runtime: python
    database: pypub
    publishes: [ItemMoved]
  nodesub:
    database: nodesub
    subscribes: [ItemMoved]
events:
  ItemAdded: { seq: integer, poison: boolean? }
  ItemMoved: { seq: integer, poison: boolean? }
`;

const brokers = ['rabbitmq', 'nats'] as const;
const serviceDir = (broker: BrokerKind, service: string): string => join(scratch, broker, 'services', service);
const database = (broker: BrokerKind, service: string): string => `xr_${run}_${broker}_${service}`;
const databaseUrl = (broker: BrokerKind, service: string): string => `postgres://postgres@127.0.0.1:5432/${database(broker, service)}`;
const started: Driver[] = [];
const created: string[] = [];
const venvs = new Map<BrokerKind, string>();
const timings: Record<string, string> = {};

const requirementsOf = (dir: string): string[] => readFileSync(join(dir, 'requirements.txt'), 'utf8').split('\n').filter((line) => /^[\w.-]+==/.test(line));

beforeAll(async () => {
  const setupStart = Date.now();
  await Promise.all([ensurePostgres(), ensureRabbitMq(), ensureNats()]);
  const nodeServices = flows.flatMap((f) => [f.publisher, f.subscriber]).filter((s) => s.runtime === 'node');
  for (const broker of brokers) {
    for (const file of renderYaml(systemYaml(broker), targets).files()) {
      if (!file.path.startsWith('services/')) continue;
      mkdirSync(dirname(join(scratch, broker, file.path)), { recursive: true });
      writeFileSync(join(scratch, broker, file.path), file.content);
    }
    for (const flow of flows) {
      const { publisher, subscriber, event } = flow;
      for (const [side, program] of [
        [publisher, publisher.runtime === 'node' ? nodePublishDriver(event) : pythonPublishDriver(event)],
        [subscriber, subscriber.runtime === 'node' ? nodeConsumeDriver(event) : pythonConsumeDriver(event)],
      ] as const) {
        const dir = serviceDir(broker, side.service);
        mkdirSync(join(dir, 'driver'), { recursive: true });
        if (side.runtime === 'node') {
          writeFileSync(join(dir, 'driver', side === publisher ? 'publish.ts' : 'consume.ts'), program);
          const events = ['outbox', 'relay', 'consumer', 'broker', 'topology', 'envelope', broker].map((f) => `src/events/${f}.ts`).filter((f) => existsSync(join(dir, f)));
          writeFileSync(join(dir, 'tsconfig.events.json'), JSON.stringify({ extends: './tsconfig.json', include: [...events, 'src/db', 'src/observability', 'driver'] }));
        } else {
          writeFileSync(join(dir, 'driver', side === publisher ? 'publish.py' : 'consume.py'), program);
        }
      }
    }
  }
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'xr-events-e2e', private: true, workspaces: brokers.flatMap((b) => nodeServices.map((s) => `${b}/services/${s.service}`)) }),
  );
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: scratch, maxBuffer: 64 * 1024 * 1024 });
  timings['install'] = `${Date.now() - setupStart} ms`;
  const tsc = join(scratch, 'node_modules', '.bin', 'tsc');
  await Promise.all(
    brokers.flatMap((broker) =>
      nodeServices.map((s) =>
        exec(tsc, ['-p', 'tsconfig.events.json'], { cwd: serviceDir(broker, s.service) }).catch((error: { stdout?: string }) => {
          throw new Error(`tsc failed for the ${broker} ${s.service}:\n${error.stdout ?? String(error)}`);
        }),
      ),
    ),
  );
  for (const broker of brokers) {
    for (const service of ['nodepub', 'pysub', 'pypub', 'nodesub']) {
      await psql('postgres', `CREATE DATABASE ${database(broker, service)}`);
      created.push(database(broker, service));
    }
  }
  timings['setup'] = `${Date.now() - setupStart} ms`;
}, 300_000);

// The Python services' venvs, in a hook of their own: installing one takes an install's time, several minutes on a
// busy machine while other files install theirs, which the setup above is not bounded for.
beforeAll(async () => {
  const venvsStart = Date.now();
  // Each broker's Python services install from their own requirements.txt (the same for both of them).
  for (const broker of brokers) venvs.set(broker, await pythonVenv(requirementsOf(serviceDir(broker, 'pysub'))));
  timings['venvs'] = `${Date.now() - venvsStart} ms`;
}, 900_000);

afterAll(async () => {
  for (const driver of started) if (driver.child.exitCode === null && driver.child.signalCode === null) driver.child.kill('SIGKILL');
  await Promise.all(started.map((d) => d.exited));
  for (const db of created) await psql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
  if (!process.env['TF_E2E_KEEP']) rmSync(scratch, { recursive: true, force: true });
  console.info(`cross-runtime events e2e timings: ${JSON.stringify(timings)}`);
}, 60_000);

function startDriver(broker: BrokerKind, side: Flow['publisher'], role: 'publish' | 'consume', brokerUrl: string): Promise<Driver> {
  const command = side.runtime === 'node' ? [process.execPath, `dist/driver/${role}.js`] : [join(venvs.get(broker)!, 'bin', 'python'), `driver/${role}.py`];
  const env = { DATABASE_URL: databaseUrl(broker, side.service), BROKER_URL: brokerUrl, PYTHONPATH: '.', PYTHONUNBUFFERED: '1' };
  return Driver.start(command, serviceDir(broker, side.service), env, started);
}

interface BrokerUnderTest {
  readonly kind: BrokerKind;
  readonly port: number;
  readonly url: (port: number) => string;
  readonly maxDeliveries: number;
  /** RabbitMQ requeues a killed consumer's messages at once; JetStream would wait out the 30 s ack wait, so its consumer gets a SIGTERM. */
  readonly restart: 'SIGKILL' | 'SIGTERM';
  /** Messages given up on, as the broker shows them (RabbitMQ: in the DLQ), or undefined where it cannot tell. */
  deadLettered(event: string, subscriber: string): Promise<number | undefined>;
  drained?(event: string, subscriber: string): Promise<void>;
}

async function scenario(broker: BrokerUnderTest, flow: Flow): Promise<void> {
  const t0 = Date.now();
  const phases: string[] = [];
  const phase = (name: string): void => void phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const sinkDb = database(broker.kind, flow.subscriber.service);
  const sourceDb = database(broker.kind, flow.publisher.service);
  const proxy = new Proxy(broker.port);
  const url = broker.url(await proxy.listen());
  const applied = async (): Promise<number> => Number(await psql(sinkDb, 'SELECT count(*) FROM applied'));
  const metrics: (Metric[] | undefined)[] = [];
  try {
    let consumer = await startDriver(broker.kind, flow.subscriber, 'consume', url);
    const producer = await startDriver(broker.kind, flow.publisher, 'publish', url);
    const first = consumer;
    const logs = () => [producer, first, consumer].map((d, i) => `--- ${['producer', 'first consumer', 'consumer'][i]}\n${d.log()}`).join('\n');
    const deadLetters = async (live: readonly Metric[]): Promise<number> =>
      (await broker.deadLettered(flow.event, flow.subscriber.service)) ??
      counter([...metrics.flatMap((m) => m ?? []), ...live], 'events_failed_total', { action: 'dead_letter' });

    // 1. A poison event and 100 events; the consumer is stopped mid-stream, 100 more arrive while it is down, a new one takes over.
    await producer.send({ cmd: 'poison' });
    const publishing = producer.send({ cmd: 'publish', from: 0, count: 100, gapMs: 3 });
    await until('30 events applied', async () => (await applied()) >= 30, 30_000, logs);
    metrics.push(await consumer.stop(broker.restart));
    const stoppedAt = await applied();
    await publishing;
    await producer.send({ cmd: 'publish', from: 100, count: 100, gapMs: 0 });
    consumer = await startDriver(broker.kind, flow.subscriber, 'consume', url);
    await until('200 events applied', async () => (await applied()) >= 200, 60_000, logs);
    phase('consumer restart');
    // The poison is retried with backoff, across the restart, until the subscriber dead-letters it.
    await until('the poison dead-lettered', async () => (await deadLetters(await consumer.metrics())) === 1, 60_000, logs);
    phase('poison');

    // 2. The broker goes away for 2 s while 100 events are committed: the relay retries, both sides reconnect.
    proxy.cut();
    await sleep(300);
    const duringOutage = producer.send({ cmd: 'publish', from: 200, count: 100, gapMs: 5 });
    expect(await producer.send({ cmd: 'ready' })).toEqual({ ready: false });
    await sleep(1700);
    proxy.restore();
    await duringOutage;
    await until('300 events applied after the outage', async () => (await applied()) >= 300, 60_000, logs);
    await until('the producer ready again', async () => (await producer.send({ cmd: 'ready' })).ready === true, 20_000, logs);
    phase('outage');

    metrics.push(await consumer.stop('SIGTERM'));
    await producer.stop('SIGTERM');

    // Exactly once: every event applied, none twice, each in the context of the request that published it.
    expect(await psql(sinkDb, "SELECT count(*), count(DISTINCT event_id), count(DISTINCT seq), count(*) FILTER (WHERE correlation = 'corr-' || seq) FROM applied")).toBe(
      '300|300|300|300',
    );
    expect(await psql(sinkDb, 'SELECT count(*) FROM inbox')).toBe('300');
    expect(await psql(sourceDb, 'SELECT count(*) FILTER (WHERE sent_at IS NULL), count(*) FROM outbox')).toBe('0|301');
    const all = metrics.flatMap((m) => m ?? []);
    expect(counter(all, 'events_failed_total', { action: 'retry' })).toBeGreaterThanOrEqual(1);
    expect(counter(all, 'events_failed_total', { action: 'retry' })).toBeLessThanOrEqual(broker.maxDeliveries - 1);
    expect(await deadLetters([])).toBe(1);
    await broker.drained?.(flow.event, flow.subscriber.service);
    timings[`${broker.kind} ${flow.publisher.runtime}->${flow.subscriber.runtime}`] =
      `${phases.join(', ')}; consumer stopped (${broker.restart}) at ${stoppedAt}/100`;
  } finally {
    await proxy.close();
  }
}

describe('events across runtimes, end to end', () => {
  describe.each(flows)('$publisher.runtime publisher -> $subscriber.runtime subscriber ($event)', (flow) => {
    it.concurrent('RabbitMQ: 300 events exactly once across a consumer kill and a broker outage; the poison dead-lettered', async () => {
      const admin = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
      const channel = await admin.createChannel();
      try {
        await scenario(
          {
            kind: 'rabbitmq',
            port: 5672,
            url: (port) => `amqp://guest:guest@127.0.0.1:${port}`,
            maxDeliveries: rabbitDeliveryLimit + 1,
            restart: 'SIGKILL',
            async deadLettered(event, subscriber) {
              return (await channel.checkQueue(rabbitNames(systemName('rabbitmq'), subscriber, event).deadLetterQueue)).messageCount;
            },
          },
          flow,
        );
      } finally {
        const names = rabbitNames(systemName('rabbitmq'), flow.subscriber.service, flow.event);
        for (const queue of [names.queue, names.deadLetterQueue]) await channel.deleteQueue(queue).catch(() => undefined);
        await admin.close();
      }
    }, 180_000);

    it.concurrent('NATS JetStream: 300 events exactly once across a consumer restart and a server outage; the poison terminated', async () => {
      const nc = await natsConnect({ servers: '127.0.0.1:4222' });
      try {
        await scenario(
          {
            kind: 'nats',
            port: 4222,
            url: (port) => `nats://127.0.0.1:${port}`,
            maxDeliveries: natsMaxDeliver,
            restart: 'SIGTERM',
            // Terminated messages stay in the stream, where only the consumer's metrics tell them.
            deadLettered: async () => undefined,
            async drained(event, subscriber) {
              const names = natsNames(systemName('nats'), subscriber, event);
              const info = await (await jetstreamManager(nc)).consumers.info(names.stream, names.durable);
              expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
            },
          },
          flow,
        );
      } finally {
        await nc.close();
      }
    }, 180_000);
  });
});

afterAll(async () => {
  // The exchanges (RabbitMQ) and the stream (NATS) both flows shared.
  const admin = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
  const channel = await admin.createChannel();
  const names = rabbitNames(systemName('rabbitmq'), '', '');
  for (const exchange of [names.exchange, names.deadLetterExchange]) await channel.deleteExchange(exchange).catch(() => undefined);
  await admin.close();
  const nc = await natsConnect({ servers: '127.0.0.1:4222' });
  await (await jetstreamManager(nc)).streams.delete(natsNames(systemName('nats'), '', '').stream).catch(() => undefined);
  await nc.close();
});
