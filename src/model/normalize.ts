import type { Locator } from '../parse/parse.js';
import type { CallDoc, FieldDoc, FieldsDoc, ServiceDoc, SystemDoc } from '../validate/document.js';
import { resourceOf } from '../shared/naming.js';
import type {
  Call,
  CircuitBreaker,
  Endpoint,
  Entity,
  EventDef,
  Field,
  FieldType,
  Gateway,
  HttpMethod,
  JsonValue,
  RateLimit,
  RuleSetting,
  Service,
  SystemModel,
  Team,
} from './types.js';

/** Defaults that apply when neither the service nor `defaults:` says otherwise. */
export const builtinDefaults = {
  runtime: 'node',
  engine: 'postgres',
  timeoutMs: 2000,
  retries: 2,
  circuitBreaker: { failures: 5, resetMs: 10_000 },
  gatewayPort: 8080,
  firstServicePort: 3001,
} as const;

/**
 * Expands short forms and applies defaults, giving the one typed model all
 * later stages read. Pure: positions come from the locator, nothing is read.
 * Expects a document that passed schema and reference validation.
 */
export function normalize(doc: SystemDoc, file: string, locate: Locator): SystemModel {
  const defaults = doc.defaults ?? {};
  const breakerDefault = breaker(defaults.circuitBreaker, builtinDefaults.circuitBreaker);
  const teamOf = new Map<string, string>();
  const teams: Team[] = Object.entries(doc.teams ?? {}).map(([name, services]) => {
    for (const service of services) if (!teamOf.has(service)) teamOf.set(service, name);
    return { name, services: [...services], loc: locate.key(['teams', name]) };
  });

  const gatewayPort = doc.gateway ? (doc.gateway.port ?? builtinDefaults.gatewayPort) : undefined;
  const serviceEntries = Object.entries(doc.services);
  const ports = assignPorts(serviceEntries, gatewayPort);

  const services: Service[] = serviceEntries.map(([name, raw]): Service => {
    const service: ServiceDoc = raw ?? {};
    // Positions inside the service, relative to it.
    const at = locate.within(['services', name]);
    const serviceLoc = at.key([]);
    const entities = Object.entries(service.entities ?? {}).map(([entityName, doc]): Entity => {
      const entityAt = at.within(['entities', entityName]);
      const entity: Writable<Entity> = { name: entityName, resource: resourceOf(entityName), fields: normalizeFields(doc, entityAt, 'renamedFrom'), loc: entityAt.key([]) };
      if (typeof doc.renamedFrom === 'string') entity.renamedFrom = doc.renamedFrom;
      return entity;
    });
    const declared = service.api ? service.api.map((text, i) => parseEndpoint(text, at.value(['api', i]))) : none;
    // Most services declare nothing beyond their CRUD: its keys are only worth building when they do.
    const generated = declared.length > 0 ? new Set(entities.flatMap((entity) => crudKeys(entity))) : undefined;
    const api = generated ? declared.filter((endpoint) => !generated.has(endpointKey(endpoint))) : declared;
    const overrides = generated ? declared.filter((endpoint) => generated.has(endpointKey(endpoint))) : none;
    const calls = Object.entries(service.calls ?? {}).map(([callee, call]): Call => {
      // The short form is the list of endpoints alone.
      const long: CallDoc | undefined = Array.isArray(call) ? undefined : call;
      const callAt = at.within(['calls', callee]);
      const endpointsAt = long ? callAt.within(['endpoints']) : callAt;
      return {
        caller: name,
        callee,
        endpoints: (long ? long.endpoints : (call as string[])).map((text, i) => parseEndpoint(text, endpointsAt.value([i]))),
        timeoutMs: long?.timeoutMs ?? defaults.timeoutMs ?? builtinDefaults.timeoutMs,
        retries: long?.retries ?? defaults.retries ?? builtinDefaults.retries,
        circuitBreaker: breaker(long?.circuitBreaker, breakerDefault),
        loc: callAt.key([]),
      };
    });
    const database = normalizeDatabase(service.database, defaults.database ?? builtinDefaults.engine, at);
    const team = teamOf.get(name);
    const normalized: Writable<Omit<Service, 'crud'>> = {
      name,
      runtime: service.runtime ?? defaults.runtime ?? builtinDefaults.runtime,
      runtimeLoc:
        service.runtime !== undefined ? at.value(['runtime']) : defaults.runtime !== undefined ? locate.value(['defaults', 'runtime']) : serviceLoc,
      port: ports.get(name)!,
      entities,
      api,
      overrides,
      calls,
      publishes: service.publishes ? service.publishes.map((event, i) => ({ event, loc: at.value(['publishes', i]) })) : none,
      subscribes: service.subscribes ? service.subscribes.map((event, i) => ({ event, loc: at.value(['subscribes', i]) })) : none,
      lintIgnores: service.lint?.ignore ? service.lint.ignore.map(({ rule, reason }) => ({ rule, reason })) : none,
      loc: serviceLoc,
    };
    // Built on first read: lint of a large system needs the CRUD of few services, and only as keys (see crudKeys).
    Object.defineProperty(normalized, 'crud', crudProperty);
    // Optional parts are set only when present (a spread of `cond && {...}` per service costs more than the rest).
    if (service.description !== undefined) normalized.description = service.description;
    if (database) normalized.database = database;
    if (team !== undefined) normalized.team = team;
    return normalized as Service;
  });

  const publishers = new Map<string, string[]>();
  const subscribers = new Map<string, string[]>();
  const add = (index: Map<string, string[]>, event: string, service: string): void => {
    const list = index.get(event);
    if (list) list.push(service);
    else index.set(event, [service]);
  };
  for (const service of services) {
    for (const ref of service.publishes) add(publishers, ref.event, service.name);
    for (const ref of service.subscribes) add(subscribers, ref.event, service.name);
  }
  const events: EventDef[] = Object.entries(doc.events ?? {}).map(([name, fields]) => ({
    name,
    fields: normalizeFields(fields, locate.within(['events', name])),
    publishers: publishers.get(name) ?? [],
    subscribers: subscribers.get(name) ?? [],
    loc: locate.key(['events', name]),
  }));

  const lintRules: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(doc.lint?.rules ?? {})) {
    const [severity, options] = Array.isArray(setting) ? setting : [setting];
    lintRules[id] = { severity, ...(options !== undefined && { options }), loc: locate.key(['lint', 'rules', id]) };
  }

  return {
    file,
    name: doc.name,
    ...(doc.description !== undefined && { description: doc.description }),
    broker: typeof doc.broker === 'object' ? doc.broker.kind : (doc.broker ?? (events.length > 0 ? 'rabbitmq' : 'none')),
    ...(doc.gateway && gatewayPort !== undefined && { gateway: normalizeGateway(doc.gateway, gatewayPort, services, locate) }),
    teams,
    services,
    events,
    lintRules,
  };
}

