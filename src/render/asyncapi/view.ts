import type { BrokerKind, EventDef, Field, FieldType, SystemModel } from '../../model/types.js';
import { kafkaNames, natsNames, rabbitNames } from '../broker/naming.js';
import { kafkaPartitions, kafkaReplicationFactor, kafkaRetentionMs } from '../broker/view.js';
import type { BrokerRuntime, RuntimeView } from '../runtime-view.js';

/** The JSON Schema of one value: absent keys are null; all null is `{}`, any JSON value. */
export interface ValueSchema {
  /** A JSON Schema type name, printed as is. */
  readonly type: string | null;
  /** A JSON Schema format name, printed as is. */
  readonly format: string | null;
  readonly enum: readonly string[] | null;
  readonly empty: boolean;
}

/** A property of an event payload: a value, or a list of values (`type: array` with `items`). */
export interface PropertyView {
  /** The field name as a YAML key. */
  readonly key: string;
  readonly list: boolean;
  /** The value itself, or the items of a list. */
  readonly value: ValueSchema;
  readonly description: string | null;
  /** Prints as `key: {}`. */
  readonly empty: boolean;
}

export interface PayloadSchemaView {
  readonly name: string;
  readonly key: string;
  readonly description: string;
  readonly properties: readonly PropertyView[];
  readonly hasProperties: boolean;
  readonly required: readonly string[];
  readonly hasRequired: boolean;
}

export interface MessageView {
  readonly name: string;
  readonly key: string;
  readonly summary: string;
}

export interface ChannelView {
  readonly id: string;
  readonly key: string;
  /** Routing key, subject or topic; null without a broker. */
  readonly address: string | null;
  readonly description: string;
  readonly message: string;
  /** Name under components.channelBindings, or null. */
  readonly bindings: string | null;
}

/** Every channel sits on the same exchange, so they share one binding. */
export interface AmqpChannelBinding {
  readonly exchange: string;
}

/** Every topic has the same settings, so the channels share one binding. */
export interface KafkaChannelBinding {
  readonly partitions: number;
  readonly replicas: number;
  readonly retentionMs: number;
}

export interface OperationView {
  readonly id: string;
  readonly action: 'send' | 'receive';
  readonly channel: string;
  readonly message: string;
  readonly summary: string;
  readonly service: string;
  /** Queue, durable consumer or consumer group a receiving service reads from; null for send. */
  readonly consumer: string | null;
  /** Name under components.operationBindings, or null. */
  readonly bindings: string | null;
  /** Kafka consumer group of a receive operation (an inline binding: it differs per operation). */
  readonly kafkaGroup: string | null;
}

export interface ServerView {
  readonly host: string;
  readonly protocol: string;
  readonly protocolVersion: string | null;
  readonly description: string;
  readonly security: boolean;
}

/** Exactly what asyncapi.yaml prints. */
export interface AsyncApiView {
  readonly title: string;
  readonly description: string;
  readonly server: ServerView | null;
  /** RabbitMQ: BROKER_URL carries a user and password, declared as a security scheme. */
  readonly brokerUser: boolean;
  readonly amqp: AmqpChannelBinding | null;
  readonly kafka: KafkaChannelBinding | null;
  /** NATS: every message carries `Nats-Msg-Id`, which the stream de-duplicates on. */
  readonly natsHeaders: boolean;
  readonly channels: readonly ChannelView[];
  readonly operations: readonly OperationView[];
  readonly hasOperations: boolean;
  readonly messages: readonly MessageView[];
  readonly schemas: readonly PayloadSchemaView[];
}

/**
 * The AsyncAPI 3.0 view of a system's events, or undefined when it has none.
 * One channel per event at the address the broker target declares (names
 * from broker/naming.ts), one message per event whose payload is the
 * CloudEvents envelope around the event's fields, and a send or receive
 * operation per publisher or subscriber. With `broker: none` there is no
 * server and channels have no address: nothing carries the events yet.
 */
export function asyncApiView(model: SystemModel, runtime: RuntimeView): AsyncApiView | undefined {
  if (model.events.length === 0) return undefined;
  const kind = model.broker;
  const channels = model.events.map((event) => channel(model.name, kind, event));
  const operations = model.events.flatMap((event) => [
    ...event.publishers.map((service) => operation(model.name, kind, event, service, 'send')),
    ...event.subscribers.map((service) => operation(model.name, kind, event, service, 'receive')),
  ]);
  return {
    title: model.name,
    description: [
      model.description ? sentence(model.description) : `Events of the ${model.name} system.`,
      'Every message is a JSON CloudEvents envelope { id, type, source, time, data }; data is the event payload.',
      'Consumers drop an id they have already processed.',
    ].join(' '),
    server: runtime.broker ? server(runtime.broker) : null,
    brokerUser: kind === 'rabbitmq',
    amqp: kind === 'rabbitmq' ? { exchange: rabbitNames(model.name, '', '').exchange } : null,
    natsHeaders: kind === 'nats',
    kafka: kind === 'kafka' ? { partitions: kafkaPartitions, replicas: kafkaReplicationFactor, retentionMs: kafkaRetentionMs } : null,
    channels,
    operations,
    hasOperations: operations.length > 0,
    messages: model.events.map((event) => ({ name: event.name, key: yamlKey(event.name), summary: messageSummary(event) })),
    schemas: model.events.map(payloadSchema),
  };
}

