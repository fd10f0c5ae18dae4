import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager, type StreamConfig, type ConsumerConfig } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNats } from '../../../test/support/services.js';
import { natsNames } from './naming.js';
import { edgeYaml, fileOf, renderEvents, systemsWith, withBroker } from '../../../test/support/render/broker/systems.js';
import { natsBackoff, natsConsumerPath, natsMaxDeliver, subscriptions, type NatsConsumerConfig, type NatsStreamConfig } from './view.js';

const systems = systemsWith('nats');

function configsOf(yaml: string): { stream: NatsStreamConfig; consumers: NatsConsumerConfig[] } {
  const tree = renderEvents(yaml);
  const consumers = tree
    .files()
    .filter((f) => f.path.startsWith('broker/nats/consumers/'))
    .map((f) => JSON.parse(f.content) as NatsConsumerConfig);
  return { stream: JSON.parse(fileOf(tree, 'broker/nats/stream.json')) as NatsStreamConfig, consumers };
}

describe('broker/nats/', () => {
  it.each(systems)('$label: one stream over the system subjects, one durable pull consumer per subscription', ({ yaml, model }) => {
    const { stream, consumers } = configsOf(yaml);
    const names = natsNames(model.name, '', '');
    expect(stream).toMatchObject({ name: names.stream, subjects: [names.streamSubjects], retention: 'limits', storage: 'file' });
    expect(stream.duplicate_window).toBeGreaterThan(0);
    expect(consumers.map((c) => c.durable_name).sort()).toEqual(subscriptions(model).map((s) => natsNames(model.name, s.service, s.event).durable).sort());
    for (const consumer of consumers) {
      expect(consumer).toMatchObject({ ack_policy: 'explicit', deliver_policy: 'all', max_deliver: natsMaxDeliver });
      expect(consumer).not.toHaveProperty('deliver_subject'); // pull, not push
      expect(consumer.max_deliver).toBeGreaterThan(consumer.backoff.length);
    }
    expect(renderEvents(yaml).get('broker/jetstream.json')).toBeUndefined();
  });

  it('names follow naming.ts: upper snake stream, <service>-<Event> durables, <system>.events.<Event> subjects', () => {
    expect(natsNames('edge-case', 'order-service', 'OrderPlaced')).toEqual({
      stream: 'EDGE_CASE_EVENTS',
      streamSubjects: 'edge-case.events.>',
      subject: 'edge-case.events.OrderPlaced',
      durable: 'order-service-OrderPlaced',
    });
    const tree = renderEvents(withBroker(edgeYaml, 'nats'));
    expect(JSON.parse(fileOf(tree, natsConsumerPath('order-service-OrderPlaced')))).toEqual({
      durable_name: 'order-service-OrderPlaced',
      description: 'order-service consumes OrderPlaced',
      filter_subject: 'edge-case.events.OrderPlaced',
      deliver_policy: 'all',
      ack_policy: 'explicit',
      ack_wait: natsBackoff[0],
      max_deliver: natsMaxDeliver,
      backoff: natsBackoff,
      replay_policy: 'instant',
    });
    expect(tree.get(natsConsumerPath('order-service-Audited'))).toBeUndefined(); // nobody subscribes to Audited
  });

  it('README gives the nats CLI command for the stream and every consumer', () => {
    const readme = fileOf(renderEvents(withBroker(edgeYaml, 'nats')), 'broker/README.md');
    expect(readme).toContain('nats --server nats://broker:4222 stream add --config broker/nats/stream.json');
    for (const durable of ['order-service-OrderPlaced', 'billing-OrderPlaced', 'stock-OrderPlaced', 'billing-On', 'relay-On', 'billing-Ghost']) {
      expect(readme).toContain(`nats --server nats://broker:4222 consumer add EDGE_CASE_EVENTS --config broker/nats/consumers/${durable}.json`);
    }
  });
});

describe('broker/nats/ on the local NATS JetStream server', () => {
  // Unique per run: the stream name, and a subject prefix, since two streams may not share subjects.
  const run = randomUUID().slice(0, 8);
  const prefix = `t${run}`;
  const loaded = systems.map((system) => {
    const { stream, consumers } = configsOf(system.yaml);
    return {
      system,
      stream: { ...stream, name: `T${run.toUpperCase()}_${stream.name}`, subjects: stream.subjects.map((s) => `${prefix}.${s}`) },
      consumers: consumers.map((c) => ({ ...c, filter_subject: `${prefix}.${c.filter_subject}` })),
    };
  });
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const created: string[] = [];

  beforeAll(async () => {
    await ensureNats();
    nc = await connect({ servers: '127.0.0.1:4222' });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    if (jsm) for (const name of created) await jsm.streams.delete(name).catch(() => undefined);
    await nc?.close();
  });

  async function addStream(config: NatsStreamConfig): Promise<StreamConfig> {
    created.push(config.name);
    // The client writes into the config it is given; keep ours intact for the comparison.
    return (await jsm.streams.add(structuredClone(config) as unknown as StreamConfig)).config;
  }

  it.each(loaded)('$system.label: the server creates the stream and consumers as written, and again unchanged', async ({ stream, consumers }) => {
    expect(await addStream(stream)).toMatchObject(stream);
    for (const consumer of consumers) {
      expect((await jsm.consumers.add(stream.name, structuredClone(consumer) as unknown as ConsumerConfig)).config).toMatchObject(consumer);
    }
    // `nats stream add` / `nats consumer add` are safe to repeat (README): the same config again is accepted.
    expect(await addStream(stream)).toMatchObject(stream);
    for (const consumer of consumers) await jsm.consumers.add(stream.name, structuredClone(consumer) as unknown as ConsumerConfig);
  });

  it.each(loaded.filter((l) => subscriptions(l.system.model).length > 0))(
    '$system.label: each durable gets exactly its event, and a repeated message id is stored once',
    async ({ system, stream, consumers }) => {
      const js = jetstream(nc);
      for (const event of system.model.events) {
        const subject = `${prefix}.${natsNames(system.model.name, '', event.name).subject}`;
        const data = JSON.stringify({ id: `${run}-${event.name}`, type: event.name });
        expect((await js.publish(subject, data, { msgID: `${run}-${event.name}` })).duplicate).toBe(false);
        expect((await js.publish(subject, data, { msgID: `${run}-${event.name}` })).duplicate).toBe(true);
      }
      for (const config of consumers) {
        const consumer = await js.consumers.get(stream.name, config.durable_name);
        expect((await consumer.info()).num_pending, config.durable_name).toBe(1);
        const message = await consumer.next({ expires: 5000 });
        expect(message?.subject).toBe(config.filter_subject);
        expect(message?.json<{ type: string }>().type).toBe(config.filter_subject.split('.').pop());
        await message?.ackAck();
        const after = await consumer.info();
        expect([after.num_pending, after.num_ack_pending]).toEqual([0, 0]);
      }
    },
  );

  it('the server refuses a broken configuration, so the check can fail', async () => {
    const { stream, consumers } = loaded.find((l) => l.system.label.startsWith('edge-case'))!;
    await expect(addStream({ ...stream, name: `${stream.name}_BROKEN`, retention: 'forever' as 'limits' })).rejects.toThrow();
    const [consumer] = consumers;
    // Fewer deliveries than backoff steps is a contradiction the server rejects.
    await expect(jsm.consumers.add(stream.name, { ...consumer!, durable_name: 'broken', max_deliver: 2 } as unknown as ConsumerConfig)).rejects.toThrow(/max deliver/i);
  });
});