/** Explicit ports are kept; the others get the next free port from 3001 on, in file order, so adding a service at the end moves no one. */
function assignPorts(services: readonly [string, ServiceDoc | null][], gatewayPort: number | undefined): Map<string, number> {
  const taken = new Set<number>();
  if (gatewayPort !== undefined) taken.add(gatewayPort);
  for (const [, service] of services) if (service?.port !== undefined) taken.add(service.port);
  const ports = new Map<string, number>();
  let next: number = builtinDefaults.firstServicePort;
  for (const [name, service] of services) {
    if (service?.port !== undefined) {
      ports.set(name, service.port);
      continue;
    }
    while (taken.has(next)) next++;
    taken.add(next);
    ports.set(name, next);
  }
  return ports;
}

function normalizeGateway(raw: NonNullable<SystemDoc['gateway']>, port: number, services: readonly Service[], locate: Locator): Gateway {
  const routes = raw.routes
    ? raw.routes.map((route, i) => ({ path: route.path, service: route.service, stripPrefix: false, loc: locate.key(['gateway', 'routes', i]) }))
    : services
        .filter((s) => s.api.length > 0 || s.entities.length > 0)
        .map((s) => ({ path: `/${s.name}`, service: s.name, stripPrefix: true, loc: locate.key(['gateway']) }));
  const rateLimit = raw.rateLimit !== undefined ? parseRateLimit(raw.rateLimit) : undefined;
  return {
    kind: raw.kind ?? 'node',
    port,
    auth: raw.auth ?? 'jwt',
    ...(rateLimit && { rateLimit }),
    routes,
    loc: locate.key(['gateway']),
  };
}

function parseRateLimit(text: string): RateLimit {
  const [count, unit] = text.split('/') as [string, string];
  const per = unit.startsWith('s') ? 'second' : unit.startsWith('m') ? 'minute' : 'hour';
  const windowMs = per === 'second' ? 1000 : per === 'minute' ? 60_000 : 3_600_000;
  return { count: Number(count), per, windowMs };
}

function normalizeDatabase(raw: ServiceDoc['database'], engine: Database['engine'], at: Locator): Database | undefined {
  if (raw === undefined || raw === 'none') return undefined;
  const loc = at.value(['database']);
  if (typeof raw === 'string') return { name: raw, engine, loc };
  return { name: raw.name, engine: raw.engine ?? engine, loc };
}
type Database = NonNullable<Service['database']>;

/** The one empty list of every part a service leaves out: the model is read-only, and a large system has tens of thousands of them. */
const none: readonly never[] = Object.freeze([]);

