import { diffService, serviceSnapshot, typeText, type EntityChange } from '../../model/evolution/index.js';
import { endpointKey } from '../../model/normalize.js';
import type { Endpoint, EventDef, Field, Loc, Service, SystemModel } from '../../model/types.js';
import { defineRule, type FindingEdge, type Report } from '../rule.js';

/** A service of the older system that consumed something, with what it called (empty for an event). */
interface Consumer {
  readonly service: string;
  readonly endpoints: readonly string[];
}

/**
 * Compares system.yaml with an older version (`lint --against`) and reports
 * what breaks a consumer declared in the older one that is still in the new
 * one, plus what `generate` would refuse for the tables; additive changes are
 * infos. Consumers are taken from the older system: they are what runs today.
 */
export default defineRule({
  meta: {
    id: 'breaking-change',
    description: 'A change since an older system.yaml (lint --against) that breaks a declared consumer or that generate would refuse.',
    rationale:
      'Services deploy one at a time, so for a while every consumer still runs the version that worked with the old contract: a removed endpoint, a removed or retyped response field, a newly required request or event field, or a removed event or service breaks it in production until it changes too. Change in steps instead (add the new shape, move the consumers, then remove the old one), and keep table changes that lose data for a deliberate run with --allow-data-loss. Additive changes are reported as infos, so a reviewer sees the whole change.',
    defaultSeverity: 'error',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      serviceRemoved: "service '{{service}}' is removed; breaks {{consumers}}",
      endpointRemoved: "'{{service}}' no longer serves {{endpoint}}; breaks {{consumers}}",
      responseField: '{{change}}; breaks {{consumers}}',
      requestField: '{{change}}; breaks {{consumers}}',
      table: '{{change}}; generate refuses this ({{fix}})',
      eventRemoved: "event {{event}} is removed; breaks {{consumers}}",
      eventField: '{{change}}; breaks {{consumers}}',
      serviceAdded: "service '{{service}}' is added",
      endpointAdded: "'{{service}}' serves {{endpoint}}, a new endpoint",
      entityAdded: "entity {{entity}} is added to '{{service}}', served at /{{resource}}",
      fieldAdded: '{{change}}',
      eventAdded: 'event {{event}} is added',
    },
  },
  check({ model, against, report }) {
    if (!against) return;
    const now = new Map(model.services.map((s) => [s.name, s]));
    const then = new Map(against.services.map((s) => [s.name, s]));
    const calls = callsOf(against, now);
    for (const old of against.services) {
      if (now.has(old.name)) continue;
      const consumers = [...(calls.get(old.name)?.values() ?? [])];
      if (consumers.length === 0) continue;
      const first = now.get(consumers[0]!.service)!;
      report({ messageId: 'serviceRemoved', data: { service: old.name, consumers: named(consumers) }, ...about(old.name, consumers, first.name, first.loc) });
    }
    for (const service of model.services) {
      const old = then.get(service.name);
      if (!old) {
        report({ messageId: 'serviceAdded', data: { service: service.name }, services: [service.name], owner: service.name, loc: service.loc, info: true });
        continue;
      }
      const served = calls.get(service.name) ?? new Map<string, Consumer>();
      compareEndpoints(old, service, served, report);
      compareEntities(old, service, served, report);
    }
    compareEvents(against, model, now, report);
  },
});

/** Per callee: its callers in the older system that are still in the new one, each with the endpoints it calls. */
function callsOf(system: SystemModel, alive: ReadonlyMap<string, Service>): Map<string, Map<string, Consumer>> {
  const byCallee = new Map<string, Map<string, Consumer>>();
  for (const caller of system.services) {
    if (!alive.has(caller.name)) continue;
    for (const call of caller.calls) {
      let callers = byCallee.get(call.callee);
      if (!callers) byCallee.set(call.callee, (callers = new Map()));
      const known = callers.get(caller.name)?.endpoints ?? [];
      callers.set(caller.name, { service: caller.name, endpoints: [...known, ...call.endpoints.map((e) => e.text)] });
    }
  }
  return byCallee;
}

type Emit = (report: Report) => void;

function compareEndpoints(old: Service, service: Service, served: ReadonlyMap<string, Consumer>, report: Emit): void {
  const keysNow = new Set(endpointsOf(service).map((e) => endpointKey(e)));
  const keysThen = new Set(endpointsOf(old).map((e) => endpointKey(e)));
  for (const endpoint of endpointsOf(old)) {
    const key = endpointKey(endpoint);
    if (keysNow.has(key)) continue;
    const consumers = calling(served, (text) => keyOf(text) === key);
    if (consumers.length === 0) continue;
    report({ messageId: 'endpointRemoved', data: { service: service.name, endpoint: endpoint.text, consumers: named(consumers) }, ...about(service.name, consumers, service.name, service.loc) });
  }
  for (const endpoint of [...service.api, ...service.overrides]) {
    if (keysThen.has(endpointKey(endpoint))) continue;
    report({ messageId: 'endpointAdded', data: { service: service.name, endpoint: endpoint.text }, services: [service.name], owner: service.name, loc: endpoint.loc, info: true });
  }
}

