import { endpointKey } from '../../model/normalize.js';
import type { Entity, EventDef, Field, Service, SystemModel } from '../../model/types.js';
import { kebab } from '../../shared/naming.js';
import { eventSample, exampleCall, exampleUuid, existsState, malformedOf, messageDescription, missingState, pactConsumers } from '../contracts.js';
import { crudTarget, type CrudKind } from '../service/crud.js';
import { enumPattern, overrideKeys, sampleOf } from '../service/entities.js';
import { camel, pathParams, snake, sqlName } from '../service/names.js';
import { entityView } from './entities.js';
import { tsLiteral } from './literal.js';
import { pascal } from './names.js';
import type { ClientView } from './view.js';
import { servicesByName } from '../../model/lookup.js';

/**
 * Consumer-driven contract tests of one Node.js service, from the edges
 * system.yaml declares:
 * - as a consumer, one Pact test per provider (`test/contracts/consumer.<provider>.test.ts`):
 *   its own typed client against Pact's mock provider for each generated CRUD
 *   call, and each event it consumes from that provider as a message handed to
 *   its real handler; both write `contracts/pacts/<service>-<provider>.json`;
 * - as a provider, one verification (`provider.test.ts`) that replays every
 *   `contracts/pacts/*-<service>.json` against the service in process on an
 *   empty embedded database, with provider states made from its entities and
 *   messages built by the code that publishes them;
 * - the event schemas on both sides (`events.test.ts`).
 * Hand-written endpoints and the code paths that publish events are the team's:
 * they go in the user-owned `test/contracts/extensions.ts`.
 */
export interface ContractsView {
  readonly service: string;
  readonly consumers: readonly ConsumerTestView[];
  readonly provider: ProviderView | false;
  /** Events the service publishes and consumes, for events.test.ts and the support module. */
  readonly published: readonly EventTestView[];
  readonly consumed: readonly EventTestView[];
  readonly hasEvents: boolean;
  /** Every event the service publishes or consumes, with a sample payload. */
  readonly samples: readonly { readonly event: string; readonly sample: string }[];
  /** The service's clients, when it calls any (the tests can swap them for stand-ins). */
  readonly hasClients: boolean;
  readonly clientsLiteral: string;
  /** Tables of its entities (a rejected event must leave them as they were). */
  readonly tables: string;
  readonly extensions: ExtensionsView;
  /** Whether the tests run code for Pact (states, publishing, event handlers), each run bounded in time. */
  readonly steps: boolean;
  /** Whether their errors are reported by name (provider states, publishing). */
  readonly stepErrors: boolean;
  /** Glob patterns of the npm scripts. */
  readonly any: boolean;
}

export interface ConsumerTestView {
  readonly consumer: string;
  readonly provider: string;
  readonly file: string;
  readonly client: { readonly className: string; readonly file: string } | false;
  /** Matcher builders of the provider's entities the interactions answer with. */
  readonly bodies: readonly { readonly function: string; readonly entity: string; readonly matcher: string }[];
  readonly interactions: readonly InteractionView[];
  readonly messages: readonly MessageView[];
  /** Whether the provider has hand-written interactions in extensions.ts. */
  readonly extensible: boolean;
}

export interface InteractionView {
  readonly title: string;
  /** The example id of the entity: `productId` = '...'. */
  readonly idName: string;
  readonly id: string;
  readonly description: string;
  readonly state: string | false;
  readonly method: string;
  /** TypeScript expression of the request path. */
  readonly path: string;
  readonly requestBody: string | false;
  /** The client method whose body type the request body takes, and the body's position among its parameters. */
  readonly bodyOf: { readonly method: string; readonly index: number } | false;
  readonly status: number;
  readonly responseBody: string | false;
  /** TypeScript statements that call the client (`client`) and check what it returns. */
  readonly exercise: string;
}

export interface MessageView {
  readonly event: string;
  readonly description: string;
  /** TypeScript expression of the expected envelope, with matchers. */
  readonly content: string;
}

export interface EventTestView {
  readonly event: string;
  readonly description: string;
  /** A required field to drop and a wrong value for another, for the malformed example. */
  readonly malformed: string;
}

