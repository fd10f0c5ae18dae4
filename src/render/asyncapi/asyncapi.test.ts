import { Parser, type AsyncAPIDocumentInterface, type Diagnostic } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { EventDef, Field, FieldType, SystemModel } from '../../model/types.js';
import { kafkaNames, natsNames, rabbitNames } from '../broker/naming.js';
import { edgeYaml, fileOf, renderEvents, systemsWith, withBroker, type TestSystem } from '../../../test/support/render/broker/systems.js';
import { exampleNames, exampleYaml, modelOf } from '../../../test/support/render/render.js';

// The official parser: JSON Schema validation of the AsyncAPI 3.0 document, its bindings and
// payload schemas, $ref resolution and the AsyncAPI ruleset. Each parse takes about a second.
const parser = new Parser();
const errorSeverity = 0;

interface Parsed {
  readonly document: AsyncAPIDocumentInterface | undefined;
  readonly errors: readonly Diagnostic[];
}

const parses = new Map<string, Promise<Parsed>>();

/** Parses once per text: the payload tests reuse the documents the validity tests parsed. */
function parse(text: string): Promise<Parsed> {
  let parsed = parses.get(text);
  if (!parsed) {
    parsed = parser.parse(text).then(({ document, diagnostics }) => ({ document, errors: diagnostics.filter((d) => d.severity === errorSeverity) }));
    parses.set(text, parsed);
  }
  return parsed;
}

const asyncapiOf = (yaml: string): string => fileOf(renderEvents(yaml), 'asyncapi.yaml');
const own = (name: string): TestSystem => ({ label: `${name} (own broker)`, yaml: exampleYaml(name), model: modelOf(exampleYaml(name)) });

/** Every example with its own broker, and the edge case on every broker (none included): what the parser checks. */
const parsed: TestSystem[] = [
  ...[...exampleNames, 'anti-patterns'].map(own),
  ...(['rabbitmq', 'nats', 'kafka', 'none'] as const).map((kind) => ({ label: `edge-case (${kind})`, yaml: withBroker(edgeYaml, kind), model: modelOf(withBroker(edgeYaml, kind)) })),
  ...systemsWith('rabbitmq').filter((s) => s.label.startsWith('proxied')),
];

/** The address each broker target gives an event. */
function addressOf(model: SystemModel, event: string): string | null {
  switch (model.broker) {
    case 'rabbitmq':
      return rabbitNames(model.name, '', event).routingKey;
    case 'nats':
      return natsNames(model.name, '', event).subject;
    case 'kafka':
      return kafkaNames(model.name, '', event).topic;
    case 'none':
      return null;
  }
}

describe('asyncapi.yaml', () => {
  it.each(parsed)('$label: the AsyncAPI parser finds no error, and it describes every event and every publisher and subscriber', async ({ yaml, model }) => {
    const { document, errors } = await parse(asyncapiOf(yaml));
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document!.version()).toBe('3.0.0');
    expect(document!.info().title()).toBe(model.name);
    expect(document!.info().version()).toBe('1.0.0');

    const servers = document!.servers().all();
    if (model.broker === 'none') expect(servers).toEqual([]);
    else {
      const protocol = { rabbitmq: 'amqp', nats: 'nats', kafka: 'kafka' }[model.broker];
      const port = { rabbitmq: 5672, nats: 4222, kafka: 9092 }[model.broker];
      expect(servers.map((s) => [s.host(), s.protocol()])).toEqual([[`broker:${port}`, protocol]]);
    }

    const channels = document!.channels().all();
    expect(channels.map((c) => [c.id(), c.address()])).toEqual(model.events.map((e) => [e.name, addressOf(model, e.name)]));
    for (const channel of channels) expect(channel.messages().all().map((m) => m.name())).toEqual([channel.id()]);
    // On NATS the stream de-duplicates by Nats-Msg-Id, so publishers must send it.
    for (const message of document!.messages().all()) {
      expect(message.headers()?.required() ?? [], message.name()).toEqual(model.broker === 'nats' ? ['Nats-Msg-Id'] : []);
    }

    const expected = model.events.flatMap((e) => [
      ...e.publishers.map((service) => [`${service}Publishes${e.name}`, 'send', e.name, service]),
      ...e.subscribers.map((service) => [`${service}Receives${e.name}`, 'receive', e.name, service]),
    ]);
    const operations = document!.operations().all();
    expect(operations.map((o) => [o.id(), o.action(), o.channels().all()[0]?.id(), o.extensions().get('x-service')?.value()])).toEqual(expected);
  });

  it('the parser reports errors in a broken document, so the check can fail', async () => {
    const text = asyncapiOf(exampleYaml('checkout'));
    const broken = [
      text.replace("$ref: '#/components/messages/OrderPlaced'", "$ref: '#/components/messages/OrderPlacd'"),
      text.replace('deliveryMode: 2', 'deliveryMode: 3'),
      text.replace('action: receive', 'action: consume'),
      text.replace('type: number', 'type: numeric'),
      text.replace('asyncapi: 3.0.0', 'asyncapi: 3.0.7'),
    ];
    for (const doc of broken) {
      expect(doc).not.toBe(text);
      expect((await parse(doc)).errors.length).toBeGreaterThan(0);
    }
  });

  it('is rendered only when the system has events, whatever its broker', () => {
    const quiet = systemsWith('rabbitmq').find((s) => s.label.startsWith('quiet'))!;
    for (const kind of ['rabbitmq', 'nats', 'kafka', 'none'] as const) expect(renderEvents(withBroker(quiet.yaml, kind)).get('asyncapi.yaml')).toBeUndefined();
    expect(renderEvents(withBroker(edgeYaml, 'none')).get('asyncapi.yaml')).toBeDefined();
    expect(asyncapiOf(edgeYaml)).toBe(asyncapiOf(edgeYaml));
  });

  it('names each receiving queue, durable or group, and binds RabbitMQ and Kafka operations', () => {
    const docs = (['rabbitmq', 'nats', 'kafka'] as const).map((kind) => load(asyncapiOf(withBroker(edgeYaml, kind))) as AsyncApiJson);
    const [rabbit, nats, kafka] = docs.map((d) => d.operations['billingReceivesOrderPlaced']!);
    expect(rabbit!['x-consumer']).toBe('edge-case.billing.OrderPlaced');
    expect(nats!['x-consumer']).toBe('billing-OrderPlaced');
    expect(kafka!['x-consumer']).toBe('edge-case.billing');
    expect(rabbit!.bindings).toEqual({ $ref: '#/components/operationBindings/manualAck' });
    expect(docs[0]!.operations['order-servicePublishesOrderPlaced']!.bindings).toEqual({ $ref: '#/components/operationBindings/persistentPublish' });
    expect(kafka!.bindings).toEqual({ kafka: { groupId: { type: 'string', enum: ['edge-case.billing'] }, bindingVersion: '0.5.0' } });
  });
});

