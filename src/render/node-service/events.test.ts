import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { BrokerKind } from '../../model/types.js';
import { natsNames, rabbitNames } from '../broker/naming.js';
import { kafkaView, natsConsumerConfigs, natsMaxDeliver, natsStreamConfig, rabbitDefinitions, rabbitDeliveryLimit } from '../broker/view.js';
import { nodeVersions } from '../node/versions.js';
import type { Target } from '../target.js';
import { modelOf, renderYaml } from '../../../test/support/render/render.js';
import type { FileTree } from '../tree.js';
import { brokerPackages, renderServiceEvents } from './events.js';

const events: Target = {
  name: 'events',
  render(context, tree) {
    for (const service of context.model.services) renderServiceEvents(context, service, tree);
  },
};

/** Publishers, subscribers, a service that consumes its own event, a service without events. */
const yaml = (broker: BrokerKind): string => `version: 1
name: shop
broker: ${broker}
services:
  order:
    database: orders
    publishes: [OrderPlaced]
    subscribes: [PaymentConfirmed, OrderPlaced]
  payment:
    database: payments
    publishes: [PaymentConfirmed]
  mailer:
    database: mail
    subscribes: [OrderPlaced, PaymentConfirmed]
  catalog:
    database: catalog
events:
  OrderPlaced: { orderId: uuid }
  PaymentConfirmed: { orderId: uuid }
`;

const filesOf = (tree: FileTree, service: string): string[] =>
  tree
    .files()
    .filter((f) => f.path.startsWith(`services/${service}/`))
    .map((f) => f.path.slice(`services/${service}/src/events/`.length));

/** The values a rendered topology.ts exports (it imports types only, so it runs as it is). */
function exportsOf(tree: FileTree, service: string): Record<string, unknown> {
  const source = tree.get(`services/${service}/src/events/topology.ts`)?.content;
  if (source === undefined) throw new Error(`no topology.ts for ${service}`);
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exports: Record<string, unknown> = {};
  new Function('exports', outputText)(exports);
  return exports;
}

