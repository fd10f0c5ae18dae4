import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics/diagnostic.js';
import { loadSystem, type LoadResult } from './load.js';

function problems(text: string): string[] {
  const result = loadSystem(text, 'system.yaml');
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.diagnostics.map(formatDiagnostic);
}

function model(text: string) {
  const result: LoadResult = loadSystem(text, 'system.yaml');
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.model;
}

describe('loadSystem: short forms and defaults', () => {
  const system = model(`version: 1
name: shop
defaults: { runtime: python, database: mysql, timeoutMs: 1500 }
gateway: { rateLimit: 100/min }
services:
  order:
    database: orders
    entities:
      OrderItem: { productId: uuid, quantity: integer, note: string?, tags: 'string[]', status: { enum: [open, done] } }
    api: ['GET /order-items/{itemId}', 'POST /order-items/{id}/ship']
    calls:
      product: ['GET /products/{id}']
      payment: { endpoints: [POST /payments], timeoutMs: 900, retries: 0, circuitBreaker: { failures: 3 } }
    publishes: [OrderPlaced]
  product:
    runtime: node
    port: 3001
    database: { name: products, engine: postgres }
    entities: { Product: { name: string } }
  payment:
    database: none
    api: [POST /payments]
    calls:
      product: { endpoints: ['GET /products/{id}'], circuitBreaker: false }
    subscribes: [OrderPlaced]
events:
  OrderPlaced: { orderId: uuid }
`);

  it('applies defaults and expands short forms', () => {
    const [order, product, payment] = system.services;
    expect(order!.runtime).toBe('python');
    expect(product!.runtime).toBe('node');
    expect(order!.database).toMatchObject({ name: 'orders', engine: 'mysql' });
    expect(product!.database).toMatchObject({ name: 'products', engine: 'postgres' });
    expect(payment!.database).toBeUndefined();
    expect(order!.calls[0]).toMatchObject({ callee: 'product', timeoutMs: 1500, retries: 2, circuitBreaker: { failures: 5, resetMs: 10000 } });
    expect(order!.calls[1]).toMatchObject({ callee: 'payment', timeoutMs: 900, retries: 0, circuitBreaker: { failures: 3, resetMs: 10000 } });
    expect(payment!.calls[0]!.circuitBreaker).toBe(false);
    expect(system.broker).toBe('rabbitmq');
  });

  it('assigns ports deterministically around explicit ones and the gateway', () => {
    expect(system.gateway?.port).toBe(8080);
    expect(system.services.map((s) => s.port)).toEqual([3002, 3001, 3003]);
  });

  it('generates CRUD under the kebab-case plural and keeps only extra api endpoints', () => {
    const order = system.services[0]!;
    expect(order.crud.map((e) => e.text)).toEqual([
      'POST /order-items',
      'GET /order-items',
      'GET /order-items/{id}',
      'PUT /order-items/{id}',
      'DELETE /order-items/{id}',
    ]);
    expect(order.api.map((e) => e.text)).toEqual(['POST /order-items/{id}/ship']);
  });

  it('normalizes field types', () => {
    const fields = system.services[0]!.entities[0]!.fields;
    expect(fields.map((f) => [f.name, f.type, f.list, f.optional])).toEqual([
      ['productId', 'uuid', false, false],
      ['quantity', 'integer', false, false],
      ['note', 'string', false, true],
      ['tags', 'string', true, false],
      ['status', 'string', false, false],
    ]);
    expect(fields[4]!.enum).toEqual(['open', 'done']);
  });

  it('routes every service with an API under /<service> by default and parses the rate limit', () => {
    expect(system.gateway?.routes.map((r) => [r.path, r.service])).toEqual([
      ['/order', 'order'],
      ['/product', 'product'],
      ['/payment', 'payment'],
    ]);
    expect(system.gateway?.rateLimit).toEqual({ count: 100, per: 'minute', windowMs: 60000 });
  });

  it('links events to their publishers and subscribers and keeps positions', () => {
    expect(system.events[0]).toMatchObject({ name: 'OrderPlaced', publishers: ['order'], subscribers: ['payment'] });
    expect(system.services[0]!.loc).toMatchObject({ line: 6, column: 3 });
    expect(system.services[0]!.calls[1]!.loc).toMatchObject({ line: 13, column: 7 });
  });
});

