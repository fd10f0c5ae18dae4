import { endpointKey } from '../../model/normalize.js';
import type { Entity, EventDef, Field, Service, SystemModel } from '../../model/types.js';
import { kebab } from '../../shared/naming.js';
import {
  consumesWithContracts,
  eventSample,
  exampleCall,
  exampleUuid,
  existsState,
  malformedOf,
  messageDescription,
  missingState,
  pactConsumers,
} from '../contracts.js';
import { crudTarget, type CrudKind } from '../service/crud.js';
import { entityBase, enumPattern, overrideKeys, sampleOf } from '../service/entities.js';
import { isIdParam, snake } from '../service/names.js';
import { pyBlock } from './events.js';
import { lineLength, pyCall, pyCollection, pyImported, pyImportOrder, pyLiteral, pyName, pyString, pyWrapped } from './python.js';
import { crudMethodName, type PyClientView } from './view.js';

/**
 * The contract tests of one Python service (pytest, pact-python), the same
 * contracts as a Node.js service's and the same pact files, so that either
 * runtime verifies the other's:
 * - as a consumer, `tests/contracts/test_consumer_<provider>.py`: its own httpx
 *   client against Pact's mock provider for each generated CRUD call, and each
 *   event it consumes from that provider handed to its real handler; both write
 *   `contracts/pacts/<service>-<provider>.json`;
 * - as a provider, `test_provider.py`: every pact naming it replayed against
 *   the service served on a fresh PostgreSQL database, with provider states
 *   from its entities and messages its own code leaves in the outbox;
 * - `test_events.py`: the event schemas on both sides (jsonschema).
 * Hand-written endpoints and the code that publishes each event go in the
 * user-owned `tests/contracts/extensions.py`.
 */
export interface PyContractsView {
  readonly service: string;
  readonly any: boolean;
  /** Whether the service under test runs (a provider, or a consumer of events): it needs a database then. */
  readonly served: boolean;
  /** Whether the service under test calls other services: extensions.py can give stand-ins for them. */
  readonly servedClients: boolean;
  /** Whether it calls other services (its consumer tests call Pact's mock provider with CONTRACT_POLICY). */
  readonly clients: boolean;
  /** Whether support.py imports from the service itself. */
  readonly firstParty: boolean;
  /** The arguments of create_app for the service under test: its settings, the LocalBroker, the stand-ins. */
  readonly createAppArgs: string;
  /** Whether Pact runs in a thread while the service answers on this loop (a provider, or a consumer of events). */
  readonly threads: boolean;
  readonly consumers: readonly PyConsumerTest[];
  readonly provider: PyProviderView | false;
  readonly published: readonly PyEventTest[];
  readonly consumed: readonly PyEventTest[];
  readonly hasEvents: boolean;
  readonly samples: string;
  /** `Settings(...)` of the service under test, on `database_url`. */
  readonly settings: string;
  /** Queries counting the rows of the inbox and of every table (a dead-lettered event must leave them as they were). */
  readonly counts: string;
  readonly extensions: PyExtensionsView;
}

export interface PyConsumerTest {
  readonly provider: string;
  readonly module: string;
  readonly client: { readonly className: string; readonly module: string; readonly imports: string } | false;
  readonly usesUuid: boolean;
  /** Whether it imports from the standard library (a blank line then follows). */
  readonly stdlib: boolean;
  readonly usesMatch: boolean;
  readonly bodies: readonly { readonly function: string; readonly body: string }[];
  readonly interactions: readonly PyInteraction[];
  readonly messages: readonly PyMessage[];
  /** The decorator that runs the hand-written test once per endpoint of the provider written by hand (their interactions are in extensions.py). */
  readonly handWritten: string | false;
}

export interface PyInteraction {
  readonly test: string;
  readonly idName: string;
  readonly id: string;
  /** The fluent chain that declares it on `pact`, one call a line. */
  readonly chain: readonly string[];
  readonly requestBody: string | false;
  /** Statements inside `async with ... as client:` and after it. */
  readonly exercise: string;
  readonly check: string;
}

export interface PyMessage {
  readonly event: string;
  readonly test: string;
  readonly description: string;
  readonly content: string;
}

export interface PyEventTest {
  readonly event: string;
  readonly test: string;
  readonly description: string;
  readonly malformed: string;
  /** `assert error is None, <message>` of a published event's schema test, as ruff format wraps it. */
  readonly schemaAssert: string;
}

