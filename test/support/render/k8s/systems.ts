import { exampleNames, exampleYaml } from '../render.js';

/**
 * Systems at the edges of what the k8s target must handle: every broker kind
 * and none (and one nobody uses), no gateway, a node and an nginx gateway,
 * python services, every engine (sqlite shared, mysql shared under a name
 * with `_`), services without database or events, a service nothing reaches.
 */
export const edgeSystems: Readonly<Record<string, string>> = {
  'no broker, no gateway, services without database': `
version: 1
name: minimal
broker: none
services:
  api:
    database: none
    api: [GET /things]
    calls:
      worker: [POST /jobs]
  worker:
    api: [POST /jobs]
`,
  'nats, nginx gateway, python, a shared mysql database, mongodb, an unreachable service': `
version: 1
name: mixed
broker: nats
gateway:
  kind: nginx
  port: 9000
  auth: none
  routes:
    - { path: /a, service: alpha }
    - { path: /a2, service: alpha }
    - { path: /b, service: beta }
services:
  alpha:
    runtime: python
    database: { name: shared_store, engine: mysql }
    entities:
      Thing: { name: string }
    calls:
      beta: [GET /items]
    publishes: [ThingMade]
  beta:
    database: { name: shared_store, engine: mysql }
    api: [GET /items]
    subscribes: [ThingMade]
  gamma:
    runtime: python
    database: { name: docs, engine: mongodb }
    entities:
      Doc: { body: text }
    calls:
      alpha: [GET /things]
events:
  ThingMade: { id: uuid }
`,
  'kafka, node gateway, a shared sqlite database, a service without events': `
version: 1
name: streams
broker: kafka
gateway:
  port: 8080
services:
  ingest:
    database: { name: events_log, engine: sqlite }
    entities:
      Entry: { payload: json }
    publishes: [EntryAdded]
  report:
    database: { name: events_log, engine: sqlite }
    api: [GET /reports]
    subscribes: [EntryAdded]
  idle:
    runtime: python
    api: [GET /ping]
events:
  EntryAdded: { id: uuid }
`,
  'rabbitmq that no service uses': `
version: 1
name: quiet
broker: rabbitmq
gateway: { kind: node, auth: none }
services:
  solo:
    entities:
      Note: { text: string }
`,
};

/** Every reference example, the anti-patterns stress case and the edge systems, by name. */
export const allSystems: readonly (readonly [string, string])[] = [
  ...exampleNames.map((name) => [name, exampleYaml(name)] as const),
  ['anti-patterns', exampleYaml('anti-patterns')],
  // The deployment targets still render a sqlite database (a volume, no server), though `generate` refuses it for now.
  ['task-manager (sqlite)', exampleYaml('task-manager').replace('    database: tasks\n', '    database: { name: tasks, engine: sqlite }\n')],
  ...Object.entries(edgeSystems),
];