/**
 * Entity changes come from the same classified diff `generate` refuses with:
 * the table's refusals as they are, and what each change does to callers
 * reading the entity (GET, POST, PUT answer with it) or writing it (POST, PUT).
 */
function compareEntities(old: Service, service: Service, served: ReadonlyMap<string, Consumer>, report: Emit): void {
  const changes = diffService(serviceSnapshot(old), service);
  const formerName = new Map(changes.filter((c) => c.kind === 'entity-renamed').map((c) => [c.entity, c.from!]));
  const resourceThen = new Map(old.entities.map((e) => [e.name, e.resource]));
  const owner = { owner: service.name };
  for (const change of changes) {
    if (change.gate !== 'safe') {
      report({ messageId: 'table', data: { change: change.message, fix: change.fix ?? '' }, services: [service.name], ...owner, loc: change.loc });
    }
    const resource = resourceThen.get(formerName.get(change.entity) ?? change.entity);
    const reading = (methods: readonly string[]) =>
      resource === undefined ? [] : calling(served, (text) => methods.includes(text.split(' ')[0]!) && isOf(keyOf(text), resource));
    const impact = consumerImpact(change);
    if (impact === 'reader' || impact === 'writer') {
      const consumers = reading(impact === 'reader' ? ['GET', 'POST', 'PUT'] : ['POST', 'PUT']);
      if (consumers.length === 0) continue;
      // Consumers read the field by the name they know: the old one when it was renamed.
      const field = change.kind === 'field-renamed' ? change.from! : change.field!;
      const action =
        impact === 'reader' ? `reads \`${field}\`` : change.kind === 'enum-values-removed' ? 'may send those values' : `sends ${change.entity} bodies without it`;
      report({
        messageId: impact === 'reader' ? 'responseField' : 'requestField',
        data: { change: describe(change), consumers: named(consumers, action) },
        ...about(service.name, consumers, service.name, change.loc),
      });
    } else if (impact === 'additive') {
      if (change.kind === 'entity-added') {
        const resource = service.entities.find((e) => e.name === change.entity)!.resource;
        report({ messageId: 'entityAdded', data: { entity: change.entity, service: service.name, resource }, services: [service.name], ...owner, loc: change.loc, info: true });
      } else {
        report({ messageId: 'fieldAdded', data: { change: change.message }, services: [service.name], ...owner, loc: change.loc, info: true });
      }
    }
  }
}

/** Who an entity change breaks: callers reading the entity, callers writing it, nobody, or nobody and worth an info. */
function consumerImpact(change: EntityChange): 'reader' | 'writer' | 'additive' | undefined {
  switch (change.kind) {
    case 'field-removed':
    case 'field-renamed':
    case 'type-changed':
      return 'reader';
    case 'made-required':
      return change.after?.default === undefined ? 'writer' : undefined;
    case 'field-added':
      return change.after?.optional || change.after?.default !== undefined ? 'additive' : 'writer';
    case 'enum-values-removed':
      return 'writer';
    case 'entity-added':
      return 'additive';
    default:
      return undefined;
  }
}

/** A change as its consumers see it (the API, not the table). */
function describe(change: EntityChange): string {
  const label = `${change.entity}.${change.field}`;
  switch (change.kind) {
    case 'field-removed':
      return `field ${label} is removed`;
    case 'field-renamed':
      return `field ${change.entity}.${change.from} is renamed to ${change.field}`;
    case 'type-changed':
      return `field ${label} changes from ${typeText(change.before!)} to ${typeText(change.after!)}`;
    case 'enum-values-removed':
      return `field ${label} no longer accepts ${change.removedValues?.map((v) => `'${v}'`).join(', ') ?? 'every value it accepted'}`;
    default:
      return `field ${label} becomes required in requests`;
  }
}

