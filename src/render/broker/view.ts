import type { EventDef, SystemModel } from '../../model/types.js';
import type { BrokerRuntime } from '../runtime-view.js';
import { kafkaNames, natsNames, rabbitNames, type NatsNames, type RabbitNames } from './naming.js';

/** A subscription: `service` consumes `event`. Ordered by event (file order), then by subscriber (file order). */
export interface Subscription {
  readonly service: string;
  readonly event: string;
}

/** Every (subscriber, event) pair of the model; events nobody subscribes to have none. */
export function subscriptions(model: SystemModel): Subscription[] {
  return model.events.flatMap((event) => event.subscribers.map((service) => ({ service, event: event.name })));
}

// ---------------------------------------------------------------- RabbitMQ

/** How often a quorum queue takes a message back (nack with requeue, or a consumer gone) before it dead-letters it instead. */
export const rabbitDeliveryLimit = 5;

/** The RabbitMQ definitions file (the `rabbitmqctl export_definitions` format), without users or permissions. */
export interface RabbitDefinitions {
  readonly vhosts: readonly { readonly name: string }[];
  readonly exchanges: readonly RabbitExchange[];
  readonly queues: readonly RabbitQueue[];
  readonly bindings: readonly RabbitBinding[];
}

export interface RabbitExchange {
  readonly name: string;
  readonly vhost: string;
  readonly type: 'topic';
  readonly durable: true;
  readonly auto_delete: false;
  readonly internal: false;
  readonly arguments: Readonly<Record<string, never>>;
}

export interface RabbitQueue {
  readonly name: string;
  readonly vhost: string;
  readonly durable: true;
  readonly auto_delete: false;
  readonly arguments: Readonly<Record<string, string | number>>;
}

export interface RabbitBinding {
  readonly source: string;
  readonly vhost: string;
  readonly destination: string;
  readonly destination_type: 'queue';
  readonly routing_key: string;
  readonly arguments: Readonly<Record<string, never>>;
}

const vhost = '/';

/**
 * Arguments of the queue a service consumes from. A service that declares its
 * queue itself (where no definitions were loaded) must pass exactly these, or
 * RabbitMQ refuses the declaration as inequivalent.
 * Dead-lettering is at-least-once, so a message moving to the DLQ cannot be
 * lost on the way; that strategy requires `reject-publish` overflow, which
 * changes nothing while the queue has no length limit.
 */