export interface PyProviderView {
  readonly consumers: string;
  readonly title: string;
  readonly states: readonly { readonly name: string; readonly function: string; readonly repository: string; readonly create: string | false }[];
  readonly inputImports: readonly { readonly module: string; readonly names: string }[];
  readonly messages: string;
}

export interface PyExtensionsView {
  /** Whether EXTENSIONS starts with anything in it. */
  readonly any: boolean;
  readonly published: readonly { readonly event: string; readonly function: string }[];
  readonly example:
    | {
        readonly provider: string;
        readonly className: string;
        readonly module: string;
        readonly text: string;
        readonly function: string;
        readonly chain: readonly string[];
        readonly call: string;
        /** `{"<provider>": {"<endpoint>": <function>}}`, the value of EXTENSIONS' interactions, as ruff format wraps it. */
        readonly interactions: string;
        readonly usesUuid: boolean;
      }
    | false;
}

export function pyContractsView(model: SystemModel, service: Service, clients: readonly PyClientView[], database: boolean): PyContractsView {
  const services = new Map(model.services.map((s) => [s.name, s]));
  const events = new Map(model.events.map((e) => [e.name, e]));
  const withEvents = consumesWithContracts(service, model);
  const consumed = withEvents ? service.subscribes.map((r) => events.get(r.event)!) : [];
  const published = withEvents ? service.publishes.map((r) => events.get(r.event)!) : [];

  const tests = new Map<string, PyConsumerTest>();
  for (const call of service.calls) {
    const client = clients.find((c) => c.callee === call.callee)!;
    tests.set(call.callee, consumerTest(services.get(call.callee)!, call.endpoints, client));
  }
  for (const event of consumed) {
    for (const publisher of event.publishers) {
      const existing = tests.get(publisher) ?? { ...consumerTest(services.get(publisher)!, [], undefined) };
      tests.set(publisher, { ...existing, usesMatch: true, messages: [...existing.messages, messageView(event)] });
    }
  }
  const consumers = [...tests.values()].filter((t) => t.interactions.length > 0 || t.messages.length > 0 || t.handWritten !== false);
  const providerConsumers = pactConsumers(model, service);
  const provider = providerConsumers.length > 0 && providerView(service, providerConsumers, published);
  const served = provider !== false || consumed.length > 0 || published.length > 0;
  return {
    service: service.name,
    any: consumers.length > 0 || served,
    served,
    servedClients: served && clients.length > 0,
    clients: clients.length > 0,
    firstParty: served || clients.length > 0,
    createAppArgs: [
      'settings',
      ...(published.length > 0 || consumed.length > 0 ? ['broker'] : []),
      ...(served && clients.length > 0 ? ['clients=None if extensions.clients is None else extensions.clients()'] : []),
    ].join(', '),
    threads: provider !== false || consumed.length > 0,
    consumers,
    provider,
    published: published.map((e) => eventTest(e, service.name)),
    consumed: consumed.map((e) => eventTest(e, service.name)),
    hasEvents: published.length > 0 || consumed.length > 0,
    samples: pyDict('EVENT_SAMPLES: dict[str, dict[str, Any]] = ', Object.fromEntries([...published, ...consumed].map((e) => [e.name, eventSample(e)])), ''),
    settings: pyWrapped(
      '(',
      [
        ...(database ? ['database_url=database_url'] : []),
        ...(service.publishes.length > 0 || service.subscribes.length > 0 ? ['broker_url="unused://the-tests-hand-in-their-broker"'] : []),
        ...clients.map((c) => `${c.setting}="http://127.0.0.1:9"`),
      ],
      ')',
      '        ',
      'settings = Settings',
    ),
    counts: countsOf(['inbox', ...service.entities.map((e) => entityBase(e, new Set()).table)]),
    extensions: extensionsView(service, services, clients, published),
  };
}