function compareEvents(against: SystemModel, model: SystemModel, alive: ReadonlyMap<string, Service>, report: Emit): void {
  const eventsNow = new Map(model.events.map((e) => [e.name, e]));
  const eventsThen = new Set(against.events.map((e) => e.name));
  for (const old of against.events) {
    const consumers: Consumer[] = old.subscribers.filter((s) => alive.has(s)).map((service) => ({ service, endpoints: [] }));
    const event = eventsNow.get(old.name);
    if (!event) {
      if (consumers.length === 0) continue;
      const first = alive.get(consumers[0]!.service)!;
      report({
        messageId: 'eventRemoved',
        data: { event: old.name, consumers: named(consumers, `subscribes to ${old.name}`) },
        services: [...new Set([...old.publishers, ...consumers.map((c) => c.service)])],
        owner: first.name,
        loc: first.loc,
      });
      continue;
    }
    const owner = event.publishers[0] ?? consumers[0]?.service;
    for (const { change, loc, field, added } of eventFieldChanges(old, event)) {
      if (change === undefined) {
        report({ messageId: 'fieldAdded', data: { change: `optional field ${event.name}.${field} is added` }, services: [...event.publishers], ...(owner && { owner }), loc, info: true });
      } else if (consumers.length > 0) {
        const edges: FindingEdge[] = event.publishers.flatMap((from) => consumers.map((c) => ({ from, to: c.service, kind: 'async' as const, event: event.name })));
        report({
          messageId: 'eventField',
          data: { change, consumers: named(consumers, added ? `subscribes to ${event.name}` : `reads ${event.name}.${field}`) },
          services: [...event.publishers, ...consumers.map((c) => c.service)],
          ...(owner && { owner }),
          loc,
          edges,
        });
      }
    }
  }
  for (const event of model.events) {
    if (eventsThen.has(event.name)) continue;
    const owner = event.publishers[0];
    report({ messageId: 'eventAdded', data: { event: event.name }, services: [...event.publishers], ...(owner && { owner }), loc: event.loc, info: true });
  }
}

/** Field changes of an event payload; `change` is absent for an additive one (an optional field added). */
function eventFieldChanges(old: EventDef, event: EventDef): { change?: string; field: string; loc: Loc; added?: boolean }[] {
  const before = new Map(old.fields.map((f) => [f.name, f]));
  const names = new Set(event.fields.map((f) => f.name));
  const found: { change?: string; field: string; loc: Loc; added?: boolean }[] = [];
  for (const field of old.fields) {
    if (!names.has(field.name)) found.push({ change: `field ${event.name}.${field.name} is removed`, field: field.name, loc: event.loc });
  }
  for (const field of event.fields) {
    const was = before.get(field.name);
    const label = `${event.name}.${field.name}`;
    if (!was) {
      found.push(required(field) ? { change: `required field ${label} is added`, field: field.name, loc: field.loc, added: true } : { field: field.name, loc: field.loc });
    } else if (typeText(was) !== typeText(field)) {
      found.push({ change: `field ${label} changes from ${typeText(was)} to ${typeText(field)}`, field: field.name, loc: field.loc });
    } else if (!required(was) && required(field)) {
      found.push({ change: `field ${label} becomes required`, field: field.name, loc: field.loc });
    }
  }
  return found;
}

const required = (field: Field): boolean => !field.optional && field.default === undefined;

/** Everything a service serves: declared api and generated CRUD (which declared overrides replace at the same keys). */
function endpointsOf(service: Service): Endpoint[] {
  return [...service.api, ...service.crud];
}

/** Consumers whose called endpoints pass `test`, each with only those endpoints. */
function calling(served: ReadonlyMap<string, Consumer>, test: (endpoint: string) => boolean): Consumer[] {
  return [...served.values()].flatMap((c) => {
    const endpoints = c.endpoints.filter(test);
    return endpoints.length > 0 ? [{ service: c.service, endpoints }] : [];
  });
}

function keyOf(text: string): string {
  const [method, path] = text.split(' ') as [Endpoint['method'], string];
  return endpointKey({ method, path });
}

/** Whether an endpoint key is one of a resource's CRUD endpoints. */
function isOf(key: string, resource: string): boolean {
  const path = key.slice(key.indexOf(' ') + 1);
  return path === `/${resource}` || path === `/${resource}/{}`;
}

/** `loans, which calls GET /books/{id} and reads \`title\``, for each consumer, joined with "and". */
function named(consumers: readonly Consumer[], action?: string): string {
  const clauses = consumers.map((c) => {
    const does = [...(c.endpoints.length > 0 ? [`calls ${[...new Set(c.endpoints)].join(', ')}`] : []), ...(action ? [action] : [])];
    return does.length > 0 ? `${c.service}, which ${does.join(' and ')}` : c.service;
  });
  return clauses.length <= 1 ? (clauses[0] ?? '') : `${clauses.slice(0, -1).join('; ')}; and ${clauses[clauses.length - 1]}`;
}

/** Services, owner, position and edges of a finding about what `provider` did to its consumers. */
function about(provider: string, consumers: readonly Consumer[], owner: string, loc: Loc): Pick<Report, 'services' | 'owner' | 'loc' | 'edges'> {
  return {
    services: [provider, ...consumers.map((c) => c.service).filter((s) => s !== provider)],
    owner,
    loc,
    edges: consumers.filter((c) => c.endpoints.length > 0).map((c) => ({ from: c.service, to: provider, kind: 'sync' as const })),
  };
}
