import type { BrokerKind, SystemModel } from '../../../../src/model/types.js';
import { exampleNames, exampleYaml, modelOf, renderYaml } from '../render.js';
import type { FileTree } from '../../../../src/render/tree.js';
import asyncapi from '../../../../src/render/asyncapi/index.js';
import broker from '../../../../src/render/broker/index.js';

/** The brokers that get definitions. */
export const brokerKinds = ['rabbitmq', 'nats', 'kafka'] as const;

/** A system.yaml text with its `broker:` line replaced (or added). */
export function withBroker(yaml: string, kind: BrokerKind): string {
  return /^broker:.*$/m.test(yaml) ? yaml.replace(/^broker:.*$/m, `broker: ${kind}`) : `${yaml.trimEnd()}\nbroker: ${kind}\n`;
}

/**
 * Everything the reference systems do not: no gateway, a python service,
 * sqlite and mysql, a shared database, services without a database or without
 * events, every field type (lists, optionals, enums, json, descriptions), an
 * event without fields, one nobody subscribes to, one nobody publishes, a
 * service consuming its own event, and names a YAML 1.1 reader would take for
 * booleans (`On`, `no`).
 */
export const edgeYaml = `version: 1
name: edge-case
broker: rabbitmq
services:
  order-service:
    database: shop
    entities:
      Order: { total: number }
    publishes: [OrderPlaced, On, Audited]
    subscribes: [OrderPlaced]
  billing:
    runtime: python
    database: { name: billing, engine: mysql }
    entities:
      Invoice: { amount: number }
    subscribes: [OrderPlaced, On, Ghost]
  stock:
    database: shop
    entities:
      Item: { sku: string }
    subscribes: [OrderPlaced]
  notes:
    database: { name: notes, engine: sqlite }
    entities:
      Note: { body: text }
  relay:
    database: none
    subscribes: [On]
events:
  OrderPlaced:
    orderId: uuid
    note: text?
    quantity: integer
    price: number
    paid: boolean
    day: date
    at: datetime
    extra: json?
    tags: string[]
    lines: json[]
    dates: date[]?
    status: { enum: [new, paid], description: Where the order stands }
    codes: { type: "string[]", enum: [a, b] }
    "no": { type: boolean, optional: true, description: A field named like a YAML 1.1 boolean }
  "On": {}
  Audited: { by: string }
  Ghost: { id: uuid }
`;

/** A gateway of kind nginx in front of a node publisher and a python consumer. */
export const nginxYaml = `version: 1
name: proxied
broker: rabbitmq
gateway: { kind: nginx, port: 8080, auth: none }
services:
  api:
    database: api
    entities:
      Thing: { name: string }
    publishes: [ThingMade]
  worker:
    runtime: python
    database: none
    subscribes: [ThingMade]
events:
  ThingMade: { thingId: uuid, name: string }
`;

/** A broker chosen, but no events at all. */
export const noEventsYaml = `version: 1
name: quiet
broker: rabbitmq
services:
  api:
    database: api
    entities:
      Thing: { name: string }
`;

export interface TestSystem {
  readonly label: string;
  readonly yaml: string;
  readonly model: SystemModel;
}

function system(label: string, yaml: string): TestSystem {
  return { label, yaml, model: modelOf(yaml) };
}

/** Each reference example (and anti-patterns) and each edge case, with the given broker. */
export function systemsWith(kind: BrokerKind): TestSystem[] {
  return [
    ...[...exampleNames, 'anti-patterns'].map((name) => system(`${name} (${kind})`, withBroker(exampleYaml(name), kind))),
    system(`edge-case (${kind})`, withBroker(edgeYaml, kind)),
    system(`proxied (${kind})`, withBroker(nginxYaml, kind)),
    system(`quiet (${kind})`, withBroker(noEventsYaml, kind)),
  ];
}

/** Renders with the broker and asyncapi targets only. */
export function renderEvents(yaml: string): FileTree {
  return renderYaml(yaml, [broker, asyncapi]);
}

/** The content of a rendered file; fails when it is missing. */
export function fileOf(tree: FileTree, path: string): string {
  const file = tree.get(path);
  if (!file) throw new Error(`${path} was not rendered; got ${tree.files().map((f) => f.path).join(', ')}`);
  return file.content;
}