describe('loadSystem: every problem at once, positioned, with a fix', () => {
  it('reports schema problems with line, column and a hint', () => {
    expect(
      problems(`version: 1
name: Shop
brokr: rabbitmq
services:
  order:
    databse: orders
    calls:
      payment: { endpoints: [FETCH /payments], timeoutMs: fast }
`),
    ).toEqual([
      expect.stringMatching(/^system\.yaml:2:7 {2}name "Shop" is not valid {2}\(it must be a lower-case DNS label/),
      "system.yaml:3:1  unknown property 'brokr' in the file  (did you mean 'broker'?)",
      "system.yaml:6:5  unknown property 'databse' in services.order  (did you mean 'database'?)",
      expect.stringMatching(/^system\.yaml:8:30 {2}services\.order\.calls\.payment\.endpoints\[0\] "FETCH \/payments" is not valid {2}\(it must be `METHOD \/path`/),
      'system.yaml:8:59  services.order.calls.payment.timeoutMs must be an integer  (found a string)',
    ]);
  });

  it('reports broken references with suggestions', () => {
    expect(
      problems(`version: 1
name: shop
gateway: { routes: [{ path: /orders, service: ordr }] }
teams: { checkout: [order, pay] }
services:
  order:
    port: 8080
    calls: { paymnt: [POST /payments] }
    subscribes: [PaymentDone]
  payment: {}
`),
    ).toEqual([
      "system.yaml:3:47  gateway route /orders points to unknown service 'ordr'  (did you mean 'order'?)",
      "system.yaml:4:28  team 'checkout' lists unknown service 'pay'  (use a service declared under services: order, payment)",
      "system.yaml:7:11  port 8080 of service 'order' is already used by the gateway  (give each service its own port, or leave the port out to have one assigned)",
      "system.yaml:8:14  service 'order' calls unknown service 'paymnt'  (did you mean 'payment'?)",
      "system.yaml:9:18  service 'order' subscribes to unknown event 'PaymentDone'  (declare it under events: with its payload, e.g. PaymentDone: { id: string })",
    ]);
  });

  it('explains YAML syntax errors, including unquoted braces in flow lists', () => {
    expect(problems('version: 1\nname: x\nservices:\n  a:\n    calls: { b: [GET /b/{id}] }\n  b: {}\n')[0]).toMatch(
      /^system\.yaml:5:\d+ {2}invalid YAML: .*must be quoted, e\.g\. \['GET \/products\/\{id\}'\]/,
    );
    expect(problems('version: 1\nname: x\nname: y\nservices: { a: {} }\n')[0]).toMatch(/^system\.yaml:3:1 {2}invalid YAML: duplicated mapping key {2}\(each key may appear once/);
  });

  it.each(['../x', 'A B', '$(rm -rf)', '{{x}}', 'order_service', '-x', 'x-'])('rejects the unsafe name %j wherever a name goes', (name) => {
    const quoted = JSON.stringify(name);
    expect(problems(`version: 1\nname: ${quoted}\nservices: { a: {} }\n`)[0]).toMatch(/^system\.yaml:2:7 {2}name .* is not valid {2}\(it must be a lower-case DNS label/);
    expect(problems(`version: 1\nname: x\nservices:\n  ${quoted}: {}\n`)[0]).toMatch(/^system\.yaml:4:3 {2}'.*' is not a valid name in services/);
    expect(problems(`version: 1\nname: x\nservices: { a: {} }\nteams:\n  ${quoted}: [a]\n`)[0]).toMatch(/^system\.yaml:5:3 {2}'.*' is not a valid name in teams/);
    expect(problems(`version: 1\nname: x\nservices: { a: {} }\nevents:\n  ${quoted}: {}\n`)[0]).toMatch(/^system\.yaml:5:3 {2}'.*' is not a valid name in events {2}\(it must be PascalCase/);
  });

  it('points at the missing required keys of an empty file', () => {
    expect(problems('')).toEqual([expect.stringMatching(/^system\.yaml:1:1 {2}the file must be a mapping/)]);
    expect(problems('# only a comment\n')).toHaveLength(1);
    expect(problems('version: 1\n')).toEqual([
      "system.yaml:1:1  the file is missing the required property 'name'  (add 'name:')",
      "system.yaml:1:1  the file is missing the required property 'services'  (add 'services:')",
    ]);
  });
});

describe('loadSystem: names the generated system needs for itself', () => {
  it('refuses services named like the broker, the gateway or a database server', () => {
    expect(problems('version: 1\nname: x\nservices:\n  broker: {}\n  gateway: {}\n  orders-db: {}\n  order: { database: orders }\n')).toEqual([
      "system.yaml:4:3  service name 'broker' is taken by the generated message broker  (rename the service)",
      "system.yaml:5:3  service name 'gateway' is taken by the generated gateway  (rename the service)",
      "system.yaml:6:3  service name 'orders-db' is taken by the generated database server  (rename the service)",
    ]);
  });

  it("refuses routes onto the gateway's own /health and /ready", () => {
    expect(problems('version: 1\nname: x\ngateway: {}\nservices:\n  health: {}\n  ready: {}\n  order: {}\n')).toEqual([
      "system.yaml:5:3  service 'health' would be routed at /health, which the gateway answers itself  (rename the service, or write gateway.routes)",
      "system.yaml:6:3  service 'ready' would be routed at /ready, which the gateway answers itself  (rename the service, or write gateway.routes)",
    ]);
    expect(problems('version: 1\nname: x\ngateway: { routes: [{ path: /ready/x, service: order }] }\nservices:\n  health: {}\n  order: {}\n')).toEqual([
      'system.yaml:3:29  gateway route /ready/x is under /ready, which the gateway answers itself  (choose another path)',
    ]);
  });
});

describe('loadSystem: combinations the generated system cannot honour', () => {
  it('refuses one database with two engines, and JWT auth on an nginx gateway', () => {
    expect(problems('version: 1\nname: x\ngateway: { kind: nginx }\nservices:\n  a: { database: core }\n  b: { database: { name: core, engine: mysql } }\n')).toEqual([
      'system.yaml:3:18  an nginx gateway cannot verify JWTs (open-source nginx has no JWT module)  (use kind: node for JWT auth, or set auth: none and authenticate elsewhere)',
      "system.yaml:6:18  database 'core' is mysql here but postgres in service 'a'  (one database has one engine: use the same engine, or give this service its own database)",
    ]);
  });
});

describe('loadSystem: field defaults and renames', () => {
  it('reads default and renamedFrom into the model', () => {
    const loaded = loadSystem(
      "version: 1\nname: x\nservices:\n  shop:\n    database: shop\n    entities:\n      Product:\n        renamedFrom: Item\n        pages: { type: integer, default: 0 }\n        title: { type: string, renamedFrom: name }\n",
      'system.yaml',
    );
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
    const [product] = loaded.model.services[0]!.entities;
    expect(product!.renamedFrom).toBe('Item');
    expect(product!.fields.map((f) => [f.name, f.default, f.renamedFrom])).toEqual([
      ['pages', 0, undefined],
      ['title', undefined, 'name'],
    ]);
  });

  it('refuses a default the field cannot hold, and a rename from a field still declared, at the line', () => {
    expect(
      problems(`version: 1
name: x
services:
  shop:
    database: shop
    entities:
      Product:
        pages: { type: integer, default: '0' }
        status: { enum: [open, closed], default: shut }
        tags: { type: 'string[]', default: [1] }
        born: { type: date, default: yesterday }
        title: { type: string, renamedFrom: name }
        name: string
        note: { type: string?, default: null }
      Item:
        renamedFrom: Product
        name: string
`),
    ).toEqual([
      `system.yaml:8:42  default of field 'pages' "0" is not an integer  (give a default of type integer, or remove it)`,
      `system.yaml:9:50  default of field 'status' "shut" is not one of open, closed  (give a default of type one of open, closed, or remove it)`,
      "system.yaml:10:44  default of field 'tags' has an item that 1 is not a string (quote it)  (give a default of type string[], or remove it)",
      `system.yaml:11:38  default of field 'born' "yesterday" is not a date (YYYY-MM-DD, quoted)  (give a default of type date, or remove it)`,
      "system.yaml:12:45  field 'title' says it was renamed from 'name', which entity 'Product' still declares  (remove renamedFrom, or remove or rename field 'name')",
      "system.yaml:14:41  default of field 'note' is null: a default is what rows get instead of null (leave it out for an optional field)  (give a default of type string, or remove it)",
      "system.yaml:16:22  entity 'Item' says it was renamed from 'Product', which service 'shop' still declares  (remove renamedFrom, or remove or rename entity 'Product')",
    ]);
  });
});