function consumerTest(provider: Service, endpoints: Service['api'], client: PyClientView | undefined): PyConsumerTest {
  const overridden = overrideKeys(provider.overrides);
  const interactions: PyInteraction[] = [];
  const bodies = new Map<string, PyConsumerTest['bodies'][number]>();
  const inputs = new Set<string>();
  const handWritten: string[] = [];
  for (const endpoint of endpoints) {
    const target = crudTarget(endpoint, provider);
    if (!target || overridden.has(endpointKey(endpoint))) {
      handWritten.push(endpoint.text);
      continue;
    }
    const fn = `${snake(kebab(target.entity.name))}_body`;
    if (target.kind !== 'remove') bodies.set(target.entity.name, { function: fn, body: entityBody(target.entity) });
    if (target.kind === 'create' || target.kind === 'update') inputs.add(`${target.entity.name}Input`);
    interactions.push(...interactionsOf(target.kind, target.entity, endpoint.text, endpoint.path, fn));
  }
  return {
    provider: provider.name,
    module: `test_consumer_${snake(provider.name)}`,
    client: interactions.length > 0 && client !== undefined && { className: client.className, module: client.attr, imports: pyImported(`app.clients.${client.attr}`, pyImportOrder([client.className, ...inputs])) },
    usesUuid: interactions.length > 0,
    stdlib: bodies.size > 0 || interactions.length > 0,
    usesMatch: bodies.size > 0 || inputs.size > 0,
    bodies: [...bodies.values()],
    interactions,
    messages: [],
    handWritten: handWritten.length > 0 && `@${pyCall('pytest.mark.parametrize', ['"endpoint"', pyCollection('[', handWritten.map(pyString), ']', '    ', '"endpoint", ')], '', '@')}`,
  };
}

function interactionsOf(kind: CrudKind, entity: Entity, text: string, path: string, body: string): PyInteraction[] {
  const one = snake(kebab(entity.name));
  const idName = `${one}_id`;
  const id = exampleUuid(entity.name);
  const itemPath = `f${pyString(path.replace(/\{[^}]+\}$/, `{${idName}}`))}`;
  const listPath = pyString(path);
  const method = crudMethodName(kind, entity);
  // One call of the chain a line, inside parentheses at 4 spaces: ruff wraps a call's arguments that do not fit.
  const link = (method: string, args: readonly string[]): string => `.${pyCall(method, args, '        ', '.')}`;
  const given = (state: string): string => link('given', [pyString(state), `{"id": ${idName}}`]);
  const json = '"application/json"';
  const base = { idName, id, requestBody: false as string | false };
  const sample = pyCollection('{', entity.fields.map((f) => `${pyString(f.name)}: ${pyLiteral(sampleOf(f))}`), '}', '    ', 'body = ');
  // `lead` = `await client.<method>(...)`, at 8 spaces.
  const call = (lead: string, args: readonly string[]): string => `${lead}await ${pyCall(`client.${method}`, args, '        ', `${lead}await `)}`;
  const make = (test: string, description: string, lines: readonly string[], exercise: string, check: string, requestBody: string | false = false): PyInteraction => ({
    ...base,
    test,
    chain: [`pact.upon_receiving(${pyString(description)})`, ...lines],
    exercise,
    check,
    requestBody,
  });
  switch (kind) {
    case 'get':
      return [
        make(
          `test_get_${one}_found`,
          `${text} of an existing ${entity.name}`,
          [given(existsState(entity)), link('with_request', ['"GET"', itemPath]), '.will_respond_with(200)', link('with_body', [`${body}(${idName})`, json])],
          call('found = ', [`UUID(${idName})`]),
          `assert found is not None\n    assert found.id == UUID(${idName})`,
        ),
        make(
          `test_get_${one}_missing`,
          `${text} of a missing ${entity.name}`,
          [given(missingState(entity)), link('with_request', ['"GET"', itemPath]), '.will_respond_with(404)'],
          call('found = ', [`UUID(${idName})`]),
          'assert found is None',
        ),
      ];
    case 'list':
      return [
        make(
          `test_list_${snake(entity.resource)}`,
          `${text} while a ${entity.name} exists`,
          [given(existsState(entity)), link('with_request', ['"GET"', listPath]), '.will_respond_with(200)', link('with_body', [`match.each_like(${body}(${idName}))`, json])],
          call('listed = ', []),
          `assert listed[0].id == UUID(${idName})`,
        ),
      ];
    case 'create':
      return [
        make(
          `test_create_${one}`,
          `${text} with a valid ${entity.name}`,
          [link('with_request', ['"POST"', listPath]), link('with_body', ['match.like(body)', json]), '.will_respond_with(201)', link('with_body', [`${body}(${idName})`, json])],
          call('created = ', [`${entity.name}Input.model_validate(body)`]),
          `assert created.id == UUID(${idName})`,
          sample,
        ),
      ];
    case 'update':
      return [
        make(
          `test_update_${one}`,
          `${text} of an existing ${entity.name}`,
          [given(existsState(entity)), link('with_request', ['"PUT"', itemPath]), link('with_body', ['match.like(body)', json]), '.will_respond_with(200)', link('with_body', [`${body}(${idName})`, json])],
          call('updated = ', [`UUID(${idName})`, `${entity.name}Input.model_validate(body)`]),
          `assert updated.id == UUID(${idName})`,
          sample,
        ),
      ];
    case 'remove':
      return [
        make(
          `test_delete_${one}`,
          `${text} of an existing ${entity.name}`,
          [given(existsState(entity)), link('with_request', ['"DELETE"', itemPath]), '.will_respond_with(204)'],
          call('', [`UUID(${idName})`]),
          '',
        ),
      ];
  }
}

