import { resourceOf } from '../shared/naming.js';

/** What `taskflow-gen init` asks; turned into system.yaml by {@link systemYaml}. */
export const brokers = ['rabbitmq', 'nats', 'kafka', 'none'] as const;
export const gateways = ['node', 'nginx', 'none'] as const;
export const auths = ['jwt', 'none'] as const;
export const runtimes = ['node', 'python'] as const;
export type Broker = (typeof brokers)[number];
export type GatewayKind = (typeof gateways)[number];
export type Auth = (typeof auths)[number];
export type Runtime = (typeof runtimes)[number];

export interface Field {
  readonly name: string;
  readonly type: string;
}
export interface EntityAnswer {
  readonly name: string;
  readonly fields: readonly Field[];
}
export interface CallAnswer {
  readonly callee: string;
  readonly endpoint: string;
}
export interface ServiceAnswer {
  readonly name: string;
  readonly runtime: Runtime;
  /** Database name, or undefined for `database: none`. */
  readonly database?: string | undefined;
  readonly entities: readonly EntityAnswer[];
  readonly calls: readonly CallAnswer[];
  readonly publishes: readonly string[];
  readonly subscribes: readonly string[];
}
export interface InitAnswers {
  readonly name: string;
  readonly description?: string | undefined;
  readonly broker: Broker;
  readonly gateway: GatewayKind;
  /** Ignored when there is no gateway; must be none for nginx. */
  readonly auth: Auth;
  readonly services: readonly ServiceAnswer[];
  readonly teams: Readonly<Record<string, readonly string[]>>;
}

/** A prompt validator's answer: true, or the reason the value is refused. */
export type Check = true | string;

const dnsLabel = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const databaseName = /^[a-z][a-z0-9_]{0,48}$/;
const typeName = /^[A-Z][A-Za-z0-9]{0,63}$/;
const fieldName = /^[a-z][A-Za-z0-9]{0,63}$/;
const fieldType = /^(string|text|integer|number|boolean|date|datetime|uuid|json)(\[\])?\??$/;
const endpoint = /^(GET|POST|PUT|PATCH|DELETE) \/(([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})(\/([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))*)?$/;

export function checkSystemName(name: string): Check {
  if (!dnsLabel.test(name)) return `'${name}' is not a lower-case DNS label: a letter, then letters, digits or '-', not ending in '-', at most 63 characters (e.g. shop)`;
  return true;
}

/** Host name of the database server generated for a database. */
export function databaseHost(database: string): string {
  return `${database.replaceAll('_', '-')}-db`;
}

export function checkServiceName(name: string, earlier: readonly ServiceAnswer[]): Check {
  if (!dnsLabel.test(name)) return `'${name}' is not a lower-case DNS label: a letter, then letters, digits or '-', not ending in '-', at most 63 characters (e.g. order)`;
  if (name === 'broker' || name === 'gateway') return `'${name}' is taken by the generated ${name === 'broker' ? 'message broker' : 'gateway'}; choose another name`;
  if (name.endsWith('-db')) return `'${name}' ends in -db, which names the generated database servers (<database>-db); choose another name`;
  if (earlier.some((s) => s.name === name)) return `there is already a service named '${name}'`;
  return true;
}

/** `none`, or a database name no earlier service owns. */
export function checkDatabase(database: string, service: string, earlier: readonly ServiceAnswer[]): Check {
  if (database === 'none') return true;
  if (!databaseName.test(database)) return `'${database}' is not a database name: a lower-case letter, then lower-case letters, digits or '_', at most 49 characters (or none)`;
  const owner = earlier.find((s) => s.database === database);
  if (owner) return `database '${database}' is owned by service '${owner.name}'; each service owns its own database (a shared database is a lint error)`;
  const host = databaseHost(database);
  if (host === service || earlier.some((s) => s.name === host)) return `the database server of '${database}' would be named '${host}', which is a service name; choose another database name`;
  return true;
}

/** `Order userId:uuid quantity:integer; Item name:string` -> entities. Blank or `none`: no entities. */
export function parseEntities(text: string): { ok: true; entities: EntityAnswer[] } | { ok: false; reason: string } {
  const entities: EntityAnswer[] = [];
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return { ok: true, entities };
  const resources = new Map<string, string>();
  for (const part of trimmed.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const [name = '', ...tokens] = part.split(/\s+/);
    if (!typeName.test(name)) return { ok: false, reason: `entity name '${name}' must be PascalCase (e.g. Order); write entities as \`Name field:type ...\`, separated by ';'` };
    if (entities.some((e) => e.name === name)) return { ok: false, reason: `entity '${name}' is listed twice` };
    const resource = resourceOf(name);
    const clash = resources.get(resource);
    if (clash) return { ok: false, reason: `entities '${clash}' and '${name}' would both be served at /${resource}` };
    resources.set(resource, name);
    if (tokens.length === 0) return { ok: false, reason: `entity '${name}' has no fields; write them as field:type, e.g. ${name} name:string` };
    const fields: Field[] = [];
    for (const token of tokens) {
      const [field = '', type = '', ...rest] = token.split(':');
      if (rest.length > 0 || !fieldName.test(field)) return { ok: false, reason: `'${token}' in entity '${name}': the field name must be camelCase and written as field:type (e.g. userId:uuid)` };
      if (field === 'id') return { ok: false, reason: `field 'id' of entity '${name}' is reserved: every entity gets a generated UUID id` };
      if (!fieldType.test(type)) return { ok: false, reason: `'${token}' in entity '${name}': the type must be string, text, integer, number, boolean, date, datetime, uuid or json, optionally followed by [] and/or ?` };
      if (fields.some((f) => f.name === field)) return { ok: false, reason: `field '${field}' of entity '${name}' is listed twice` };
      fields.push({ name: field, type });
    }
    entities.push({ name, fields });
  }
  return { ok: true, entities };
}

/** The CRUD endpoints generated for a service's entities. */
export function crudEndpoints(service: Pick<ServiceAnswer, 'entities'>): string[] {
  return service.entities.flatMap((e) => {
    const collection = `/${resourceOf(e.name)}`;
    return [`POST ${collection}`, `GET ${collection}`, `GET ${collection}/{id}`, `PUT ${collection}/{id}`, `DELETE ${collection}/{id}`];
  });
}

const endpointKey = (text: string): string => text.replace(/\{[^}]*\}/g, '{}');

