import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRabbitMq } from '../../../test/support/services.js';
import { rabbitNames } from './naming.js';
import { definitionProblems, rabbitAdmin, topologyOf, type RabbitAdmin, type Topology } from '../../../test/support/render/broker/rabbitmq.js';
import { edgeYaml, fileOf, renderEvents, systemsWith, withBroker } from '../../../test/support/render/broker/systems.js';
import { rabbitDeliveryLimit, subscriptions, type RabbitDefinitions } from './view.js';

const systems = systemsWith('rabbitmq');
const definitionsOf = (yaml: string): RabbitDefinitions & Record<string, unknown> =>
  JSON.parse(fileOf(renderEvents(yaml), 'broker/definitions.json')) as RabbitDefinitions & Record<string, unknown>;

describe('broker/definitions.json', () => {
  it.each(systems)('$label: every binding, dead-letter exchange and subscription is accounted for', ({ yaml, model }) => {
    const defs = definitionsOf(yaml);
    expect(definitionProblems(defs, model)).toEqual([]);
    expect(Object.keys(defs)).toEqual(['vhosts', 'exchanges', 'queues', 'bindings']);
    expect(defs.vhosts).toEqual([{ name: '/' }]);
    expect(defs.exchanges.map((e) => [e.name, e.type, e.durable])).toEqual([
      [`${model.name}.events`, 'topic', true],
      [`${model.name}.events.dlx`, 'topic', true],
    ]);
    for (const queue of defs.queues) {
      expect(queue.durable).toBe(true);
      expect(queue.arguments['x-queue-type']).toBe('quorum');
    }
    expect(defs.queues).toHaveLength(2 * subscriptions(model).length);
  });

  it('names and wires the queues of a subscription as the adapters will (naming.ts)', () => {
    const defs = definitionsOf(edgeYaml);
    const names = rabbitNames('edge-case', 'order-service', 'OrderPlaced');
    expect(names).toEqual({
      exchange: 'edge-case.events',
      deadLetterExchange: 'edge-case.events.dlx',
      routingKey: 'OrderPlaced',
      queue: 'edge-case.order-service.OrderPlaced',
      deadLetterQueue: 'edge-case.order-service.OrderPlaced.dlq',
      deadLetterRoutingKey: 'edge-case.order-service.OrderPlaced',
    });
    expect(defs.queues.find((q) => q.name === names.queue)?.arguments).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': rabbitDeliveryLimit,
      'x-dead-letter-exchange': names.deadLetterExchange,
      'x-dead-letter-routing-key': names.queue,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
    expect(defs.bindings.filter((b) => b.destination.startsWith('edge-case.order-service.'))).toEqual([
      { source: names.exchange, vhost: '/', destination: names.queue, destination_type: 'queue', routing_key: 'OrderPlaced', arguments: {} },
      { source: names.deadLetterExchange, vhost: '/', destination: names.deadLetterQueue, destination_type: 'queue', routing_key: names.queue, arguments: {} },
    ]);
    // Ghost has a subscriber and no publisher: its queue exists. Audited has no subscriber: no queue.
    expect(defs.queues.some((q) => q.name === 'edge-case.billing.Ghost')).toBe(true);
    expect(defs.queues.some((q) => q.name.includes('Audited'))).toBe(false);
  });

  it('the structural check fails on broken definitions', () => {
    const model = systems.find((s) => s.label.startsWith('checkout'))!.model;
    const good = definitionsOf(systems.find((s) => s.label.startsWith('checkout'))!.yaml);
    const broken = (change: (d: { -readonly [K in keyof RabbitDefinitions]: RabbitDefinitions[K][number][] }) => void): string[] => {
      const copy = structuredClone(good) as unknown as { -readonly [K in keyof RabbitDefinitions]: RabbitDefinitions[K][number][] };
      change(copy);
      return definitionProblems(copy as unknown as RabbitDefinitions & Record<string, unknown>, model);
    };
    expect(broken((d) => d.bindings.push({ ...d.bindings[0]!, destination: 'nowhere' }))).toContain('binding to missing queue nowhere');
    expect(broken((d) => d.exchanges.pop())).toContain('binding from missing exchange checkout.events.dlx');
    expect(broken((d) => d.queues.splice(1, 1))).toContain('0 queues named checkout.order.CartCheckedOut.dlq');
    expect(broken((d) => d.queues.push({ ...d.queues[0]!, name: 'cart.Stray' }))).toContain('queue cart.Stray has no subscription');
    expect(broken((d) => (d.bindings[0] = { ...d.bindings[0]!, routing_key: 'Other' }))).toContain(
      'checkout.order.CartCheckedOut is not bound to checkout.events by CartCheckedOut exactly once',
    );
    expect(broken((d) => Object.assign(d, { users: [{ name: 'svc', password: 'secret' }] }))).toContain('has users');
  });

  it('is rendered only for broker: rabbitmq, byte for byte the same every time', () => {
    for (const kind of ['nats', 'kafka', 'none'] as const) expect(renderEvents(withBroker(edgeYaml, kind)).get('broker/definitions.json')).toBeUndefined();
    expect(renderEvents(withBroker(edgeYaml, 'none')).files().filter((f) => f.path.startsWith('broker/'))).toEqual([]);
    expect(fileOf(renderEvents(edgeYaml), 'broker/definitions.json')).toBe(fileOf(renderEvents(edgeYaml), 'broker/definitions.json'));
  });

  it('README says how to load it and lists each queue with its dead-letter queue', () => {
    const readme = fileOf(renderEvents(edgeYaml), 'broker/README.md');
    expect(readme).toContain('rabbitmqctl import_definitions broker/definitions.json');
    expect(readme).toContain('| OrderPlaced | `OrderPlaced` | order-service | `edge-case.billing.OrderPlaced` | `edge-case.billing.OrderPlaced.dlq` |');
    expect(readme).toContain('| Audited | `Audited` | order-service | (no subscriber: the exchange drops it) | |');
    expect(readme).toContain('| Ghost | `Ghost` | (none) | `edge-case.billing.Ghost` | `edge-case.billing.Ghost.dlq` |');
  });
});

