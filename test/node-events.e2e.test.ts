import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { connect as amqpConnect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsNames, rabbitNames } from '../src/render/broker/naming.js';
import { natsMaxDeliver, rabbitDeliveryLimit } from '../src/render/broker/view.js';
import { counter, Driver, nodeConsumeDriver, nodePublishDriver, Proxy, until, type Metric } from './support/event-drivers.js';
import { renderYaml } from './support/render/render.js';
import { ensureNats, ensurePostgres, ensureRabbitMq, psql } from './support/services.js';

/**
 * The event layer of generated Node services (outbox, relay, idempotent
 * consumer, broker adapters) as real processes against the local PostgreSQL,
 * RabbitMQ and NATS JetStream. A small system (a source service publishing
 * ItemAdded, a sink service consuming it) is rendered by the real generator;
 * its events, db and observability files are compiled with two small driver
 * programs, one per service, that the test steers over stdin. The services
 * reach the broker through a TCP proxy here, so a broker outage can be staged
 * without touching the shared server. Kafka (no server here) is type-checked.
 */

const exec = promisify(execFile);
const run = randomBytes(4).toString('hex');
const scratch = mkdtempSync(join(tmpdir(), 'taskflow-events-'));
const source = `source-${run}`;
const sink = `sink-${run}`;
const event = 'ItemAdded';

const systemName = (broker: string): string => `ev-${broker}-${run}`;

function systemYaml(broker: 'rabbitmq' | 'nats' | 'kafka'): string {
  return `version: 1
name: ${systemName(broker)}
broker: ${broker}
services:
  ${source}:
    database: ${source.replace('-', '_')}
    publishes: [${event}]
  ${sink}:
    database: ${sink.replace('-', '_')}
    subscribes: [${event}]
events:
  ${event}: { seq: integer, poison: boolean? }
`;
}

/** Tries a BROKER_URL of another broker: must fail with a clear message. */
const wrongSchemeDriver = `import { connectBroker } from '../src/events/broker.js';

await connectBroker(process.argv[2] ?? '').then(
  () => process.exit(1),
  (error: unknown) => process.stdout.write(error instanceof Error ? error.message : String(error)),
);
`;

const eventsFiles = ['outbox', 'relay', 'consumer', 'broker', 'topology', 'envelope', 'rabbitmq', 'nats', 'kafka'].map((f) => `src/events/${f}.ts`);

// ---------------------------------------------------------------- setup: render, install, compile

const brokers = ['rabbitmq', 'nats', 'kafka'] as const;
type BrokerKind = (typeof brokers)[number];
const serviceDir = (broker: BrokerKind, service: string): string => join(scratch, broker, 'services', service);
const databases = (broker: BrokerKind) => ({ source: `ev_${run}_${broker}_source`, sink: `ev_${run}_${broker}_sink` });
const started: Driver[] = [];
const created: string[] = [];
const timings: Record<string, string> = {};

beforeAll(async () => {
  const setupStart = Date.now();
  await Promise.all([ensurePostgres(), ensureRabbitMq(), ensureNats()]);
  for (const broker of brokers) {
    for (const file of renderYaml(systemYaml(broker)).files()) {
      if (!file.path.startsWith('services/')) continue;
      mkdirSync(dirname(join(scratch, broker, file.path)), { recursive: true });
      writeFileSync(join(scratch, broker, file.path), file.content);
    }
    for (const [service, script, text] of [[source, 'publish.ts', nodePublishDriver(event)], [sink, 'consume.ts', nodeConsumeDriver(event)], [source, 'wrong-scheme.ts', wrongSchemeDriver]] as const) {
      const dir = serviceDir(broker, service);
      mkdirSync(join(dir, 'driver'), { recursive: true });
      writeFileSync(join(dir, 'driver', script), text);
      // Only what the drivers use; the rest of the service is other tests' business.
      writeFileSync(join(dir, 'tsconfig.events.json'), JSON.stringify({ extends: './tsconfig.json', include: [...eventsFiles, 'src/db', 'src/observability', 'driver'] }));
    }
  }
  // One install for all six services, as the generated root workspace does it for one system.
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'events-e2e', private: true, workspaces: brokers.map((b) => `${b}/services/*`) }));
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: scratch, maxBuffer: 64 * 1024 * 1024 });
  timings['install'] = `${Date.now() - setupStart} ms`;
  for (const broker of ['rabbitmq', 'nats'] as const) {
    for (const db of Object.values(databases(broker))) {
      await psql('postgres', `CREATE DATABASE ${db}`);
      created.push(db);
    }
  }
}, 180_000);

