import type { BrokerKind } from '../../model/types.js';
import { natsNames, rabbitNames } from '../../render/broker/naming.js';

/** An event seen on the broker, as the dashboard's feed shows it. */
export interface FlowEvent {
  readonly id: string;
  readonly type: string;
  /** The envelope's `source`: `/<system>/<service>`. */
  readonly source: string;
  /** The publishing service: the last segment of `source`. */
  readonly publisher: string;
  readonly time: string;
  readonly data: unknown;
}

export interface Tap {
  close(): Promise<void>;
}

/**
 * Listens to every event of the system on the broker without taking any
 * from the services: RabbitMQ, a private auto-deleted queue bound to the
 * system's exchange with `#`; NATS, a plain subscription to the stream's
 * subjects (JetStream consumers are untouched). Kafka is not tapped.
 */
export async function tapEvents(kind: Exclude<BrokerKind, 'none'>, url: string, system: string, onEvent: (event: FlowEvent) => void): Promise<Tap | undefined> {
  const parse = (body: Uint8Array): void => {
    try {
      const envelope = JSON.parse(Buffer.from(body).toString('utf8')) as Partial<FlowEvent>;
      if (typeof envelope.type !== 'string') return;
      const source = String(envelope.source ?? '');
      onEvent({ id: String(envelope.id ?? ''), type: envelope.type, source, publisher: source.split('/').filter(Boolean).pop() ?? source, time: String(envelope.time ?? new Date().toISOString()), data: envelope.data });
    } catch {
      // not an envelope: not an event of this system
    }
  };
  if (kind === 'rabbitmq') {
    const amqp = await import('amqplib');
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    const { exchange } = rabbitNames(system, '', '');
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    await channel.bindQueue(queue, exchange, '#');
    await channel.consume(queue, (message) => message && parse(message.content), { noAck: true });
    return { close: async () => void (await connection.close().catch(() => undefined)) };
  }
  if (kind === 'nats') {
    const { connect } = await import('@nats-io/transport-node');
    const connection = await connect({ servers: url.replace(/^nats:\/\//, ''), name: 'taskflow-gen dev tap' });
    const subscription = connection.subscribe(natsNames(system, '', '').streamSubjects);
    void (async () => {
      for await (const message of subscription) parse(message.data);
    })();
    return { close: async () => void (await connection.close().catch(() => undefined)) };
  }
  return undefined;
}