export interface ProviderView {
  readonly consumers: readonly string[];
  readonly states: readonly StateView[];
  readonly messages: readonly { readonly event: string; readonly description: string }[];
}

export interface StateView {
  readonly name: string;
  readonly entity: string;
  readonly repositoryClass: string;
  readonly file: string;
  readonly exists: boolean;
  readonly sample: string;
}

export interface ExtensionsView {
  readonly callees: readonly { readonly property: string; readonly className: string; readonly file: string }[];
  /** One example interaction for a hand-written endpoint the service calls (non-CRUD, or CRUD the callee overrides). */
  readonly example:
    | {
        readonly provider: string;
        readonly property: string;
        readonly className: string;
        readonly text: string;
        readonly method: string;
        readonly methodName: string;
        /** Position of the body among the method's parameters (after the path's). */
        readonly bodyIndex: number;
        /** `postProductsAvailability(body)` */
        readonly call: string;
        readonly path: string;
        readonly body: string | false;
        readonly status: number;
      }
    | false;
  readonly published: readonly string[];
}

export { exampleUuid };

export function contractsView(model: SystemModel, service: Service, clients: readonly ClientView[]): ContractsView {
  const services = servicesByName(model);
  const events = new Map(model.events.map((e) => [e.name, e]));
  const usesBroker = model.broker !== 'none';
  const consumed = usesBroker ? service.subscribes.map((r) => events.get(r.event)!) : [];
  const published = usesBroker ? service.publishes.map((r) => events.get(r.event)!) : [];

  const providers = new Map<string, ConsumerTestView>();
  for (const call of service.calls) providers.set(call.callee, consumerTest(service, services.get(call.callee)!, call.endpoints));
  for (const event of consumed) {
    for (const publisher of event.publishers) {
      const existing = providers.get(publisher) ?? consumerTest(service, services.get(publisher)!, []);
      providers.set(publisher, { ...existing, messages: [...existing.messages, messageView(event)] });
    }
  }
  const consumers = [...providers.values()].filter((c) => c.interactions.length > 0 || c.messages.length > 0 || c.extensible);

  const providerConsumers = pactConsumers(model, service);
  const overrides = overrideKeys(service.overrides);
  const states = service.entities.flatMap((entity) => {
    const view = entityView(entity, overrides);
    const sample = tsLiteral(Object.fromEntries(entity.fields.map((f) => [f.name, sampleOf(f)])), '        ');
    const base = { entity: entity.name, repositoryClass: view.repositoryClass, file: view.file, sample };
    return [
      { ...base, name: existsState(entity), exists: true },
      { ...base, name: missingState(entity), exists: false },
    ];
  });

  const extensions = extensionsView(service, services, clients, published);
  return {
    service: service.name,
    consumers,
    provider: providerConsumers.length > 0 && { consumers: providerConsumers, states, messages: published.map((e) => ({ event: e.name, description: messageDescription(e) })) },
    published: published.map(eventTestView),
    consumed: consumed.map(eventTestView),
    hasEvents: published.length > 0 || consumed.length > 0,
    samples: [...new Map([...published, ...consumed].map((e) => [e.name, e])).values()].map((e) => ({ event: e.name, sample: tsLiteral(eventSample(e), '  ') })),
    hasClients: service.calls.length > 0,
    clientsLiteral: `{ ${service.calls.map((c) => `${camel(c.callee)}: nowhere`).join(', ')} }`,
    tables: tsLiteral(service.entities.map((e) => sqlName(snake(e.resource)))),
    extensions,
    steps: providerConsumers.length > 0 || published.length > 0 || consumed.length > 0,
    stepErrors: providerConsumers.length > 0 || published.length > 0,
    any: consumers.length > 0 || providerConsumers.length > 0 || published.length > 0 || consumed.length > 0,
  };
}

