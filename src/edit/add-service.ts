import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { asList, asRecord, dnsLabel, endpointPattern, Flow, parseFields, runEdit, typeName, type EditResult } from './text.js';

export interface ServiceSpec {
  readonly name: string;
  readonly runtime?: 'node' | 'python';
  /** A database name, or `none`. Default: the service name when entities are given, else no database. */
  readonly database?: string;
  /** `Order userId:string quantity:integer` */
  readonly entities?: readonly string[];
  /** `product:GET /products/{id}` (several endpoints separated by commas) */
  readonly calls?: readonly string[];
  readonly publishes?: readonly string[];
  readonly subscribes?: readonly string[];
  readonly team?: string;
  readonly port?: number;
}

/** Adds a service (and its team membership) at the end of `services:`. */
export function addService(text: string, file: string, spec: ServiceSpec): EditResult {
  return runEdit(text, file, (editor) => {
    const problem = (message: string, hint?: string, path: readonly string[] = ['services']): Diagnostic[] => [editor.diagnostic(message, path, hint)];
    const { name } = spec;
    if (!dnsLabel.test(name)) return problem(`service name '${name}' must be a lower-case DNS label`, 'a letter, then letters, digits or -, e.g. order-service');
    const doc = editor.value();
    if (name in asRecord(doc['services'])) return problem(`service '${name}' exists already`, 'choose another name, or edit it in system.yaml', ['services', name]);
    if (spec.team !== undefined && !dnsLabel.test(spec.team)) return problem(`team name '${spec.team}' must be a lower-case DNS label`, 'e.g. checkout', ['teams']);
    if (spec.port !== undefined && !(Number.isInteger(spec.port) && spec.port >= 1024 && spec.port <= 65535)) return problem(`port ${spec.port} must be a whole number from 1024 to 65535`);
    const database = spec.database ?? (spec.entities?.length ? name.replaceAll('-', '_') : undefined);
    if (database !== undefined && database !== 'none' && !/^[a-z][a-z0-9_]{0,48}$/.test(database)) return problem(`database '${database}' must be a database name (lower-case letters, digits or _) or none`);

    const entities: Record<string, Record<string, string>> = {};
    for (const entry of spec.entities ?? []) {
      const [entity = '', ...rest] = entry.trim().split(/\s+/);
      if (!typeName.test(entity)) return problem(`--entity '${entry}': entity name '${entity}' must be PascalCase`, "e.g. --entity 'Order userId:string quantity:integer'");
      if (entity in entities) return problem(`--entity: entity '${entity}' is given twice`);
      const fields = parseFields(rest.join(' '), `--entity ${entity}`);
      if (typeof fields === 'string') return problem(fields);
      if (Object.keys(fields).length === 0) return problem(`--entity '${entry}': give at least one field`, "e.g. --entity 'Order userId:string quantity:integer'");
      entities[entity] = fields;
    }
    const calls: Record<string, string[]> = {};
    for (const entry of spec.calls ?? []) {
      const m = /^\s*([^:\s]+)\s*:(.+)$/.exec(entry);
      if (!m) return problem(`--calls '${entry}' must be SERVICE:METHOD /path`, "e.g. --calls 'product:GET /products/{id}'");
      const [, callee, endpoints] = m as unknown as [string, string, string];
      for (const endpoint of endpoints.split(',').map((e) => e.trim().replace(/\s+/g, ' '))) {
        if (!endpointPattern.test(endpoint)) return problem(`--calls '${entry}': '${endpoint}' must be METHOD /path`, 'e.g. GET /orders/{id}');
        const list = (calls[callee] ??= []);
        if (!list.includes(endpoint)) list.push(endpoint);
      }
    }
    for (const [flag, events] of [['--publishes', spec.publishes], ['--subscribes', spec.subscribes]] as const) {
      for (const event of events ?? []) if (!typeName.test(event)) return problem(`${flag} '${event}': event names are PascalCase`, 'e.g. OrderPlaced');
    }

    const service: Record<string, unknown> = {};
    if (spec.runtime !== undefined) service['runtime'] = spec.runtime;
    if (spec.port !== undefined) service['port'] = spec.port;
    if (database !== undefined) service['database'] = database;
    if (Object.keys(entities).length > 0) service['entities'] = entities;
    if (Object.keys(calls).length > 0) service['calls'] = Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, new Flow(v)]));
    if (spec.publishes?.length) service['publishes'] = new Flow([...new Set(spec.publishes)]);
    if (spec.subscribes?.length) service['subscribes'] = new Flow([...new Set(spec.subscribes)]);
    editor.setKey(['services'], name, Object.keys(service).length > 0 ? service : new Flow({}));

    if (spec.team !== undefined) {
      const teams = asRecord(doc['teams']);
      if (spec.team in teams) {
        if (!asList(teams[spec.team]).includes(name)) editor.addItems(['teams', spec.team], [name]);
      } else {
        editor.setKey(['teams'], spec.team, new Flow([name]));
      }
    }
    return `added service '${name}'${spec.team !== undefined ? ` to team '${spec.team}'` : ''}`;
  });
}
