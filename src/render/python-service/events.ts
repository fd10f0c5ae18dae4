import type { BrokerKind, Field, Service, SystemModel } from '../../model/types.js';
import { natsNames, rabbitNames } from '../broker/naming.js';
import { natsConsumerConfigs, natsMaxDeliver, natsStreamConfig, rabbitDefinitions, rabbitDeliveryLimit, subscriptions } from '../broker/view.js';
import { kebab } from '../../shared/naming.js';
import { eventSchemas } from '../service/events.js';
import { snake } from '../service/names.js';
import type { RenderContext, TargetTree } from '../target.js';
import { lineLength, pyCall, pyImported, pyImportOrder, pyString } from './python.js';

/**
 * The event layer of a Python service, the package `app/events/` of
 * `services/<name>/`: the outbox and its relay when the service publishes,
 * the idempotent consumer when it subscribes, the broker interface with the
 * adapter of the system's broker, and the topology as constants. Every broker
 * name and argument comes from broker/naming.ts and broker/view.ts, the same
 * functions that render broker/ and the Node.js services' topology, so a
 * Python and a Node.js service of one system meet on the same exchange,
 * queues, stream and consumers. Renders nothing for a service without events
 * or a system without a broker. The hand-written handler of each consumed
 * event, `app/handlers/on_<event>.py`, is created once and then the user's.
 */
export function renderPythonEvents(context: RenderContext, service: Service, tree: TargetTree): void {
  const { model, templates } = context;
  const broker = pythonBroker(model.broker);
  if (broker === undefined || (service.publishes.length === 0 && service.subscribes.length === 0)) return;
  const write = (file: string, template: string, view: object = {}): void =>
    tree.generated(`services/${service.name}/app/events/${file}`, templates.render(`python-service/app/events/${template}`, view));
  const subscriptionViews = service.subscribes.map(({ event }) => {
    const module = `on_${snake(kebab(event))}`;
    const consume = pyCall('consume', ['db.pool', 'broker', pyString(event), `_applying(${module}.handle, context)`], '    ', 'await ');
    return { event, module, envelopeImports: pyImportOrder(['Envelope', event]).join(', '), consume };
  });
  // The package itself stays light: app/context.py imports its envelope and outbox, and runtime.py imports app/context.py.
  tree.generated(`services/${service.name}/app/events/__init__.py`, templates.render('python-service/package.py', { doc: `The event layer: ${service.publishes.length > 0 ? 'the outbox and its relay, ' : ''}${service.subscribes.length > 0 ? 'idempotent consumers, ' : ''}the ${adapters[broker].label} adapter and its topology.` }));
  write('runtime.py', 'runtime.py', {
    label: adapters[broker].label,
    publishes: service.publishes.length > 0,
    subscriptions: subscriptionViews,
    handlerImports: pyImported('app.handlers', subscriptionViews.map((s) => s.module).sort()),
  });
  write('envelope.py', 'envelope.py', envelopeView(model, service));
  write('schemas.py', 'schemas.py', { schemas: pyBlock(eventSchemas(model, service)) });
  if (service.publishes.length > 0) {
    write('outbox.py', 'outbox.py');
    write('relay.py', 'relay.py');
  }
  if (service.subscribes.length > 0) write('consumer.py', 'consumer.py');
  write('broker.py', 'broker.py', { ...adapters[broker], schemes: pyBlock(adapters[broker].schemes) });
  write(`${adapters[broker].module}.py`, `${adapters[broker].module}.py`);
  write('topology.py', `topology.${broker}.py`, topology[broker](model, service));
  for (const subscription of subscriptionViews) {
    tree.user(`services/${service.name}/app/handlers/${subscription.module}.py`, templates.render('python-service/app/handlers/event-handler.py', subscription));
  }
}

/** The brokers Python services speak; Kafka is not one of them yet. */
export type PythonBroker = 'rabbitmq' | 'nats';

export function pythonBroker(broker: BrokerKind): PythonBroker | undefined {
  return broker === 'rabbitmq' || broker === 'nats' ? broker : undefined;
}

/** The pip packages (direct ones) the adapter of `broker` imports. */
export const pythonBrokerPackages: Record<PythonBroker, readonly string[]> = {
  rabbitmq: ['aio-pika'],
  nats: ['nats-py'],
};

interface AdapterView {
  readonly label: string;
  readonly schemes: readonly string[];
  readonly example: string;
  readonly module: string;
  readonly connect: string;
  readonly deadLetter: string;
}

const adapters: Record<PythonBroker, AdapterView> = {
  rabbitmq: {
    label: 'RabbitMQ',
    schemes: ['amqp', 'amqps'],
    example: 'amqp://user:password@broker:5672',
    module: 'rabbitmq',
    connect: 'connect_rabbitmq',
    deadLetter: "Gives up on the message: the queue's dead-letter exchange moves it to its dead-letter queue.",
  },
  nats: {
    label: 'NATS',
    schemes: ['nats'],
    example: 'nats://broker:4222',
    module: 'jetstream',
    connect: 'connect_nats',
    deadLetter: 'Gives up on the message: the consumer stops delivering it; it stays in the stream.',
  },
};