function consumerTest(consumer: Service, provider: Service, endpoints: Service['api']): ConsumerTestView {
  const overridden = overrideKeys(provider.overrides);
  const interactions: InteractionView[] = [];
  const bodies = new Map<string, ConsumerTestView['bodies'][number]>();
  let handWritten = false;
  for (const endpoint of endpoints) {
    const target = crudTarget(endpoint, provider);
    if (!target || overridden.has(endpointKey(endpoint))) {
      handWritten = true;
      continue;
    }
    const fn = `${camel(kebab(target.entity.name))}Body`;
    if (target.kind !== 'remove') bodies.set(target.entity.name, { function: fn, entity: target.entity.name, matcher: entityMatcher(target.entity) });
    interactions.push(...interactionsOf(target.kind, target.entity, endpoint.text, endpoint.path, fn));
  }
  return {
    consumer: consumer.name,
    provider: provider.name,
    file: `consumer.${provider.name}`,
    client: endpoints.length > 0 && { className: `${pascal(provider.name)}Client`, file: provider.name },
    bodies: [...bodies.values()],
    interactions,
    messages: [],
    extensible: handWritten,
  };
}

function interactionsOf(kind: CrudKind, entity: Entity, text: string, path: string, body: string): InteractionView[] {
  return interactionsOfKind(kind, entity, text, path, body).map((i) => ({ ...i, idName: `${camel(kebab(entity.name))}Id`, id: exampleUuid(entity.name) }));
}

function interactionsOfKind(kind: CrudKind, entity: Entity, text: string, path: string, body: string): Omit<InteractionView, 'idName' | 'id'>[] {
  const id = `${camel(kebab(entity.name))}Id`;
  const itemPath = path.replace(/\{[^}]+\}$/, `\${${id}}`);
  const sample = tsLiteral(Object.fromEntries(entity.fields.map((f) => [f.name, sampleOf(f)])), '      ');
  const method = pascal(kind === 'list' ? kebab(entity.resource) : kebab(entity.name));
  const call = (name: string, args: string) => `client.${name}(${args})`;
  const exists = existsState(entity);
  switch (kind) {
    case 'get':
      return [
        {
          title: `${text}: ${entity.name} found`,
          description: `${text} of an existing ${entity.name}`,
          state: exists,
          method: 'GET',
          path: `\`${itemPath}\``,
          requestBody: false,
          bodyOf: false,
          status: 200,
          responseBody: `${body}(${id})`,
          exercise: `const found = await ${call(`get${method}`, id)};\n        assert.equal(found?.id, ${id});`,
        },
        {
          title: `${text}: no such ${entity.name} (404 is undefined)`,
          description: `${text} of a missing ${entity.name}`,
          state: missingState(entity),
          method: 'GET',
          path: `\`${itemPath}\``,
          requestBody: false,
          bodyOf: false,
          status: 404,
          responseBody: false,
          exercise: `assert.equal(await ${call(`get${method}`, id)}, undefined);`,
        },
      ];
    case 'list':
      return [
        {
          title: `${text}: a list of ${entity.name}`,
          description: `${text} while a ${entity.name} exists`,
          state: exists,
          method: 'GET',
          path: `'${path}'`,
          requestBody: false,
          bodyOf: false,
          status: 200,
          responseBody: `m.eachLike(${body}(${id}))`,
          exercise: `const list = await ${call(`list${method}`, '')};\n        assert.equal(list[0]?.id, ${id});`,
        },
      ];
    case 'create':
      return [
        {
          title: `${text}: creates a ${entity.name}`,
          description: `${text} with a valid ${entity.name}`,
          state: false,
          method: 'POST',
          path: `'${path}'`,
          requestBody: sample,
          bodyOf: { method: `create${pascal(kebab(entity.name))}`, index: 0 },
          status: 201,
          responseBody: `${body}(${id})`,
          exercise: `const created = await ${call(`create${pascal(kebab(entity.name))}`, 'body')};\n        assert.equal(typeof created.id, 'string');`,
        },
      ];
    case 'update':
      return [
        {
          title: `${text}: replaces a ${entity.name}`,
          description: `${text} of an existing ${entity.name}`,
          state: exists,
          method: 'PUT',
          path: `\`${itemPath}\``,
          requestBody: sample,
          bodyOf: { method: `update${pascal(kebab(entity.name))}`, index: 1 },
          status: 200,
          responseBody: `${body}(${id})`,
          exercise: `const updated = await ${call(`update${pascal(kebab(entity.name))}`, `${id}, body`)};\n        assert.equal(updated.id, ${id});`,
        },
      ];
    case 'remove':
      return [
        {
          title: `${text}: deletes a ${entity.name}`,
          description: `${text} of an existing ${entity.name}`,
          state: exists,
          method: 'DELETE',
          path: `\`${itemPath}\``,
          requestBody: false,
          bodyOf: false,
          status: 204,
          responseBody: false,
          exercise: `await ${call(`delete${pascal(kebab(entity.name))}`, id)};`,
        },
      ];
  }
}