describe('broker/definitions.json on the local RabbitMQ', () => {
  const run = randomUUID().slice(0, 8);
  const loaded = systems.map((system, i) => ({ system, vhost: `taskflow-gen-test-${run}-${i}`, defs: definitionsOf(system.yaml) }));
  let admin: RabbitAdmin;
  let exported: Map<string, Topology>;
  const connections: ChannelModel[] = [];
  const extraVhosts: string[] = [];

  beforeAll(async () => {
    await ensureRabbitMq();
    admin = await rabbitAdmin();
    await admin.importInto(loaded);
    // Imports finish asynchronously: read back until every vhost is complete, for at most 30 s.
    const deadline = Date.now() + 30_000;
    do {
      exported = await admin.exportFrom(loaded.map((l) => l.vhost));
      const complete = loaded.every((l) => exported.get(l.vhost)?.bindings.length === l.defs.bindings.length && exported.get(l.vhost)?.queues.length === l.defs.queues.length);
      if (complete) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } while (Date.now() < deadline);
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
    if (admin) await admin.deleteVhosts([...loaded.map((l) => l.vhost), ...extraVhosts]);
  });

  it.each(loaded)('$system.label: RabbitMQ imports it, arguments and all', ({ vhost, defs }) => {
    expect(exported.get(vhost), `imported through ${admin.via}`).toEqual(topologyOf(defs));
  });

  it('RabbitMQ refuses a broken file, so the import check can fail', async () => {
    const vhost = `taskflow-gen-test-${run}-broken`;
    extraVhosts.push(vhost);
    const defs = definitionsOf(edgeYaml);
    const broken = { ...defs, queues: defs.queues.map((q, i) => (i === 0 ? { ...q, arguments: { ...q.arguments, 'x-queue-type': 'qurom' } } : q)) };
    await expect(admin.importInto([{ vhost, defs: broken }])).rejects.toThrow(/qurom/);
  });

  async function channelTo(vhost: string): Promise<ConfirmChannel> {
    const connection = await amqp.connect(`amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`);
    connections.push(connection);
    return connection.createConfirmChannel();
  }

  async function poll(channel: ConfirmChannel, queue: string): Promise<GetMessage | false> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const message = await channel.get(queue);
      if (message || Date.now() > deadline) return message;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const withEvents = loaded.filter((l) => subscriptions(l.system.model).length > 0);

  it.each(withEvents)('$system.label: each event reaches exactly its subscribers, and a rejected one their dead-letter queues', async ({ system, vhost }) => {
    const channel = await channelTo(vhost);
    const { model } = system;
    for (const event of model.events) {
      const names = rabbitNames(model.name, '', event.name);
      channel.publish(names.exchange, names.routingKey, Buffer.from(JSON.stringify({ type: event.name })), { persistent: true, messageId: event.name });
    }
    await channel.waitForConfirms();
    for (const { service, event } of subscriptions(model)) {
      const names = rabbitNames(model.name, service, event);
      const message = await channel.get(names.queue);
      expect(message && message.properties.messageId, names.queue).toBe(event);
      expect(await channel.get(names.queue), `${names.queue} holds one message`).toBe(false);
      channel.nack(message as GetMessage, false, false);
      const dead = await poll(channel, names.deadLetterQueue);
      expect(dead && dead.properties.messageId, names.deadLetterQueue).toBe(event);
      channel.ack(dead as GetMessage);
    }
  });

  it(`dead-letters a message returned to its queue more than ${rabbitDeliveryLimit} times`, async () => {
    const { system, vhost } = loaded.find((l) => l.system.label.startsWith('edge-case'))!;
    const names = rabbitNames(system.model.name, 'stock', 'OrderPlaced');
    const channel = await channelTo(vhost);
    channel.publish(names.exchange, names.routingKey, Buffer.from('{}'), { persistent: true, messageId: 'redelivered' });
    await channel.waitForConfirms();
    // Reject it back onto the queue until the broker moves it to the dead-letter queue instead.
    let deliveries = 0;
    let dead: GetMessage | false = false;
    for (const deadline = Date.now() + 20_000; !dead && Date.now() < deadline; ) {
      const message = await channel.get(names.queue);
      if (message) {
        deliveries++;
        channel.nack(message, false, true);
      } else {
        dead = await channel.get(names.deadLetterQueue);
        if (!dead) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(dead && dead.properties.messageId).toBe('redelivered');
    // The limit counts returns: the first delivery plus that many redeliveries.
    expect(deliveries).toBe(rabbitDeliveryLimit + 1);
  });
});