/**
 * The dict item `"name": matcher` of a pact-python matcher of one value of
 * `field` at `indent`: by type, with `value` (a Python expression) as the
 * example; the matcher's call wrapped as ruff format wraps it.
 */
function fieldMatcher(field: Field, indent: string, value: string, item: string): string {
  const lead = `${pyString(field.name)}: `;
  const call = (fn: string, args: readonly string[]): string => pyCall(fn, args, indent, lead, ',');
  const one = (v: string): string => {
    if (field.enum) return `match.regex(${v}, regex=${pyString(enumPattern(field.enum))})`;
    const matchers: Partial<Record<Field['type'], string>> = { uuid: 'uuid', integer: 'int', number: 'number', boolean: 'bool' };
    return `match.${matchers[field.type] ?? 'str'}(${v})`;
  };
  const matcher = field.type === 'json' ? call('match.like', [value]) : field.list ? call('match.each_like', [one(item)]) : field.enum ? call('match.regex', [value, `regex=${pyString(enumPattern(field.enum))}`]) : one(value);
  return `${indent}${lead}${matcher},`;
}

/** The entity as its provider serves it, with matchers: `id` is the function's parameter. */
function entityBody(entity: Entity): string {
  const fields = entity.fields.map((f) => {
    const sample = sampleOf(f);
    return fieldMatcher(f, '        ', pyLiteral(sample), pyLiteral(Array.isArray(sample) ? sample[0] : sample));
  });
  return `{\n        "id": match.uuid(id),\n${fields.join('\n')}\n    }`;
}

function messageView(event: EventDef): PyMessage {
  const data = event.fields
    .filter((f) => !f.optional)
    .map((f) => fieldMatcher(f, '                ', `data[${pyString(f.name)}]`, `data[${pyString(f.name)}][0]`));
  return {
    event: event.name,
    test: `test_${snake(kebab(event.name))}_is_applied`,
    description: messageDescription(event),
    content: `{\n            **envelope_matcher(${pyString(event.name)}, ${pyString(exampleUuid(`${event.name}.id`))}),\n            "data": {\n${data.join('\n')}\n            },\n        }`,
  };
}

function eventTest(event: EventDef, service: string): PyEventTest {
  const { dropped, wrong } = malformedOf(event);
  const malformed =
    dropped === undefined
      ? 'data: object = "not an object"'
      : [
          `data = service.example_of(${pyString(event.name)})`,
          `    del data[${pyString(dropped)}]`,
          ...(wrong ? [`    data[${pyString(wrong.field)}] = ${wrong.text ? '42' : '"not valid"'}`] : []),
        ].join('\n');
  const message = `f${pyString(`${service} publishes ${messageDescription(event)} that does not match system.yaml: {error}`)}`;
  const schemaAssert = `    assert error is None, ${message}`.length <= lineLength ? `assert error is None, ${message}` : `assert error is None, (\n        ${message}\n    )`;
  return { event: event.name, test: snake(kebab(event.name)), description: messageDescription(event), malformed, schemaAssert };
}