/** A Pact matcher of one value of `field`: by type, with `value` (a TypeScript expression) as the example; `item` is one element of a list. */
function fieldMatcher(field: Field, value: string, item = `${value}[0]`): string {
  if (field.type === 'json') return `m.like(${value})`;
  const one = (v: string): string => {
    if (field.enum) return `m.regex(${tsLiteral(enumPattern(field.enum))}, ${v})`;
    const matchers: Partial<Record<Field['type'], string>> = { uuid: 'uuid', integer: 'integer', number: 'number', boolean: 'boolean' };
    return `m.${matchers[field.type] ?? 'string'}(${v})`;
  };
  return field.list ? `m.eachLike(${one(item)})` : one(value);
}

/** The entity as its provider serves it, with matchers: `id` is the function's parameter. */
function entityMatcher(entity: Entity): string {
  const fields = entity.fields.map((f) => {
    const sample = sampleOf(f);
    return `    ${f.name}: ${fieldMatcher(f, tsLiteral(sample), tsLiteral(Array.isArray(sample) ? sample[0] : sample))},`;
  });
  return `({\n    id: m.uuid(id),\n${fields.join('\n')}\n  })`;
}

function messageView(event: EventDef): MessageView {
  const data = event.fields.filter((f) => !f.optional).map((f) => `        ${f.name}: ${fieldMatcher(f, `data.${f.name}`)},`);
  return {
    event: event.name,
    description: messageDescription(event),
    content: `{\n        ...envelopeMatcher('${event.name}', '${exampleUuid(`${event.name}.id`)}'),\n        data: {\n  ${data.join('\n  ')}\n        },\n      }`,
  };
}

function eventTestView(event: EventDef): EventTestView {
  const { dropped, wrong } = malformedOf(event);
  const changes = [...(dropped ? [`${dropped}: undefined`] : []), ...(wrong ? [`${wrong.field}: ${wrong.text ? '42' : "'not valid'"}`] : [])];
  // Without a required field to drop, the payload is not even an object.
  const malformed = changes.length > 0 ? `{ ...exampleOf('${event.name}'), ${changes.join(', ')} }` : `'not an object'`;
  return { event: event.name, description: messageDescription(event), malformed };
}

function extensionsView(service: Service, services: ReadonlyMap<string, Service>, clients: readonly ClientView[], published: readonly EventDef[]): ExtensionsView {
  const found = exampleCall(service, services, clients);
  let example: ExtensionsView['example'] = false;
  if (found) {
    const { call, endpoint, client, method } = found;
    const target = crudTarget(endpoint, found.callee);
    const args = [...pathParams(endpoint.path).map((p) => tsLiteral(exampleUuid(`${call.callee}.${p}`))), ...(method.hasBody ? ['body'] : [])];
    example = {
      provider: call.callee,
      property: client.property,
      className: client.className,
      text: endpoint.text,
      method: endpoint.method,
      methodName: method.name,
      bodyIndex: pathParams(endpoint.path).length,
      call: `${method.name}(${args.join(', ')})`,
      path: tsLiteral(found.path),
      body: method.hasBody ? (target ? tsLiteral(Object.fromEntries(target.entity.fields.map((f) => [f.name, sampleOf(f)])), '        ') : '{}') : false,
      status: found.status,
    };
  }
  return {
    callees: clients.map((c) => ({ property: c.property, className: c.className, file: c.file })),
    example,
    published: published.map((e) => e.name),
  };
}
