import type { BrokerKind, Service, SystemModel } from '../../model/types.js';
import { kafkaNames, natsNames, rabbitNames } from '../broker/naming.js';
import { kafkaView, natsConsumerConfigs, natsMaxDeliver, natsStreamConfig, rabbitDefinitions, rabbitDeliveryLimit, subscriptions } from '../broker/view.js';
import type { NodePackage } from '../node/versions.js';
import type { RenderContext, TargetTree } from '../target.js';
import { eventSchemas } from '../service/events.js';
import { tsLiteral } from './literal.js';

/**
 * The event layer of a node service, under `services/<name>/src/events/`:
 * the outbox and its relay when the service publishes, the idempotent
 * consumer when it subscribes, and the broker interface with the one adapter
 * of the system's broker. Every broker name and argument comes from
 * broker/naming.ts and broker/view.ts, the same functions that render
 * broker/, so a service and the broker definitions cannot disagree.
 * Renders nothing for a service without events or a system without a broker.
 */
export function renderServiceEvents(context: RenderContext, service: Service, tree: TargetTree): void {
  const { model, templates } = context;
  const broker = model.broker;
  if (broker === 'none' || (service.publishes.length === 0 && service.subscribes.length === 0)) return;
  const write = (file: string, template: string, view: object = {}): void =>
    tree.generated(`services/${service.name}/src/events/${file}`, templates.render(`node-service/src/events/${template}`, view));
  if (service.publishes.length > 0) {
    write('outbox.ts', 'outbox.ts');
    write('relay.ts', 'relay.ts');
  }
  if (service.subscribes.length > 0) write('consumer.ts', 'consumer.ts');
  write('broker.ts', 'broker.ts', { ...adapters[broker], schemes: tsLiteral(adapters[broker].schemes) });
  write(`${broker}.ts`, `${broker}.ts`);
  write('topology.ts', `topology.${broker}.ts`, topology[broker](model, service));
  write('schemas.ts', 'schemas.ts', { schemas: tsLiteral(eventSchemas(model, service)) });
}

/** The npm packages the adapter of `broker` imports (amqplib and kafkajs ship their own types). */
export function brokerPackages(broker: BrokerKind): NodePackage[] {
  return [...packages[broker]];
}

type Broker = Exclude<BrokerKind, 'none'>;

const packages: Record<BrokerKind, readonly NodePackage[]> = {
  rabbitmq: ['amqplib'],
  nats: ['@nats-io/jetstream', '@nats-io/transport-node'],
  kafka: ['kafkajs'],
  none: [],
};

interface AdapterView {
  readonly label: string;
  /** URL schemes BROKER_URL may have, with their colon. */
  readonly schemes: readonly string[];
  readonly example: string;
  readonly module: string;
  readonly connect: string;
  /** What dead-lettering means on this broker (doc comment of `Delivery.deadLetter`). */
  readonly deadLetter: string;
}

const adapters: Record<Broker, AdapterView> = {
  rabbitmq: {
    label: 'RabbitMQ',
    schemes: ['amqp:', 'amqps:'],
    example: 'amqp://user:password@broker:5672',
    module: 'rabbitmq',
    connect: 'connectRabbitMq',
    deadLetter: "Gives up on the message: the queue's dead-letter exchange moves it to its dead-letter queue.",
  },
  nats: {
    label: 'NATS',
    schemes: ['nats:'],
    example: 'nats://broker:4222',
    module: 'nats',
    connect: 'connectNats',
    deadLetter: 'Gives up on the message: the consumer stops delivering it; it stays in the stream.',
  },
  kafka: {
    label: 'Kafka',
    schemes: ['kafka:'],
    example: 'kafka://broker:9092',
    module: 'kafka',
    connect: 'connectKafka',
    deadLetter: 'Gives up on the message: the group moves past it; it stays in the topic.',
  },
};

/** Kafka has no redelivery limit of its own: the adapter retries in process, as often as NATS delivers. */
const kafkaMaxDeliveries = natsMaxDeliver;

const byEvent = <T>(events: readonly string[], value: (event: string) => T): Record<string, T> => Object.fromEntries(events.map((event) => [event, value(event)]));

const eventsOf = (refs: Service['publishes']): string[] => refs.map((ref) => ref.event);

/** The view of topology.<broker>.ts: values as broker/ has them, printed as TypeScript literals. */
const topology: Record<Broker, (model: SystemModel, service: Service) => object> = {
  rabbitmq(model, service) {
    const published = eventsOf(service.publishes);
    const consumed = eventsOf(service.subscribes);
    const definitions = rabbitDefinitions(model);
    // The service's own queues, and those of the subscribers of what it publishes.
    const queues = new Set(
      subscriptions(model)
        .filter((s) => s.service === service.name || published.includes(s.event))
        .flatMap((s) => {
          const names = rabbitNames(model.name, s.service, s.event);
          return [names.queue, names.deadLetterQueue];
        }),
    );
    return {
      service: tsLiteral(service.name),
      exchange: tsLiteral(rabbitNames(model.name, service.name, '').exchange),
      routingKeys: tsLiteral(byEvent(published, (event) => rabbitNames(model.name, service.name, event).routingKey)),
      queues: tsLiteral(byEvent(consumed, (event) => rabbitNames(model.name, service.name, event).queue)),
      declarations: tsLiteral({
        exchanges: definitions.exchanges.map((e) => e.name),
        queues: definitions.queues.filter((q) => queues.has(q.name)).map((q) => ({ name: q.name, arguments: q.arguments })),
        bindings: definitions.bindings
          .filter((b) => queues.has(b.destination))
          .map((b) => ({ exchange: b.source, queue: b.destination, routingKey: b.routing_key })),
      }),
      maxDeliveries: rabbitDeliveryLimit + 1,
    };
  },
  nats(model, service) {
    const configs = natsConsumerConfigs(model);
    const consumerOf = (event: string) => configs.find((c) => c.durable_name === natsNames(model.name, service.name, event).durable);
    return {
      service: tsLiteral(service.name),
      stream: tsLiteral(natsStreamConfig(model)),
      subjects: tsLiteral(byEvent(eventsOf(service.publishes), (event) => natsNames(model.name, service.name, event).subject)),
      consumers: tsLiteral(byEvent(eventsOf(service.subscribes), consumerOf)),
      maxDeliveries: natsMaxDeliver,
    };
  },
  kafka(model, service) {
    const events = [...new Set([...eventsOf(service.publishes), ...eventsOf(service.subscribes)])];
    const names = byEvent(events, (event) => kafkaNames(model.name, service.name, event).topic);
    const used = new Set(Object.values(names));
    return {
      service: tsLiteral(service.name),
      topics: tsLiteral(names),
      group: tsLiteral(kafkaNames(model.name, service.name, '').group),
      topicConfigs: tsLiteral(
        kafkaView(model)
          .topics.filter((t) => used.has(t.name))
          .map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor,
            configEntries: t.config.map(({ key, value }) => ({ name: key, value })),
          })),
      ),
      maxDeliveries: kafkaMaxDeliveries,
    };
  },
};