function providerView(service: Service, consumers: readonly string[], published: readonly EventDef[]): PyProviderView {
  const states = service.entities.flatMap((entity) => {
    const one = snake(kebab(entity.name));
    const repository = snake(entity.resource);
    const lead = `row = ${entity.name}Input.model_validate(`;
    const sample = Object.fromEntries(entity.fields.map((f) => [f.name, sampleOf(f)]));
    const inline = pyBlock(sample, '        ');
    const create =
      `    ${lead}${inline})`.length <= lineLength && !inline.includes('\n')
        ? `${lead}${inline})`
        : `${lead}\n        ${`        ${inline}`.length <= lineLength && !inline.includes('\n') ? inline : pyDict('', sample, '        ')}\n    )`;
    return [
      { name: existsState(entity), function: `a_${one}_exists`, repository, create },
      { name: missingState(entity), function: `no_${one}_exists`, repository, create: false as const },
    ];
  });
  const modules = [...new Set(service.entities.map((e) => snake(kebab(e.name))))].sort();
  return {
    consumers: pyLiteral([...consumers]),
    title: `test_honours_the_pacts_of_${consumers.map((c) => snake(c)).join('_')}`,
    states,
    inputImports: modules.map((module) => ({ module, names: service.entities.filter((e) => snake(kebab(e.name)) === module).map((e) => `${e.name}Input`).join(', ') })),
    messages: pyCollection('{', published.map((e) => `${pyString(messageDescription(e))}: ${pyString(e.name)}`), '}', '        ', 'messages=', ','),
  };
}

function extensionsView(service: Service, services: ReadonlyMap<string, Service>, clients: readonly PyClientView[], published: readonly EventDef[]): PyExtensionsView {
  const found = exampleCall(service, services, clients);
  let example: PyExtensionsView['example'] = false;
  if (found) {
    const { call, endpoint, client, method, path, status } = found;
    const params = [...endpoint.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const args = [...params.map((p) => (isIdParam(p) ? `UUID(${pyString(exampleUuid(`${call.callee}.${p}`))})` : pyString(exampleUuid(`${call.callee}.${p}`)))), ...(method.hasBody ? ['{}'] : [])];
    example = {
      provider: call.callee,
      className: client.className,
      module: client.attr,
      text: endpoint.text,
      function: pyName(method.name.replace(/^_+/, '')),
      chain: [
        `pact.upon_receiving(${pyString(endpoint.text)})`,
        `.${pyCall('with_request', [pyString(endpoint.method), pyString(path)], '        ', '.')}`,
        ...(method.hasBody ? ['.with_body({}, "application/json")'] : []),
        `.will_respond_with(${status})`,
        '.with_body(match.like({}), "application/json")',
      ],
      call: pyCall(method.name, args, '        ', 'await client.'),
      interactions: pyCollection(
        '{',
        [`${pyString(call.callee)}: ${pyCollection('{', [`${pyString(endpoint.text)}: ${pyName(method.name.replace(/^_+/, ''))}`], '}', '        ', `${pyString(call.callee)}: `, ',')}`],
        '}',
        '    ',
        'interactions=',
        ',',
      ),
      usesUuid: params.some(isIdParam),
    };
  }
  return {
    published: published.map((e) => ({ event: e.name, function: `publish_${snake(kebab(e.name))}` })),
    example,
    any: example !== false || published.length > 0,
  };
}

/** A Python string literal as ruff format writes it: double quotes, unless the text holds some and no single ones. */
function pyQuoted(text: string): string {
  return text.includes('"') && !text.includes("'") ? `'${text.replaceAll('\\', '\\\\')}'` : pyString(text);
}

/** `COUNTS`: a query counting the rows of each table, as a tuple ruff format leaves as it is. */
function countsOf(tables: readonly string[]): string {
  const queries = tables.map((table) => pyQuoted(`SELECT count(*) AS n FROM ${table}`));
  const lead = 'COUNTS: tuple[LiteralString, ...] = ';
  return `${lead}${queries.length === 1 ? `(${queries[0]},)` : pyCollection('(', queries, ')', '', lead)}`;
}

/** `lead` and a dict as ruff format writes it at `indent`: on one line when it fits, else one item a line with a trailing comma. */
function pyDict(lead: string, value: Record<string, unknown>, indent: string): string {
  const inline = pyBlock(value, indent);
  if (!inline.includes('\n') && `${indent}${lead}${inline}`.length <= lineLength) return `${lead}${inline}`;
  const inner = `${indent}    `;
  return `${lead}{\n${Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyBlock(v, inner, `${JSON.stringify(k)}: `)},`).join('\n')}\n${indent}}`;
}