afterAll(async () => {
  for (const driver of started) if (driver.child.exitCode === null && driver.child.signalCode === null) driver.child.kill('SIGKILL');
  await Promise.all(started.map((d) => d.exited));
  for (const db of created) await psql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
  console.info(`node events e2e timings: ${JSON.stringify(timings)}`);
}, 60_000);

async function compile(broker: BrokerKind, emit: boolean): Promise<void> {
  const tsc = join(scratch, 'node_modules', '.bin', 'tsc');
  await Promise.all(
    [source, sink].map((service) =>
      exec(tsc, ['-p', 'tsconfig.events.json', ...(emit ? [] : ['--noEmit'])], { cwd: serviceDir(broker, service) }).catch((error: { stdout?: string }) => {
        throw new Error(`tsc failed for the ${broker} ${service}:\n${error.stdout ?? String(error)}`);
      }),
    ),
  );
}

// ---------------------------------------------------------------- the scenario, per broker

interface BrokerUnderTest {
  readonly kind: 'rabbitmq' | 'nats';
  readonly port: number;
  readonly url: (port: number) => string;
  readonly otherUrl: string;
  readonly maxDeliveries: number;
  /** How the consumer is stopped mid-stream: RabbitMQ requeues a crashed consumer's messages at once; JetStream would wait out the ack wait. */
  readonly restart: 'SIGKILL' | 'SIGTERM';
  /** Puts a raw body on the event's queue or subject, bypassing the outbox (a duplicate, or garbage). */
  inject(bodies: readonly string[]): Promise<void>;
  /** Messages given up on, as the broker shows them (RabbitMQ: in the DLQ), or undefined where it cannot tell. */
  deadLettered(): Promise<number | undefined>;
  /** Checks that the broker holds nothing more for the consumer. */
  drained?(): Promise<void>;
  cleanup(): Promise<void>;
}

