import { describe, expect, it } from 'vitest';
import { exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import { contractsView, exampleUuid } from './contracts.js';
import nodeService from './index.js';
import { nodeServiceView } from './view.js';

// The rendered tests are compiled and run (and broken on purpose) by test/contracts.e2e.test.ts.

function viewOf(example: string, service: string, edit: (yaml: string) => string = (y) => y) {
  const model = modelOf(edit(exampleYaml(example)));
  return nodeServiceView(model, model.services.find((s) => s.name === service)!).contracts;
}

describe('contract tests from the declared edges', () => {
  it('gives a consumer one pact test per provider: its CRUD calls from the model, the events it consumes from that publisher', () => {
    const order = viewOf('ecommerce', 'order');
    expect(order.consumers.map((c) => [c.file, c.interactions.map((i) => `${i.status} ${i.description}`), c.messages.map((m) => m.event)])).toEqual([
      ['consumer.user', ['200 GET /users/{id} of an existing User', '404 GET /users/{id} of a missing User', '200 GET /addresses/{id} of an existing Address', '404 GET /addresses/{id} of a missing Address'], []],
      // POST /products/availability is hand-written: it goes in extensions.ts, not here.
      ['consumer.product', ['200 GET /products/{id} of an existing Product', '404 GET /products/{id} of a missing Product'], []],
    ]);
    const product = viewOf('ecommerce', 'product');
    expect(product.consumers.map((c) => [c.file, c.messages.map((m) => m.description)])).toEqual([['consumer.order', ['an OrderCreated event', 'an OrderCancelled event']]]);
    expect(viewOf('ecommerce', 'search').consumers.map((c) => c.file)).toEqual(['consumer.order', 'consumer.product']);
  });

  it('verifies a provider against every consumer that calls it or consumes its events, with states from its entities', () => {
    const product = viewOf('ecommerce', 'product');
    expect(product.provider && product.provider.consumers).toEqual(['order', 'search']);
    expect(product.provider && product.provider.states.map((s) => s.name)).toEqual(['a Product exists', 'no Product exists']);
    expect(product.provider && product.provider.messages).toEqual([{ event: 'ProductChanged', description: 'a ProductChanged event' }]);
    expect(viewOf('ecommerce', 'search').provider).toBe(false);
  });

  it('leaves CRUD a callee overrides with a handler to extensions.ts, with an example for the first such call', () => {
    const order = viewOf('checkout', 'order');
    expect(order.consumers.flatMap((c) => c.interactions)).toEqual([]);
    expect(order.extensions.example).toMatchObject({ provider: 'inventory', text: 'POST /reservations', call: 'createReservation(body)', status: 201 });
  });

  it('matches by type, with deterministic examples, so a pact changes only when an expectation does', () => {
    const [user] = viewOf('ecommerce', 'order').consumers;
    expect(user!.bodies[0]!.matcher).toContain('marketingOptIn: m.boolean(true)');
    expect(user!.bodies[0]!.matcher).toContain("phone: m.string('example')");
    expect(exampleUuid('User')).toBe(exampleUuid('User'));
    expect(exampleUuid('User')).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-a[\da-f]{3}-[\da-f]{12}$/);
    const consumed = viewOf('ecommerce', 'product').consumers[0]!.messages[0]!.content;
    expect(consumed).toContain('orderId: m.uuid(data.orderId)');
    expect(consumed).toContain('lines: m.like(data.lines)');
  });

  it('renders the tests as generated files and extensions.ts as the user\'s, and nothing for a service without edges', () => {
    const files = renderYaml(exampleYaml('ecommerce'), [nodeService]).files();
    const contracts = files.filter((f) => f.path.startsWith('services/order/test/contracts/')).map((f) => [f.path.slice('services/order/test/contracts/'.length), f.owner]);
    expect(contracts.sort()).toEqual([
      ['all.ts', 'generator'],
      ['consumer.product.test.ts', 'generator'],
      ['consumer.user.test.ts', 'generator'],
      ['consumers.ts', 'generator'],
      ['events.test.ts', 'generator'],
      ['extensions.ts', 'user'],
      ['provider.test.ts', 'generator'],
      ['support.ts', 'generator'],
    ]);
    const scripts = JSON.parse(files.find((f) => f.path === 'services/order/package.json')!.content).scripts;
    // One process per suite: node --test would start one per file, each starting Pact and PGlite again.
    expect(scripts['test:consumer']).toBe('node --test dist/test/contracts/consumers.js');
    expect(scripts['test:contracts']).toBe('node --test dist/test/contracts/all.js');
    const lonely = renderYaml(exampleYaml('task-manager'), [nodeService]).files();
    const model = modelOf(exampleYaml('task-manager'));
    for (const service of model.services.filter((s) => s.runtime === 'node')) {
      const view = contractsView(model, service, nodeServiceView(model, service).clients);
      expect(lonely.some((f) => f.path.startsWith(`services/${service.name}/test/contracts/`))).toBe(view.any);
    }
  });
});