export function rabbitQueueArguments(names: RabbitNames): Record<string, string | number> {
  return {
    'x-queue-type': 'quorum',
    'x-delivery-limit': rabbitDeliveryLimit,
    'x-dead-letter-exchange': names.deadLetterExchange,
    'x-dead-letter-routing-key': names.deadLetterRoutingKey,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

/** Arguments of a dead-letter queue: a plain quorum queue that keeps what it is given. */
export const rabbitDeadLetterQueueArguments: Readonly<Record<string, string>> = { 'x-queue-type': 'quorum' };

/** The system's exchanges, and per subscription a queue bound by the event name plus its dead-letter queue. */
export function rabbitDefinitions(model: SystemModel): RabbitDefinitions {
  const system = rabbitNames(model.name, '', '');
  const exchange = (name: string): RabbitExchange => ({ name, vhost, type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} });
  const queue = (name: string, args: Record<string, string | number>): RabbitQueue => ({ name, vhost, durable: true, auto_delete: false, arguments: args });
  const binding = (source: string, destination: string, routingKey: string): RabbitBinding => ({
    source,
    vhost,
    destination,
    destination_type: 'queue',
    routing_key: routingKey,
    arguments: {},
  });
  const pairs = subscriptions(model).map(({ service, event }) => rabbitNames(model.name, service, event));
  return {
    vhosts: [{ name: vhost }],
    exchanges: [exchange(system.exchange), exchange(system.deadLetterExchange)],
    queues: pairs.flatMap((n) => [queue(n.queue, rabbitQueueArguments(n)), queue(n.deadLetterQueue, { ...rabbitDeadLetterQueueArguments })]),
    bindings: pairs.flatMap((n) => [binding(n.exchange, n.queue, n.routingKey), binding(n.deadLetterExchange, n.deadLetterQueue, n.deadLetterRoutingKey)]),
  };
}

// ---------------------------------------------------------------- NATS JetStream

const second = 1_000_000_000; // JetStream durations are nanoseconds.
const minute = 60 * second;
const day = 24 * 60 * minute;

/** How long the stream keeps an event, whether consumed or not: the longest a consumer can be down without missing any. */
export const natsMaxAge = 7 * day;
/** Window in which a repeated `Nats-Msg-Id` (the envelope id) is dropped: covers an outbox relay re-sending after a crash. */
export const natsDuplicateWindow = 5 * minute;
/** Redelivery delays of an unacked message; the first is also the ack wait. */
export const natsBackoff: readonly number[] = [30 * second, 1 * minute, 5 * minute, 15 * minute];
/** Deliveries before the consumer gives up on a message (it stays in the stream); must exceed the backoff steps. */
export const natsMaxDeliver = natsBackoff.length + 1;

/** A stream configuration as `nats stream add --config` and the JetStream API take it. */
export interface NatsStreamConfig {
  readonly name: string;
  readonly description: string;
  readonly subjects: readonly string[];
  readonly retention: 'limits';
  readonly storage: 'file';
  readonly num_replicas: 1;
  readonly discard: 'old';
  readonly max_age: number;
  readonly max_msgs: -1;
  readonly max_bytes: -1;
  readonly max_msgs_per_subject: -1;
  readonly max_msg_size: -1;
  readonly max_consumers: -1;
  readonly duplicate_window: number;
}

/** A durable pull consumer configuration as `nats consumer add --config` and the JetStream API take it. */
export interface NatsConsumerConfig {
  readonly durable_name: string;
  readonly description: string;
  readonly filter_subject: string;
  readonly deliver_policy: 'all';
  readonly ack_policy: 'explicit';
  readonly ack_wait: number;
  readonly max_deliver: number;
  readonly backoff: readonly number[];
  readonly replay_policy: 'instant';
}

/** The system's one stream, capturing every event subject. */
export function natsStreamConfig(model: SystemModel): NatsStreamConfig {
  const names = natsNames(model.name, '', '');
  return {
    name: names.stream,
    description: `Events of the ${model.name} system`,
    subjects: [names.streamSubjects],
    retention: 'limits',
    storage: 'file',
    num_replicas: 1,
    discard: 'old',
    max_age: natsMaxAge,
    max_msgs: -1,
    max_bytes: -1,
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    max_consumers: -1,
    duplicate_window: natsDuplicateWindow,
  };
}

/** One durable pull consumer per subscription, filtered to the event's subject. */
export function natsConsumerConfigs(model: SystemModel): NatsConsumerConfig[] {
  return subscriptions(model).map(({ service, event }) => {
    const names = natsNames(model.name, service, event);
    return {
      durable_name: names.durable,
      description: `${service} consumes ${event}`,
      filter_subject: names.subject,
      deliver_policy: 'all',
      ack_policy: 'explicit',
      ack_wait: natsBackoff[0]!,
      max_deliver: natsMaxDeliver,
      backoff: natsBackoff,
      replay_policy: 'instant',
    };
  });
}

// ---------------------------------------------------------------- Kafka

/** Partitions per topic: up to this many replicas of a service consume an event in parallel. */
export const kafkaPartitions = 3;
/** One copy of each partition: the generated deployments run a single Kafka broker. */
export const kafkaReplicationFactor = 1;
/** Seven days, as the NATS stream keeps events. */
export const kafkaRetentionMs = 7 * 24 * 60 * 60 * 1000;

export interface KafkaTopic {
  readonly name: string;
  readonly event: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs, values as Kafka takes them (strings). */
  readonly config: readonly { readonly key: string; readonly value: string }[];
  readonly producers: readonly string[];
  readonly consumerGroups: readonly string[];
}

export interface KafkaGroup {
  readonly name: string;
  readonly service: string;
  readonly topics: readonly string[];
}

export interface KafkaView {
  readonly system: string;
  readonly topics: readonly KafkaTopic[];
  readonly groups: readonly KafkaGroup[];
  readonly hasTopics: boolean;
  readonly hasGroups: boolean;
}

/** Topics per event and consumer groups per subscribing service (service file order). */
export function kafkaView(model: SystemModel): KafkaView {
  const topics = model.events.map((event): KafkaTopic => ({
    name: kafkaNames(model.name, '', event.name).topic,
    event: event.name,
    partitions: kafkaPartitions,
    replicationFactor: kafkaReplicationFactor,
    config: [
      { key: 'cleanup.policy', value: 'delete' },
      { key: 'retention.ms', value: String(kafkaRetentionMs) },
    ],
    producers: event.publishers,
    consumerGroups: event.subscribers.map((service) => kafkaNames(model.name, service, event.name).group),
  }));
  const groups = model.services
    .filter((service) => service.subscribes.length > 0)
    .map((service): KafkaGroup => ({
      name: kafkaNames(model.name, service.name, '').group,
      service: service.name,
      topics: service.subscribes.map((ref) => kafkaNames(model.name, service.name, ref.event).topic),
    }));
  return { system: model.name, topics, groups, hasTopics: topics.length > 0, hasGroups: groups.length > 0 };
}

// ---------------------------------------------------------------- READMEs

interface ReadmeEvent<C> {
  readonly name: string;
  /** Routing key, subject or topic the event is published to. */
  readonly address: string;
  readonly publishers: string;
  readonly consumers: readonly C[];
  readonly hasConsumers: boolean;
}

function readmeEvents<C>(model: SystemModel, address: (event: string) => string, consumer: (service: string, event: string) => C): ReadmeEvent<C>[] {
  return model.events.map((event: EventDef) => {
    const consumers = event.subscribers.map((service) => consumer(service, event.name));
    return { name: event.name, address: address(event.name), publishers: event.publishers.join(', ') || '(none)', consumers, hasConsumers: consumers.length > 0 };
  });
}

export interface RabbitReadme {
  readonly system: string;
  readonly broker: BrokerRuntime;
  readonly exchange: string;
  readonly deadLetterExchange: string;
  readonly deliveryLimit: number;
  readonly events: readonly ReadmeEvent<RabbitNames & { readonly service: string }>[];
  readonly hasEvents: boolean;
}

/** What broker/README.md prints for RabbitMQ. */
export function rabbitReadme(model: SystemModel, broker: BrokerRuntime): RabbitReadme {
  const system = rabbitNames(model.name, '', '');
  const events = readmeEvents(
    model,
    (event) => rabbitNames(model.name, '', event).routingKey,
    (service, event) => ({ service, ...rabbitNames(model.name, service, event) }),
  );
  return { system: model.name, broker, exchange: system.exchange, deadLetterExchange: system.deadLetterExchange, deliveryLimit: rabbitDeliveryLimit, events, hasEvents: events.length > 0 };
}

export interface NatsReadme {
  readonly system: string;
  readonly broker: BrokerRuntime;
  readonly stream: string;
  readonly streamSubjects: string;
  readonly maxAgeDays: number;
  readonly duplicateWindowMinutes: number;
  readonly maxDeliver: number;
  /** `30s, 1m, 5m, 15m` */
  readonly backoff: string;
  readonly events: readonly ReadmeEvent<NatsNames & { readonly service: string; readonly file: string }>[];
  readonly hasEvents: boolean;
  readonly hasConsumers: boolean;
}

/** What broker/README.md prints for NATS JetStream. */
export function natsReadme(model: SystemModel, broker: BrokerRuntime): NatsReadme {
  const system = natsNames(model.name, '', '');
  const events = readmeEvents(
    model,
    (event) => natsNames(model.name, '', event).subject,
    (service, event) => {
      const names = natsNames(model.name, service, event);
      return { service, ...names, file: natsConsumerPath(names.durable) };
    },
  );
  return {
    system: model.name,
    broker,
    stream: system.stream,
    streamSubjects: system.streamSubjects,
    maxAgeDays: natsMaxAge / day,
    duplicateWindowMinutes: natsDuplicateWindow / minute,
    maxDeliver: natsMaxDeliver,
    backoff: natsBackoff.map((ns) => (ns % minute === 0 ? `${ns / minute}m` : `${ns / second}s`)).join(', '),
    events,
    hasEvents: events.length > 0,
    hasConsumers: events.some((e) => e.hasConsumers),
  };
}

export interface KafkaReadme extends KafkaView {
  readonly broker: BrokerRuntime;
  readonly partitions: number;
}

/** What broker/README.md prints for Kafka. */
export function kafkaReadme(model: SystemModel, broker: BrokerRuntime): KafkaReadme {
  return { ...kafkaView(model), broker, partitions: kafkaPartitions };
}

/** Output path of a NATS consumer configuration. */
export function natsConsumerPath(durable: string): string {
  return `broker/nats/consumers/${durable}.json`;
}