async function scenario(broker: BrokerUnderTest): Promise<void> {
  const started0 = Date.now();
  await compile(broker.kind, true);
  const dbs = databases(broker.kind);
  const sourceDir = serviceDir(broker.kind, source);
  const sinkDir = serviceDir(broker.kind, sink);

  // A URL of another broker is refused with a message that says what to do.
  const { stdout: refusal } = await exec(process.execPath, ['dist/driver/wrong-scheme.js', broker.otherUrl], { cwd: sourceDir });
  expect(refusal).toMatch(new RegExp(`BROKER_URL must be a ${broker.kind === 'rabbitmq' ? 'RabbitMQ' : 'NATS'} URL like .*this system's broker is`));

  const proxy = new Proxy(broker.port);
  const url = broker.url(await proxy.listen());
  const startSink = (): Promise<Driver> => Driver.start([process.execPath, 'dist/driver/consume.js'], sinkDir, { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbs.sink}`, BROKER_URL: url }, started);
  const applied = async (): Promise<number> => Number(await psql(dbs.sink, 'SELECT count(*) FROM applied'));
  const metrics: (Metric[] | undefined)[] = [];
  const phases: string[] = [];
  const phase = (name: string): void => void phases.push(`${name} ${((Date.now() - started0) / 1000).toFixed(1)} s`);
  try {
    phase('compiled');
    let consumer = await startSink();
    const producer = await Driver.start([process.execPath, 'dist/driver/publish.js'], sourceDir, { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbs.source}`, BROKER_URL: url }, started);
    const first = consumer;
    const logs = () => [producer, first, consumer].map((d, i) => `--- ${['producer', 'first consumer', 'consumer'][i]}\n${d.log()}`).join('\n');

    // 1. A poison event and 100 events; the consumer stops mid-stream, 100 more arrive while it is down, a new one takes over.
    //    The poison is retried with backoff, across the restart, until it is dead-lettered.
    await producer.send({ cmd: 'poison' });
    const publishing = producer.send({ cmd: 'publish', from: 0, count: 100, gapMs: 3 });
    await until('30 events applied', async () => (await applied()) >= 30, 20_000, logs);
    metrics.push(await consumer.stop(broker.restart));
    const stoppedAt = await applied();
    await publishing;
    await producer.send({ cmd: 'publish', from: 100, count: 100, gapMs: 0 });
    consumer = await startSink();
    await until('200 events applied', async () => (await applied()) >= 200, 30_000, logs);
    phase('restart');
    const deadLetters = async (live: readonly Metric[]): Promise<number> =>
      (await broker.deadLettered()) ?? counter([...metrics.flatMap((m) => m ?? []), ...live], 'events_failed_total', { action: 'dead_letter' });
    // Out of the way before the outage, which would otherwise catch it between two deliveries.
    await until('the poison dead-lettered', async () => (await deadLetters(await consumer.metrics())) === 1, 30_000, logs);
    phase('poison');

    // 2. The broker goes away for 2 s: commits go on, the relay retries, both services reconnect.
    proxy.cut();
    await sleep(300);
    const duringOutage = producer.send({ cmd: 'publish', from: 200, count: 50, gapMs: 10 });
    expect(await producer.send({ cmd: 'ready' })).toEqual({ ready: false });
    await sleep(1700);
    proxy.restore();
    await duringOutage;
    await until('250 events applied after the outage', async () => (await applied()) >= 250, 30_000, logs);
    await until('the producer ready again', async () => (await producer.send({ cmd: 'ready' })).ready === true, 10_000, logs);

    phase('outage');
    // 3. A duplicate of an event already applied, and a body that is not an envelope, straight onto the broker.
    const [envelope] = (await psql(dbs.source, 'SELECT envelope FROM outbox ORDER BY position LIMIT 1 OFFSET 1')).split('\n');
    await broker.inject([envelope!, 'not an envelope']);
    await until(
      'the duplicate dropped and the garbage dead-lettered',
      async () => {
        const live = await consumer.metrics();
        return counter([...metrics.flatMap((m) => m ?? []), ...live], 'events_consumed_total', { result: 'duplicate' }) >= 1 && (await deadLetters(live)) === 2;
      },
      30_000,
      logs,
    );

    phase('duplicate and dead letters');
    // 4. Latency: 100 events 10 ms apart, each committed, woken, relayed, consumed.
    await producer.send({ cmd: 'publish', from: 300, count: 100, gapMs: 10 });
    await until('350 events applied', async () => (await applied()) >= 350, 20_000, logs);
    const [p50 = NaN, p99 = NaN, max = NaN] = (await psql(dbs.sink, 'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY delay_ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY delay_ms), max(delay_ms) FROM applied WHERE seq >= 300'))
      .split('|')
      .map(Number);

    phase('latency');
    metrics.push(await consumer.stop('SIGTERM'));
    await producer.stop('SIGTERM');

    // Exactly once: every event applied, none twice, each in the context of the request that published it.
    expect(await psql(dbs.sink, "SELECT count(*), count(DISTINCT event_id), count(DISTINCT seq), count(*) FILTER (WHERE correlation = 'corr-' || seq) FROM applied")).toBe('350|350|350|350');
    expect(await psql(dbs.sink, 'SELECT count(*) FROM inbox')).toBe('350');
    expect(await psql(dbs.source, 'SELECT count(*) FILTER (WHERE sent_at IS NULL), count(*) FROM outbox')).toBe('0|351');
    const all = metrics.flatMap((m) => m ?? []);
    expect(counter(all, 'events_consumed_total', { result: 'duplicate' })).toBeGreaterThanOrEqual(1);
    expect(counter(all, 'events_failed_total', { action: 'retry' })).toBeGreaterThanOrEqual(1);
    expect(counter(all, 'events_failed_total', { action: 'retry' })).toBeLessThanOrEqual(broker.maxDeliveries - 1);
    expect(await deadLetters([])).toBe(2);
    await broker.drained?.();
    // Events leave on the commit's wake(), not on the relay's 500 ms poll: polled, the median delay would be about 250 ms.
    // (The median, not p99, which a busy machine's pauses decide; both are printed with the timings.)
    expect(p50, `event delay p50 ${p50} ms, p99 ${p99} ms`).toBeLessThan(125);
    timings[broker.kind] = `${phases.join(', ')}; consumer stopped (${broker.restart}) at ${stoppedAt}/100; delay p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`;
  } finally {
    await proxy.close();
    await broker.cleanup();
  }
}

