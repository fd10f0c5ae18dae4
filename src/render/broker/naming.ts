/**
 * Broker names: the contract between the broker definitions rendered under
 * broker/, the AsyncAPI document and the generated services' broker adapters.
 * Every name an adapter publishes to or consumes from comes from here, so the
 * three can never disagree. Pure; names only depend on their arguments.
 */

import { envName } from '../../shared/naming.js';

/** RabbitMQ names for one (service, event) pair; publishers use only `exchange` and `routingKey`. */
export interface RabbitNames {
  /** Durable topic exchange every event of the system is published to: `<system>.events`. */
  readonly exchange: string;
  /** Topic exchange that rejected or over-delivered messages go to: `<system>.events.dlx`. */
  readonly deadLetterExchange: string;
  /** Routing key of the event on `exchange`: the event name. */
  readonly routingKey: string;
  /** Quorum queue the service consumes the event from: `<system>.<service>.<Event>` (systems may share a broker). */
  readonly queue: string;
  /** Where the queue's dead letters end up: `<system>.<service>.<Event>.dlq`, bound to the DLX by `deadLetterRoutingKey`. */
  readonly deadLetterQueue: string;
  /** Routing key a dead letter carries to the DLX: the queue name, so each queue has its own DLQ. */
  readonly deadLetterRoutingKey: string;
}

/** RabbitMQ names of `event` as published in `system` and consumed by `service`. */
export function rabbitNames(system: string, service: string, event: string): RabbitNames {
  const exchange = `${system}.events`;
  const queue = `${system}.${service}.${event}`;
  return {
    exchange,
    deadLetterExchange: `${exchange}.dlx`,
    routingKey: event,
    queue,
    deadLetterQueue: `${queue}.dlq`,
    deadLetterRoutingKey: queue,
  };
}

/** NATS JetStream names for one (service, event) pair; publishers use only `subject`. */
export interface NatsNames {
  /** The system's one stream: `<SYSTEM>_EVENTS` (upper snake case; stream names allow no `.`). */
  readonly stream: string;
  /** What the stream captures: `<system>.events.>`. */
  readonly streamSubjects: string;
  /** Subject the event is published on: `<system>.events.<Event>`. */
  readonly subject: string;
  /** Durable pull consumer of the service for the event: `<service>-<Event>`. */
  readonly durable: string;
}

/** NATS names of `event` as published in `system` and consumed by `service`. */
export function natsNames(system: string, service: string, event: string): NatsNames {
  return {
    stream: `${envName(system)}_EVENTS`,
    streamSubjects: `${system}.events.>`,
    subject: `${system}.events.${event}`,
    durable: `${service}-${event}`,
  };
}

/** Kafka names for one (service, event) pair; publishers use only `topic`. */
export interface KafkaNames {
  /** One topic per event: `<system>.<Event>`. */
  readonly topic: string;
  /** One consumer group per service, over all the topics it subscribes to: `<system>.<service>`. */
  readonly group: string;
}

/** Kafka names of `event` as published in `system` and consumed by `service`. */
export function kafkaNames(system: string, service: string, event: string): KafkaNames {
  return { topic: `${system}.${event}`, group: `${system}.${service}` };
}