/** A service that can be called: its CRUD endpoints come from its entities, plus any declared under `api`. */
export type Callee = Pick<ServiceAnswer, 'name' | 'entities'> & { readonly api?: readonly string[] };

/** `user:GET /users/{id}, product:GET /products/{id}` -> calls to services declared before `caller`. */
export function parseCalls(text: string, caller: string, earlier: readonly Callee[]): { ok: true; calls: CallAnswer[] } | { ok: false; reason: string } {
  const calls: CallAnswer[] = [];
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return { ok: true, calls };
  for (const part of trimmed.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const colon = part.indexOf(':');
    if (colon < 0) return { ok: false, reason: `'${part}' must be written as callee:METHOD /path (e.g. user:GET /users/{id})` };
    const callee = part.slice(0, colon).trim();
    const text = part.slice(colon + 1).trim().replace(/\s+/, ' ');
    if (callee === caller) return { ok: false, reason: `a service does not call itself over HTTP` };
    const target = earlier.find((s) => s.name === callee);
    if (!target) {
      const names = earlier.map((s) => s.name);
      return { ok: false, reason: `'${callee}' is not a service declared before '${caller}'${names.length ? ` (declared: ${names.join(', ')})` : ' (declare the callee first)'}` };
    }
    if (!endpoint.test(text)) return { ok: false, reason: `'${text}' must be METHOD /path with METHOD one of GET, POST, PUT, PATCH, DELETE and path parameters in braces (e.g. GET /users/{id})` };
    const served = [...crudEndpoints(target), ...(target.api ?? [])];
    if (!served.some((e) => endpointKey(e) === endpointKey(text))) {
      return { ok: false, reason: served.length ? `service '${callee}' does not serve ${text}; it serves ${served.join(', ')}` : `service '${callee}' has no entities, so it serves no endpoint to call` };
    }
    if (calls.some((c) => c.callee === callee && endpointKey(c.endpoint) === endpointKey(text))) return { ok: false, reason: `${callee}:${text} is listed twice` };
    calls.push({ callee, endpoint: text });
  }
  return { ok: true, calls };
}

/** `OrderPlaced, OrderCancelled` -> event names (PascalCase). */
export function parseEventNames(text: string): { ok: true; events: string[] } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return { ok: true, events: [] };
  const events = trimmed.split(/[\s,]+/).filter((e) => e !== '');
  for (const event of events) if (!typeName.test(event)) return { ok: false, reason: `event name '${event}' must be PascalCase (e.g. OrderPlaced)` };
  if (new Set(events).size !== events.length) return { ok: false, reason: 'an event is listed twice' };
  return { ok: true, events };
}

/** Published events must be new; subscribed ones must be published by an earlier service. */
export function checkPublishes(events: readonly string[], earlier: readonly ServiceAnswer[]): Check {
  for (const event of events) {
    const owner = earlier.find((s) => s.publishes.includes(event));
    if (owner) return `event '${event}' is already published by service '${owner.name}'; give each event one publisher`;
  }
  return true;
}

