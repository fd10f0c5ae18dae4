/**
 * Small systems at the edges of what rendering must handle, for the workflows
 * and readme tests: every broker kind and none, no gateway, an nginx and a
 * node gateway, python services, sqlite and mysql, a shared database, services
 * without database or events, and a service named like the architecture workflow.
 */
export const edgeSystems: Readonly<Record<string, string>> = {
  'no broker, no gateway, no events': `
version: 1
name: plain
broker: none
services:
  order: { entities: { Order: { total: number } } }
  order-history: { database: none, api: [GET /history] }
`,
  'nats, nginx gateway, python, sqlite, mysql, a shared database': `
version: 1
name: mixed
broker: nats
gateway: { kind: nginx, port: 8080, auth: none }
services:
  catalog: { runtime: python, database: { name: catalog, engine: mysql }, entities: { Item: { name: string } }, publishes: [ItemAdded] }
  basket: { database: { name: baskets, engine: sqlite }, entities: { Basket: { owner: string } }, subscribes: [ItemAdded] }
  report: { runtime: python, database: { name: catalog, engine: mysql }, entities: { Report: { day: date } } }
events:
  ItemAdded: { itemId: uuid }
`,
  'kafka, node gateway, a service named like the architecture workflow': `
version: 1
name: clash
broker: kafka
gateway: { kind: node, auth: none }
services:
  architecture: { entities: { Decision: { title: string } }, publishes: [Decided] }
  audit: { runtime: python, database: none, api: [GET /ping], subscribes: [Decided] }
events:
  Decided: { id: uuid }
`,
};