describe('renderServiceEvents', () => {
  it.each(['rabbitmq', 'nats', 'kafka'] as const)('%s: outbox and relay for publishers, the consumer for subscribers, one adapter', (broker) => {
    const tree = renderYaml(yaml(broker), [events]);
    const common = ['broker.ts', `${broker}.ts`, 'schemas.ts', 'topology.ts'];
    expect(filesOf(tree, 'order').sort()).toEqual([...common, 'consumer.ts', 'outbox.ts', 'relay.ts'].sort());
    expect(filesOf(tree, 'payment').sort()).toEqual([...common, 'outbox.ts', 'relay.ts'].sort());
    expect(filesOf(tree, 'mailer').sort()).toEqual([...common, 'consumer.ts'].sort());
    expect(filesOf(tree, 'catalog')).toEqual([]);
    for (const file of tree.files()) expect(file.owner, file.path).toBe('generator');
  });

  it('renders nothing when the system has no broker', () => {
    expect(renderYaml(yaml('none'), [events]).files()).toEqual([]);
  });

  it('connectBroker accepts only the URL schemes of the system broker', () => {
    const expected = { rabbitmq: "['amqp:', 'amqps:']", nats: "['nats:']", kafka: "['kafka:']" };
    for (const broker of ['rabbitmq', 'nats', 'kafka'] as const) {
      const source = renderYaml(yaml(broker), [events]).get('services/payment/src/events/broker.ts')!.content;
      expect(source).toContain(`!${expected[broker]}.includes(scheme)`);
      expect(source).toContain(`from './${broker}.js'`);
    }
  });

  it('RabbitMQ: the names and arguments of broker/definitions.json; a publisher also declares its subscribers’ queues', () => {
    const tree = renderYaml(yaml('rabbitmq'), [events]);
    const definitions = rabbitDefinitions(modelOf(yaml('rabbitmq')));
    const order = exportsOf(tree, 'order');
    expect(order['exchange']).toBe(rabbitNames('shop', 'order', 'OrderPlaced').exchange);
    expect(order['routingKeys']).toEqual({ OrderPlaced: 'OrderPlaced' });
    const queue = (service: string, event: string): string => rabbitNames('shop', service, event).queue;
    const deadLetterQueue = (service: string, event: string): string => rabbitNames('shop', service, event).deadLetterQueue;
    expect(order['queues']).toEqual({ PaymentConfirmed: queue('order', 'PaymentConfirmed'), OrderPlaced: queue('order', 'OrderPlaced') });
    expect(order['maxDeliveries']).toBe(rabbitDeliveryLimit + 1);
    const declarations = order['declarations'] as { exchanges: string[]; queues: { name: string; arguments: object }[]; bindings: object[] };
    expect(declarations.exchanges).toEqual(definitions.exchanges.map((e) => e.name));
    // Its own two subscriptions and mailer's OrderPlaced (order publishes it); not mailer's PaymentConfirmed.
    const pairs: [string, string][] = [['order', 'OrderPlaced'], ['mailer', 'OrderPlaced'], ['order', 'PaymentConfirmed']];
    expect(declarations.queues.map((q) => q.name)).toEqual(pairs.flatMap(([service, event]) => [queue(service, event), deadLetterQueue(service, event)]));
    for (const queue of declarations.queues) expect(queue.arguments).toEqual(definitions.queues.find((q) => q.name === queue.name)!.arguments);
    expect(declarations.bindings).toEqual(
      definitions.bindings
        .filter((b) => declarations.queues.some((q) => q.name === b.destination))
        .map((b) => ({ exchange: b.source, queue: b.destination, routingKey: b.routing_key })),
    );
  });

  it('NATS: the stream and consumer configurations of broker/nats/', () => {
    const tree = renderYaml(yaml('nats'), [events]);
    const model = modelOf(yaml('nats'));
    const mailer = exportsOf(tree, 'mailer');
    expect(mailer['stream']).toEqual(natsStreamConfig(model));
    expect(mailer['subjects']).toEqual({});
    expect(mailer['consumers']).toEqual({
      OrderPlaced: natsConsumerConfigs(model).find((c) => c.durable_name === natsNames('shop', 'mailer', 'OrderPlaced').durable),
      PaymentConfirmed: natsConsumerConfigs(model).find((c) => c.durable_name === natsNames('shop', 'mailer', 'PaymentConfirmed').durable),
    });
    expect(mailer['maxDeliveries']).toBe(natsMaxDeliver);
    expect(exportsOf(tree, 'payment')['subjects']).toEqual({ PaymentConfirmed: 'shop.events.PaymentConfirmed' });
  });

  it('Kafka: the topics and consumer group of broker/topics.yaml', () => {
    const tree = renderYaml(yaml('kafka'), [events]);
    const view = kafkaView(modelOf(yaml('kafka')));
    const mailer = exportsOf(tree, 'mailer');
    expect(mailer['group']).toBe(view.groups.find((g) => g.service === 'mailer')!.name);
    expect(Object.values(mailer['topics'] as object)).toEqual(view.groups.find((g) => g.service === 'mailer')!.topics);
    expect(mailer['topicConfigs']).toEqual(
      view.topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor, configEntries: t.config.map((c) => ({ name: c.key, value: c.value })) })),
    );
  });
});

describe('brokerPackages', () => {
  it('names pinned packages: the adapter’s client only', () => {
    expect(brokerPackages('rabbitmq')).toEqual(['amqplib']);
    expect(brokerPackages('nats')).toEqual(['@nats-io/jetstream', '@nats-io/transport-node']);
    expect(brokerPackages('kafka')).toEqual(['kafkajs']);
    expect(brokerPackages('none')).toEqual([]);
    for (const broker of ['rabbitmq', 'nats', 'kafka'] as const) for (const name of brokerPackages(broker)) expect(nodeVersions[name]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
