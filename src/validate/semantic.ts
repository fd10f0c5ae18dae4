import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ParsedSource, Path } from '../parse/parse.js';
import type { SystemDoc } from './document.js';
import { suggestion } from '../shared/suggest.js';
import { resourceOf } from '../shared/naming.js';
import { checkEntityFields } from './fields.js';

const defaultGatewayPort = 8080;
/** Paths the gateway serves itself (its health and readiness), which no route may take. */
const gatewayOwnPaths = new Set(['/health', '/ready']);

/**
 * Checks what the JSON Schema cannot express: references between parts of the
 * file (callees, team members, routes, events) and uniqueness across services.
 * Runs only on a document that passed the schema.
 */
export function checkReferences(doc: SystemDoc, source: ParsedSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: Path, which: 'key' | 'value', message: string, hint: string): void => {
    const pos = which === 'key' ? source.locate.key(path) : source.locate.value(path);
    out.push({ file: source.file, line: pos.line, column: pos.column, message, hint });
  };
  const serviceNames = Object.keys(doc.services);
  const services = new Set(serviceNames);
  const eventNames = Object.keys(doc.events ?? {});
  const events = new Set(eventNames);
  const unknownService = (name: string): string => suggestion(name, serviceNames, 'a service declared under services');

  const ports = new Map<number, string>();
  if (doc.gateway) ports.set(doc.gateway.port ?? defaultGatewayPort, 'the gateway');
  const databaseHosts = new Set(Object.values(doc.services).flatMap((s) => (s?.database && s.database !== 'none' ? [`${(typeof s.database === 'string' ? s.database : s.database.name).replaceAll('_', '-')}-db`] : [])));
  for (const name of serviceNames) {
    // These names are taken by the containers and hosts the generated system runs beside the services.
    if (name === 'broker' || name === 'gateway' || databaseHosts.has(name)) {
      at(['services', name], 'key', `service name '${name}' is taken by the generated ${name === 'broker' ? 'message broker' : name === 'gateway' ? 'gateway' : 'database server'}`, 'rename the service');
    } else if (doc.gateway && !doc.gateway.routes && gatewayOwnPaths.has(`/${name}`)) {
      at(['services', name], 'key', `service '${name}' would be routed at /${name}, which the gateway answers itself`, 'rename the service, or write gateway.routes');
    }
  }
  for (const [name, service] of Object.entries(doc.services)) {
    if (!service) continue;
    const base = ['services', name];
    if (service.port !== undefined) {
      const taken = ports.get(service.port);
      if (taken) at([...base, 'port'], 'value', `port ${service.port} of service '${name}' is already used by ${taken}`, 'give each service its own port, or leave the port out to have one assigned');
      else ports.set(service.port, `service '${name}'`);
    }
    for (const callee of Object.keys(service.calls ?? {})) {
      if (!services.has(callee)) at([...base, 'calls', callee], 'key', `service '${name}' calls unknown service '${callee}'`, unknownService(callee));
    }
    for (const kind of ['publishes', 'subscribes'] as const) {
      (service[kind] ?? []).forEach((event, i) => {
        if (!events.has(event)) {
          at([...base, kind, i], 'value', `service '${name}' ${kind === 'publishes' ? 'publishes' : 'subscribes to'} unknown event '${event}'`, eventNames.length ? `declare it under events:, or ${suggestion(event, eventNames)}` : `declare it under events: with its payload, e.g. ${event}: { id: string }`);
        }
      });
    }
    const resources = new Map<string, string>();
    for (const [entity, fields] of Object.entries(service.entities ?? {})) {
      const resource = resourceOf(entity);
      const clash = resources.get(resource);
      if (clash) at([...base, 'entities', entity], 'key', `entities '${clash}' and '${entity}' of service '${name}' would both be served at /${resource}`, 'rename one of them');
      resources.set(resource, entity);
      if ('id' in fields) at([...base, 'entities', entity, 'id'], 'key', `field 'id' of entity '${entity}' is reserved: every entity gets a generated UUID id`, 'remove it');
      checkEntityFields(entity, fields, [...base, 'entities', entity], at);
      const renamedFrom = fields['renamedFrom'];
      if (typeof renamedFrom === 'string' && renamedFrom !== entity && service.entities && renamedFrom in service.entities) {
        at([...base, 'entities', entity, 'renamedFrom'], 'value', `entity '${entity}' says it was renamed from '${renamedFrom}', which service '${name}' still declares`, `remove renamedFrom, or remove or rename entity '${renamedFrom}'`);
      }
    }
  }

  const engines = new Map<string, { engine: string; service: string }>();
  for (const [name, service] of Object.entries(doc.services)) {
    const database = service?.database;
    if (database === undefined || database === 'none') continue;
    const dbName = typeof database === 'string' ? database : database.name;
    const engine = (typeof database === 'object' ? database.engine : undefined) ?? doc.defaults?.database ?? 'postgres';
    const first = engines.get(dbName);
    if (!first) engines.set(dbName, { engine, service: name });
    else if (first.engine !== engine) {
      at(['services', name, 'database'], 'value', `database '${dbName}' is ${engine} here but ${first.engine} in service '${first.service}'`, 'one database has one engine: use the same engine, or give this service its own database');
    }
  }

  if (doc.gateway?.kind === 'nginx' && (doc.gateway.auth ?? 'jwt') === 'jwt') {
    at(['gateway', 'kind'], 'value', 'an nginx gateway cannot verify JWTs (open-source nginx has no JWT module)', "use kind: node for JWT auth, or set auth: none and authenticate elsewhere");
  }

  const teamOf = new Map<string, string>();
  for (const [team, members] of Object.entries(doc.teams ?? {})) {
    members.forEach((member, i) => {
      if (!services.has(member)) {
        at(['teams', team, i], 'value', `team '${team}' lists unknown service '${member}'`, unknownService(member));
        return;
      }
      const other = teamOf.get(member);
      if (other) at(['teams', team, i], 'value', `service '${member}' is owned by both team '${other}' and team '${team}'`, 'give each service one owning team');
      else teamOf.set(member, team);
    });
  }

  const routes = new Map<string, number>();
  (doc.gateway?.routes ?? []).forEach((route, i) => {
    if (!services.has(route.service)) at(['gateway', 'routes', i, 'service'], 'value', `gateway route ${route.path} points to unknown service '${route.service}'`, unknownService(route.service));
    const own = [...gatewayOwnPaths].find((p) => route.path === p || route.path.startsWith(`${p}/`));
    if (own) at(['gateway', 'routes', i, 'path'], 'value', `gateway route ${route.path} is under ${own}, which the gateway answers itself`, 'choose another path');
    const previous = routes.get(route.path);
    if (previous !== undefined) at(['gateway', 'routes', i, 'path'], 'value', `gateway route ${route.path} is declared twice (also route ${previous + 1})`, 'keep one route per path');
    else routes.set(route.path, i);
  });
  return out;
}