describe('generated event layer, end to end', () => {
  it.concurrent('RabbitMQ: outbox, relay, inbox: exactly once across a consumer crash and a broker outage; poison and garbage dead-lettered', async () => {
    const system = systemName('rabbitmq');
    const names = rabbitNames(system, sink, event);
    const admin = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
    const channel = await admin.createChannel();
    try {
      await scenario({
        kind: 'rabbitmq',
        port: 5672,
        url: (port) => `amqp://guest:guest@127.0.0.1:${port}`,
        otherUrl: 'nats://127.0.0.1:4222',
        maxDeliveries: rabbitDeliveryLimit + 1,
        restart: 'SIGKILL',
        async inject(bodies) {
          for (const body of bodies) channel.publish(names.exchange, names.routingKey, Buffer.from(body));
        },
        async deadLettered() {
          return (await channel.checkQueue(names.deadLetterQueue)).messageCount;
        },
        async cleanup() {
          for (const queue of [names.queue, names.deadLetterQueue]) await channel.deleteQueue(queue);
          for (const exchange of [names.exchange, names.deadLetterExchange]) await channel.deleteExchange(exchange);
        },
      });
    } finally {
      await admin.close();
    }
  }, 90_000);

  it.concurrent('NATS JetStream: outbox, relay, inbox: exactly once across a consumer restart and a server outage; poison and garbage terminated', async () => {
    const names = natsNames(systemName('nats'), sink, event);
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const js = jetstream(nc);
    try {
      await scenario({
        kind: 'nats',
        port: 4222,
        url: (port) => `nats://127.0.0.1:${port}`,
        otherUrl: 'amqp://guest:guest@127.0.0.1:5672',
        maxDeliveries: natsMaxDeliver,
        restart: 'SIGTERM',
        async inject(bodies) {
          for (const body of bodies) await js.publish(names.subject, body, { msgID: randomBytes(8).toString('hex') });
        },
        // Terminated messages stay in the stream, where only the consumer's metrics tell them.
        deadLettered: async () => undefined,
        async drained() {
          const info = await (await jetstreamManager(nc)).consumers.info(names.stream, names.durable);
          expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
        },
        async cleanup() {
          await (await jetstreamManager(nc)).streams.delete(names.stream);
        },
      });
    } finally {
      await nc.close();
    }
  }, 90_000);

  it.concurrent('Kafka: the events files type-check against kafkajs', async () => {
    const t = Date.now();
    await compile('kafka', false);
    timings['kafka'] = `tsc ${Date.now() - t} ms`;
  }, 60_000);
});