// ---------------------------------------------------------------- envelope.py

const wireTypes: Record<Field['type'], string> = {
  string: 'str',
  text: 'str',
  integer: 'int',
  number: 'float',
  boolean: 'bool',
  // As on the wire: ISO 8601 text and UUID strings.
  date: 'str',
  datetime: 'str',
  uuid: 'str',
  json: 'Any',
};

function annotation(field: Field): string {
  const base = field.enum ? `Literal[${field.enum.map((v) => JSON.stringify(v)).join(', ')}]` : wireTypes[field.type];
  const value = field.list ? `list[${base}]` : base;
  return field.optional ? `NotRequired[${value} | None]` : value;
}

function envelopeView(model: SystemModel, service: Service): object {
  const names = [...new Set([...service.publishes, ...service.subscribes].map((ref) => ref.event))];
  const events = model.events.filter((e) => names.includes(e.name));
  const published = service.publishes.map((ref) => ref.event);
  return {
    system: model.name,
    service: service.name,
    events: events.map((e) => ({ name: e.name, fields: e.fields.map((f) => ({ name: f.name, annotation: annotation(f) })) })),
    anyField: events.some((e) => e.fields.some((f) => f.type === 'json')),
    usesLiteral: published.length > 0 || events.some((e) => e.fields.some((f) => f.enum)),
    publishes: published.length > 0,
    publishedLiteral: published.map((e) => JSON.stringify(e)).join(', '),
    publishedData: published.join(' | '),
  };
}

// ---------------------------------------------------------------- topology.py

const byEvent = <T>(events: readonly string[], value: (event: string) => T): Record<string, T> => Object.fromEntries(events.map((event) => [event, value(event)]));

const eventsOf = (refs: Service['publishes']): string[] => refs.map((ref) => ref.event);

const topology: Record<PythonBroker, (model: SystemModel, service: Service) => object> = {
  rabbitmq(model, service) {
    const published = eventsOf(service.publishes);
    const consumed = eventsOf(service.subscribes);
    const definitions = rabbitDefinitions(model);
    // The service's own queues, and those of the subscribers of what it publishes (as the Node.js side declares them).
    const queues = new Set(
      subscriptions(model)
        .filter((s) => s.service === service.name || published.includes(s.event))
        .flatMap((s) => {
          const names = rabbitNames(model.name, s.service, s.event);
          return [names.queue, names.deadLetterQueue];
        }),
    );
    return {
      service: pyBlock(service.name),
      exchange: pyBlock(rabbitNames(model.name, service.name, '').exchange),
      routingKeys: pyBlock(byEvent(published, (event) => rabbitNames(model.name, service.name, event).routingKey)),
      queues: pyBlock(byEvent(consumed, (event) => rabbitNames(model.name, service.name, event).queue)),
      declarations: pyBlock({
        exchanges: definitions.exchanges.map((e) => e.name),
        queues: definitions.queues.filter((q) => queues.has(q.name)).map((q) => ({ name: q.name, arguments: q.arguments })),
        bindings: definitions.bindings
          .filter((b) => queues.has(b.destination))
          .map((b) => ({ exchange: b.source, queue: b.destination, routing_key: b.routing_key })),
      }),
      maxDeliveries: rabbitDeliveryLimit + 1,
    };
  },
  nats(model, service) {
    const configs = natsConsumerConfigs(model);
    const consumerOf = (event: string) => configs.find((c) => c.durable_name === natsNames(model.name, service.name, event).durable);
    return {
      service: pyBlock(service.name),
      stream: pyBlock(natsStreamConfig(model)),
      subjects: pyBlock(byEvent(eventsOf(service.publishes), (event) => natsNames(model.name, service.name, event).subject)),
      consumers: pyBlock(byEvent(eventsOf(service.subscribes), consumerOf)),
      maxDeliveries: natsMaxDeliver,
    };
  },
};

/**
 * A JSON value as a Python literal the way ruff would format it: double
 * quotes, short containers on one line, longer ones one item a line with a
 * trailing comma. `lead` is what precedes the value on its line after
 * `indent` (a key, say): a container is split when the line would not fit.
 */
export function pyBlock(value: unknown, indent = '', lead = ''): string {
  const inline = oneLine(value);
  const fits = inline.length + indent.length <= 100 && `${indent}${lead}${inline},`.length <= lineLength;
  if (fits || typeof value !== 'object' || value === null) return inline;
  const inner = `${indent}    `;
  const items = Array.isArray(value)
    ? value.map((v) => `${inner}${pyBlock(v, inner)},`)
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyBlock(v, inner, `${JSON.stringify(k)}: `)},`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join('\n')}\n${indent}${close}`;
}

function oneLine(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}