/** A model object while it is put together: optional parts are set after the required ones. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Fields of an entity or event; `locate` is the entity's or event's own; `skip` is a key that is not a field. */
function normalizeFields(fields: FieldsDoc, locate: Locator, skip?: string): Field[] {
  const out: Field[] = [];
  for (const [name, raw] of Object.entries(fields)) {
    if (name === skip) continue;
    // The short form (`title: string`) is only a type: nothing else to read (most fields of a large system).
    const spec: FieldDoc | undefined = typeof raw === 'string' ? undefined : raw;
    const typeText = typeof raw === 'string' ? raw : (raw.type ?? 'string');
    const optional = typeText.endsWith('?') || spec?.optional === true;
    const bare = typeText.endsWith('?') ? typeText.slice(0, -1) : typeText;
    const list = bare.endsWith('[]');
    const field: Writable<Field> = { name, type: (list ? bare.slice(0, -2) : bare) as FieldType, list, optional, loc: locate.key([name]) };
    out.push(field);
    if (!spec) continue;
    if (spec.enum) field.enum = [...spec.enum];
    if (spec.default !== undefined) field.default = spec.default as JsonValue;
    if (spec.renamedFrom !== undefined) field.renamedFrom = spec.renamedFrom;
    if (spec.description !== undefined) field.description = spec.description;
  }
  return out;
}

function breaker(raw: boolean | { failures?: number; resetMs?: number } | undefined, fallback: CircuitBreaker | false): CircuitBreaker | false {
  if (raw === undefined) return fallback;
  if (raw === false) return false;
  const base = fallback === false ? builtinDefaults.circuitBreaker : fallback;
  if (raw === true) return base;
  return { failures: raw.failures ?? base.failures, resetMs: raw.resetMs ?? base.resetMs };
}

const methods: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Parses `GET /orders/{id}`; the schema has already checked the form (one space, a known method), so `text` is kept as written. */
export function parseEndpoint(text: string, loc: Endpoint['loc']): Endpoint {
  const space = text.indexOf(' ');
  // The shared method string when it is one (a loop: a closure per endpoint adds up in a large system).
  let method: HttpMethod | undefined;
  for (const m of methods) {
    if (m.length === space && text.startsWith(m)) {
      method = m;
      break;
    }
  }
  return { method: method ?? (text.slice(0, space) as HttpMethod), path: text.slice(space + 1), text, loc };
}

/** Each service's CRUD endpoints once built (see {@link crudProperty}). */
const builtCrud = new WeakMap<object, Endpoint[]>();

/**
 * `service.crud`: built from the service's entities on first read. One getter
 * shared by every service, so that all services share one hidden class: a
 * getter of its own per service (a closure) left V8 no way to share the shape,
 * and every service of a large system became a slow dictionary-mode object.
 */
const crudProperty: PropertyDescriptor = {
  get(this: Service): Endpoint[] {
    let crud = builtCrud.get(this);
    if (!crud) builtCrud.set(this, (crud = this.entities.flatMap((entity) => crudEndpoints(entity))));
    return crud;
  },
  enumerable: true,
};

function crudEndpoints(entity: Entity): Endpoint[] {
  const collection = `/${entity.resource}`;
  const item = `${collection}/{id}`;
  const make = (method: HttpMethod, path: string): Endpoint => ({ method, path, text: `${method} ${path}`, loc: entity.loc });
  return [make('POST', collection), make('GET', collection), make('GET', item), make('PUT', item), make('DELETE', item)];
}

/** The {@link endpointKey}s of an entity's generated CRUD, without building its endpoints. */
export function crudKeys(entity: Pick<Entity, 'resource'>): string[] {
  const collection = `/${entity.resource}`;
  const item = `${collection}/{}`;
  return [`POST ${collection}`, `GET ${collection}`, `GET ${item}`, `PUT ${item}`, `DELETE ${item}`];
}

/**
 * Whether the entity's generated CRUD serves the endpoint (as {@link crudKeys}
 * would say, parameter names aside), without building a string: lint asks
 * this for every call of a large system.
 */
export function crudServes(entity: Pick<Entity, 'resource'>, endpoint: Pick<Endpoint, 'method' | 'path'>): boolean {
  const { method, path } = endpoint;
  const { resource } = entity;
  const end = resource.length + 1;
  if (path.charCodeAt(0) !== slash || !path.startsWith(resource, 1)) return false;
  if (path.length === end) return method === 'GET' || method === 'POST';
  // The item: one parameter after the collection, `{` to the closing `}` at the end (the schema allows no `}` inside).
  const item = path.charCodeAt(end) === slash && path.charCodeAt(end + 1) === openBrace && path.indexOf('}') === path.length - 1;
  return item && (method === 'GET' || method === 'PUT' || method === 'DELETE');
}
const slash = 47;
const openBrace = 123;

/** Identity of an endpoint regardless of path parameter names: `GET /orders/{}`. */
export function endpointKey(endpoint: Pick<Endpoint, 'method' | 'path'>): string {
  const { path } = endpoint;
  return `${endpoint.method} ${path.includes('{') ? path.replace(/\{[^}]*\}/g, '{}') : path}`;
}