export function checkSubscribes(events: readonly string[], publishes: readonly string[], earlier: readonly ServiceAnswer[]): Check {
  const known = earlier.flatMap((s) => s.publishes);
  for (const event of events) {
    if (publishes.includes(event)) return `a service does not subscribe to its own event '${event}'`;
    if (!known.includes(event)) return `no earlier service publishes '${event}'${known.length ? ` (published: ${known.join(', ')})` : ''}`;
  }
  return true;
}

/** `checkout: order payment; accounts: user` -> teams. Blank or `none`: no teams. */
export function parseTeams(text: string, services: readonly string[]): { ok: true; teams: Record<string, string[]> } | { ok: false; reason: string } {
  const teams: Record<string, string[]> = {};
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return { ok: true, teams };
  const owner = new Map<string, string>();
  for (const part of trimmed.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const colon = part.indexOf(':');
    if (colon < 0) return { ok: false, reason: `'${part}' must be written as team: service service ... (teams separated by ';')` };
    const team = part.slice(0, colon).trim();
    if (!dnsLabel.test(team)) return { ok: false, reason: `team name '${team}' is not a lower-case DNS label (e.g. checkout)` };
    if (team in teams) return { ok: false, reason: `team '${team}' is listed twice` };
    const members = part.slice(colon + 1).split(/[\s,]+/).filter((m) => m !== '');
    if (members.length === 0) return { ok: false, reason: `team '${team}' owns no service` };
    for (const member of members) {
      if (!services.includes(member)) return { ok: false, reason: `team '${team}' lists unknown service '${member}' (services: ${services.join(', ')})` };
      const other = owner.get(member);
      if (other) return { ok: false, reason: `service '${member}' is owned by both team '${other}' and team '${team}'` };
      owner.set(member, team);
    }
    teams[team] = members;
  }
  return { ok: true, teams };
}

export function checkAuth(gateway: GatewayKind, auth: Auth): Check {
  if (gateway === 'nginx' && auth === 'jwt') return 'an nginx gateway cannot verify JWTs (open-source nginx has no JWT module): use --gateway node for JWT auth, or --auth none';
  return true;
}

/** A system name made from a folder name, or my-system. */
export function defaultSystemName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^-a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return checkSystemName(name) === true ? name : 'my-system';
}

/** The services `--yes` writes: a user service and a notification service that reads users and hears about new ones. */
export function defaultServices(broker: Broker): ServiceAnswer[] {
  const events = broker !== 'none';
  return [
    {
      name: 'user',
      runtime: 'node',
      database: 'users',
      entities: [{ name: 'User', fields: [{ name: 'email', type: 'string' }, { name: 'displayName', type: 'string' }] }],
      calls: [],
      publishes: events ? ['UserRegistered'] : [],
      subscribes: [],
    },
    {
      name: 'notification',
      runtime: 'node',
      database: 'notifications',
      entities: [{ name: 'Notification', fields: [{ name: 'userId', type: 'uuid' }, { name: 'message', type: 'text' }, { name: 'sentAt', type: 'datetime?' }] }],
      calls: [{ callee: 'user', endpoint: 'GET /users/{id}' }],
      publishes: [],
      subscribes: events ? ['UserRegistered'] : [],
    },
  ];
}

/** Teams offered by default: one team named after the system owning everything, when that is at most 3 services. */
export function defaultTeams(name: string, services: readonly string[]): Record<string, string[]> {
  return services.length > 0 && services.length <= 3 ? { [name]: [...services] } : {};
}

export interface InitDefaults {
  readonly name: string;
  readonly broker?: Broker | undefined;
  readonly gateway?: GatewayKind | undefined;
  readonly auth?: Auth | undefined;
  readonly description?: string | undefined;
}

/** Every default accepted (`--yes`), with the answers given by flags. */
export function defaultAnswers(given: InitDefaults): InitAnswers {
  const broker = given.broker ?? 'rabbitmq';
  const gateway = given.gateway ?? 'node';
  const auth = given.auth ?? (gateway === 'node' ? 'jwt' : 'none');
  const services = defaultServices(broker);
  return {
    name: given.name,
    description: given.description,
    broker,
    gateway,
    auth,
    services,
    teams: defaultTeams(given.name, services.map((s) => s.name)),
  };
}

/** Text forms used as prompt defaults and in the summary. */
export const format = {
  entities: (entities: readonly EntityAnswer[]): string => entities.map((e) => [e.name, ...e.fields.map((f) => `${f.name}:${f.type}`)].join(' ')).join('; '),
  calls: (calls: readonly CallAnswer[]): string => calls.map((c) => `${c.callee}:${c.endpoint}`).join(', '),
  events: (events: readonly string[]): string => events.join(', '),
  teams: (teams: Readonly<Record<string, readonly string[]>>): string =>
    Object.entries(teams)
      .map(([team, members]) => `${team}: ${members.join(' ')}`)
      .join('; '),
};