const protocols: Record<Exclude<BrokerKind, 'none'>, { protocol: string; version: string | null; product: string }> = {
  rabbitmq: { protocol: 'amqp', version: '0.9.1', product: 'RabbitMQ' },
  nats: { protocol: 'nats', version: null, product: 'NATS JetStream' },
  kafka: { protocol: 'kafka', version: null, product: 'Kafka' },
};

function server(broker: BrokerRuntime): ServerView {
  const { protocol, version, product } = protocols[broker.kind];
  return {
    host: `${broker.host}:${broker.port}`,
    protocol,
    protocolVersion: version,
    description: `${product}, as the generated deployments run it. Services connect through BROKER_URL.`,
    security: broker.kind === 'rabbitmq',
  };
}

function channel(system: string, kind: BrokerKind, event: EventDef): ChannelView {
  const base = { id: event.name, key: yamlKey(event.name), message: event.name };
  switch (kind) {
    case 'rabbitmq': {
      const names = rabbitNames(system, '', event.name);
      return { ...base, address: names.routingKey, description: `Routing key ${names.routingKey} on the topic exchange ${names.exchange}.`, bindings: 'eventsExchange' };
    }
    case 'nats': {
      const names = natsNames(system, '', event.name);
      return { ...base, address: names.subject, description: `Subject ${names.subject}, kept in the stream ${names.stream}.`, bindings: null };
    }
    case 'kafka': {
      const { topic } = kafkaNames(system, '', event.name);
      return { ...base, address: topic, description: `Topic ${topic}.`, bindings: 'eventsTopic' };
    }
    case 'none':
      return { ...base, address: null, description: 'The system has no broker (broker: none), so nothing carries this event yet.', bindings: null };
  }
}

function operation(system: string, kind: BrokerKind, event: EventDef, service: string, action: 'send' | 'receive'): OperationView {
  const base = { action, channel: event.name, message: event.name, service, bindings: null, kafkaGroup: null };
  if (action === 'send') {
    return { ...base, id: `${service}Publishes${event.name}`, summary: `${service} publishes ${event.name}.`, consumer: null, bindings: kind === 'rabbitmq' ? 'persistentPublish' : null };
  }
  const id = `${service}Receives${event.name}`;
  switch (kind) {
    case 'rabbitmq': {
      const { queue } = rabbitNames(system, service, event.name);
      return { ...base, id, summary: `${service} consumes ${event.name} from the queue ${queue}.`, consumer: queue, bindings: 'manualAck' };
    }
    case 'nats': {
      const { durable } = natsNames(system, service, event.name);
      return { ...base, id, summary: `${service} consumes ${event.name} through the durable consumer ${durable}.`, consumer: durable };
    }
    case 'kafka': {
      const { group } = kafkaNames(system, service, event.name);
      return { ...base, id, summary: `${service} consumes ${event.name} in the consumer group ${group}.`, consumer: group, kafkaGroup: group };
    }
    case 'none':
      return { ...base, id, summary: `${service} consumes ${event.name}.`, consumer: null };
  }
}

function messageSummary(event: EventDef): string {
  const list = (services: readonly string[]): string => (services.length > 0 ? services.join(', ') : 'no service');
  return `Published by ${list(event.publishers)}; consumed by ${list(event.subscribers)}.`;
}

function payloadSchema(event: EventDef): PayloadSchemaView {
  const properties = event.fields.map(property);
  const required = event.fields.filter((f) => !f.optional).map((f) => f.name);
  return {
    name: event.name,
    key: yamlKey(event.name),
    description: `Payload (data) of ${event.name}.`,
    properties,
    hasProperties: properties.length > 0,
    required,
    hasRequired: required.length > 0,
  };
}

const valueTypes: Record<FieldType, { readonly type: string | null; readonly format: string | null }> = {
  string: { type: 'string', format: null },
  text: { type: 'string', format: null },
  integer: { type: 'integer', format: null },
  number: { type: 'number', format: null },
  boolean: { type: 'boolean', format: null },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  uuid: { type: 'string', format: 'uuid' },
  // Any JSON value: the empty schema.
  json: { type: null, format: null },
};

/** The JSON Schema of one field: its type and `enum`, a list as an array of it, optional fields simply not required. */
function property(field: Field): PropertyView {
  const { type, format } = valueTypes[field.type];
  const value: ValueSchema = { type, format, enum: field.enum ?? null, empty: type === null && !field.enum };
  const description = field.description ?? null;
  return { key: yamlKey(field.name), list: field.list, value, description, empty: value.empty && !field.list && description === null };
}

/** A name as a YAML mapping key: quoted where a YAML 1.1 or 1.2 reader would take it for a boolean or null (`On`, `no`, `Null`). */
function yamlKey(name: string): string {
  return /^(y|yes|n|no|true|false|on|off|null|~)$/i.test(name) ? JSON.stringify(name) : name;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
