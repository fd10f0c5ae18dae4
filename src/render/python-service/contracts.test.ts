import { describe, expect, it } from 'vitest';
import { exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import nodeService from '../node-service/index.js';
import pythonService from './index.js';
import { nodeServiceView } from '../node-service/view.js';
import { pyContractsView } from './contracts.js';
import { pythonServiceView } from './view.js';

// The rendered tests are run against the other runtime's pacts (and broken on purpose) by test/contracts-polyglot.e2e.test.ts.

function pyViewOf(example: string, service: string) {
  const model = modelOf(exampleYaml(example));
  const s = model.services.find((x) => x.name === service)!;
  const view = pythonServiceView(model, s);
  return pyContractsView(model, s, view.clients, view.database);
}

function nodeViewOf(example: string, service: string) {
  const model = modelOf(exampleYaml(example));
  return nodeServiceView(model, model.services.find((s) => s.name === service)!).contracts;
}

describe('contract tests of Python services', () => {
  it('gives a Python consumer one test module per provider: its CRUD calls through its client, the events it consumes from that publisher', () => {
    const notification = pyViewOf('taskflow', 'notification');
    expect(notification.consumers.map((c) => [c.module, c.interactions.map((i) => i.test), c.messages.map((m) => m.description)])).toEqual([
      ['test_consumer_user', ['test_get_user_found', 'test_get_user_missing'], []],
      ['test_consumer_task', [], ['a TaskCreated event', 'a TaskAssigned event']],
    ]);
    expect(notification.provider).toBe(false);
    expect(notification.served).toBe(true);
  });

  it('names interactions, states and messages as a Node.js consumer does, so either runtime verifies the other', () => {
    const python = pyViewOf('taskflow', 'notification').consumers[0]!.interactions.map((i) => i.chain.slice(0, 2).join(''));
    const node = nodeViewOf('taskflow', 'task').consumers.find((c) => c.provider === 'user')!.interactions.map((i) => `${i.description} / ${String(i.state)}`);
    expect(python).toEqual(['pact.upon_receiving("GET /users/{id} of an existing User").given("a User exists", {"id": user_id})', 'pact.upon_receiving("GET /users/{id} of a missing User").given("no User exists", {"id": user_id})']);
    expect(node).toEqual(['GET /users/{id} of an existing User / a User exists', 'GET /users/{id} of a missing User / no User exists']);
  });

  it('has a Node.js provider verify its Python consumers too', () => {
    const user = nodeViewOf('taskflow', 'user');
    expect(user.provider && user.provider.consumers).toEqual(['notification', 'task']);
    const order = nodeViewOf('order-saga', 'order');
    expect(order.provider && order.provider.consumers).toEqual(expect.arrayContaining(['analytics', 'notification']));
  });

  it('lets a Python provider that calls other services take stand-ins for them from extensions.py, as a Node.js one does', () => {
    const yaml = `version: 1
name: shop
broker: rabbitmq
services:
  catalog: { database: catalog, entities: { Product: { name: string } } }
  stock:
    runtime: python
    database: stock
    entities: { Reservation: { quantity: integer } }
    calls: { catalog: ['GET /products/{id}'] }
    publishes: [Reserved]
  shop: { runtime: python, database: shop, calls: { stock: ['GET /reservations/{id}'] }, subscribes: [Reserved] }
  order: { database: orders, calls: { catalog: ['GET /products/{id}'], stock: ['GET /reservations/{id}'] } }
  mailer: { runtime: python, calls: { catalog: ['GET /products/{id}'] } }
events:
  Reserved: { reservationId: uuid }
`;
    const tree = renderYaml(yaml, [pythonService, nodeService]);
    const file = (path: string) => tree.get(path)!.content;
    // The convention of both: \`clients\` in the hand-written extensions, a factory of the service's Clients; by default a port nothing listens on.
    expect(file('services/order/test/contracts/support.ts')).toContain('readonly clients?: () => Clients;');
    expect(file('services/order/test/contracts/support.ts')).toContain("const nowhere = 'http://127.0.0.1:9';");
    const support = file('services/stock/tests/contracts/support.py');
    expect(support).toContain('    clients: Callable[[], Clients] | None = None\n');
    expect(support).toContain('    app = create_app(settings, broker, clients=None if extensions.clients is None else extensions.clients())\n');
    expect(file('services/stock/tests/contracts/conftest.py')).toContain('catalog_url="http://127.0.0.1:9"');
    expect(file('services/stock/tests/contracts/extensions.py')).toContain('- `clients`: stand-ins for those services');
    // The app takes them as it takes a broker, and closes them with the rest when it stops.
    const main = file('services/stock/app/main.py');
    expect(main).toContain('def create_app(settings: Settings, broker: Broker | None = None, clients: Clients | None = None) -> FastAPI:');
    expect(main).toContain('callees = clients if clients is not None else create_clients(settings)\n                stack.push_async_callback(callees.aclose)');
    // Its event handlers may call too: a subscriber gets them as well; a mere consumer of APIs has no service under test.
    expect(file('services/shop/tests/contracts/support.py')).toContain('    clients: Callable[[], Clients] | None = None\n');
    expect(file('services/mailer/tests/contracts/support.py')).not.toContain('clients:');
  });

  it('gives a service without edges no contract tests', () => {
    const model = modelOf(exampleYaml('task-manager'));
    for (const service of model.services.filter((s) => s.runtime === 'python')) {
      const view = pythonServiceView(model, service);
      expect(pyContractsView(model, service, view.clients, view.database).any).toBe(service.calls.length > 0);
    }
  });
});