interface AsyncApiJson {
  operations: Record<string, { bindings?: unknown; 'x-consumer'?: string }>;
}

// ---------------------------------------------------------------- payloads

/** A value of a field's type, as a publisher would send it. */
function sample(field: Field): unknown {
  const one = (type: FieldType): unknown =>
    field.enum
      ? field.enum[0]
      : ({
          string: 'text',
          text: 'longer text',
          integer: 3,
          number: 2.5,
          boolean: true,
          date: '2024-05-01',
          datetime: '2024-05-01T10:00:00Z',
          uuid: '0b9d1c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
          json: { any: ['thing'] },
        } satisfies Record<FieldType, unknown>)[type];
  return field.list ? [one(field.type), one(field.type)] : one(field.type);
}

/** A value the field's schema must refuse, or undefined when every JSON value is allowed. */
function wrong(field: Field): unknown {
  if (field.type === 'json' && !field.list) return undefined;
  if (field.list) return 'not a list';
  if (field.enum) return 'not-in-enum';
  return { string: 1, text: 1, integer: 1.5, number: 'x', boolean: 'yes', date: 'May 1st', datetime: '2024-05-01', uuid: 'not-a-uuid', json: undefined }[field.type];
}

function envelope(system: string, event: EventDef, data: Record<string, unknown>): Record<string, unknown> {
  return { id: 'e1', type: event.name, source: `/${system}/${event.publishers[0] ?? 'someone'}`, time: '2024-05-01T10:00:00Z', data };
}

describe('asyncapi.yaml message payloads', () => {
  // Validates sample events against each message's payload schema as the parser resolved it.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('uri-reference', /^\S*$/);

  it.each(parsed)('$label: each event payload accepts a well-formed event and refuses a malformed one', async ({ yaml, model }) => {
    const { document } = await parse(asyncapiOf(yaml));
    for (const event of model.events) {
      const message = document!.messages().all().find((m) => m.name() === event.name)!;
      const validate = ajv.compile(message.payload()!.json() as object);
      const data = Object.fromEntries(event.fields.map((f) => [f.name, sample(f)]));
      const good = envelope(model.name, event, data);
      expect(validate(good), `${event.name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      const required = Object.fromEntries(event.fields.filter((f) => !f.optional).map((f) => [f.name, sample(f)]));
      expect(validate(envelope(model.name, event, required)), `${event.name} without its optional fields`).toBe(true);

      expect(validate({ ...good, type: 'SomethingElse' }), `${event.name}: another type`).toBe(false);
      for (const key of ['id', 'type', 'source', 'time', 'data']) {
        const { [key]: _, ...missing } = good;
        expect(validate(missing), `${event.name} without ${key}`).toBe(false);
      }
      for (const field of event.fields) {
        if (!field.optional) {
          const { [field.name]: _, ...rest } = data;
          expect(validate(envelope(model.name, event, rest)), `${event.name} without ${field.name}`).toBe(false);
        }
        const bad = wrong(field);
        if (bad !== undefined) expect(validate(envelope(model.name, event, { ...data, [field.name]: bad })), `${event.name}.${field.name} = ${JSON.stringify(bad)}`).toBe(false);
      }
    }
  });
});
