import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSystem } from '../load.js';
import { addCall } from './add-call.js';
import { addEvent } from './add-event.js';
import { addService } from './add-service.js';
import { removeService } from './remove-service.js';
import { commented } from '../../test/support/edit/commented.js';
import type { EditResult } from './text.js';

const file = 'system.yaml';

/** Lines removed and added by the edit; every other line must be byte-identical and in place. */
function changes(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) removed.push(...lines);
    else if (part.added) added.push(...lines);
  }
  return { removed, added };
}

function ok(result: EditResult): string {
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  const loaded = loadSystem(result.text, file);
  if (!loaded.ok) throw new Error(`edited text does not load: ${JSON.stringify(loaded.diagnostics)}\n${result.text}`);
  return result.text;
}

describe('edits keep every untouched line byte-identical', () => {
  it('the fixture loads', () => {
    expect(loadSystem(commented, file).ok).toBe(true);
  });

  it('add-service appends a block after the last service and joins an existing flow team', () => {
    const text = ok(
      addService(commented, file, {
        name: 'shipping',
        runtime: 'python',
        entities: ['Shipment orderId:uuid address:string carrier:string?'],
        calls: ['order:GET /orders/{id}'],
        publishes: ['OrderPlaced'],
        subscribes: ['PaymentConfirmed'],
        team: 'checkout',
        port: 3009,
      }),
    );
    expect(changes(commented, text)).toEqual({
      removed: ['  checkout: [order, payment]   # two services'],
      added: [
        '  checkout: [order, payment, shipping]   # two services',
        '  shipping:',
        '    runtime: python',
        '    port: 3009',
        '    database: shipping',
        '    entities:',
        '      Shipment:',
        '        orderId: uuid',
        '        address: string',
        '        carrier: string?',
        '    calls:',
        '      order: ["GET /orders/{id}"]',
        '    publishes: [OrderPlaced]',
        '    subscribes: [PaymentConfirmed]',
        '',
      ],
    });
    const doc = parse(text) as { services: Record<string, unknown>; teams: Record<string, string[]> };
    expect(Object.keys(doc.services)).toEqual(['order', 'product', 'payment', 'shipping']);
    expect(doc.teams['checkout']).toEqual(['order', 'payment', 'shipping']);
  });

  it('add-service joins a block-style team, or creates the team', () => {
    const joined = ok(addService(commented, file, { name: 'reviews', team: 'catalog' }));
    expect(changes(commented, joined)).toEqual({ removed: [], added: ['    - reviews', '  reviews: {}', ''] });
    const created = ok(addService(commented, file, { name: 'reviews', team: 'social', database: 'none' }));
    expect(changes(commented, created)).toEqual({ removed: [], added: ['  social: [reviews]', '  reviews:', '    database: none', ''] });
  });

  it('add-event declares the payload in the file style and extends flow and block lists', () => {
    const text = ok(addEvent(commented, file, { name: 'OrderShipped', fields: 'orderId:uuid total:number', publishers: ['order', 'payment'], subscribers: ['product'] }));
    expect(changes(commented, text)).toEqual({
      removed: ['    publishes: [OrderPlaced]', '    subscribes: [OrderPlaced]'],
      added: ['    publishes: [OrderPlaced, OrderShipped]', '    subscribes: [OrderPlaced, OrderShipped]', '      - OrderShipped', '  OrderShipped: {orderId: uuid, total: number}'],
    });
  });

  it('add-call creates a calls map, or adds endpoints to a flow list or to endpoints:', () => {
    const created = ok(addCall(commented, file, 'payment', 'order', ['GET /orders/{id}']));
    expect(changes(commented, created)).toEqual({ removed: [], added: ['    calls:', '      order: ["GET /orders/{id}"]'] });
    const flow = ok(addCall(commented, file, 'order', 'product', ['GET /products', 'GET /products/{id}']));
    expect(changes(commented, flow)).toEqual({ removed: ["      product: ['GET /products/{id}']"], added: ["      product: ['GET /products/{id}', GET /products]"] });
    const block = ok(addCall(commented, file, 'order', 'payment', ['GET /payments/{id}']));
    expect(changes(commented, block)).toEqual({ removed: [], added: ['          - GET /payments/{id}'] });
  });

  it('remove-service --force removes the service, its calls, routes and team membership, nothing else', () => {
    const result = removeService(commented, file, 'product', { force: true });
    expect(result.ok).toBe(true);
    const text = result.ok ? result.text : '';
    expect(loadSystem(text, file).ok).toBe(true);
    expect(changes(commented, text)).toEqual({
      removed: [
        '    - path: /products',
        '      service: product',
        '  catalog:',
        '    - product',
        '      # stock checks',
        "      product: ['GET /products/{id}']",
        '  # The catalogue.',
        '  product:',
        '    database: products',
        '    entities: { Product: { sku: string, price: number } }',
        '    subscribes: [OrderPlaced]',
        '',
      ],
      added: [],
    });
  });

  it('remove-service refuses while others call the service or depend on its events', () => {
    const refused = removeService(commented, file, 'payment', { force: false });
    expect(refused).toMatchObject({ ok: false, refused: true });
    if (refused.ok) return;
    expect(refused.diagnostics.map((d) => d.message)).toEqual(["service 'order' calls 'payment'", "service 'order' subscribes to PaymentConfirmed, which only 'payment' publishes"]);
    expect(refused.diagnostics[0]).toMatchObject({ line: 40, column: 7 });
    const [subscription] = refused.diagnostics.slice(1);
    expect(commented.split('\n')[subscription!.line - 1]!.slice(subscription!.column - 1)).toBe('PaymentConfirmed');
    const forced = removeService(commented, file, 'payment', { force: true });
    expect(forced.ok).toBe(true);
    if (!forced.ok) return;
    expect(changes(commented, forced.text).added).toEqual(['  checkout: [order]   # two services']);
    // order still subscribes to PaymentConfirmed, which stays declared: the file still loads.
    expect(loadSystem(forced.text, file).ok).toBe(true);
  });

  it('chains every edit and still loads', () => {
    let text = ok(addService(commented, file, { name: 'shipping', team: 'logistics', entities: ['Shipment orderId:uuid'] }));
    text = ok(addEvent(text, file, { name: 'OrderShipped', fields: 'orderId:uuid', publishers: ['shipping'], subscribers: ['order'] }));
    text = ok(addCall(text, file, 'shipping', 'order', ['GET /orders/{id}']));
    const removed = removeService(text, file, 'shipping', { force: true });
    expect(removed.ok).toBe(true);
    if (!removed.ok) return;
    // Removing what was added gives back the original, apart from the event and the subscription.
    expect(changes(commented, removed.text)).toEqual({ removed: [], added: ['      - OrderShipped', '  OrderShipped: {orderId: uuid}'] });
  });
});

describe('edits refuse bad input with positioned diagnostics', () => {
  it.each([
    ['an invalid service name', () => addService(commented, file, { name: 'Order_Svc' }), /lower-case DNS label/],
    ['an existing service', () => addService(commented, file, { name: 'order' }), /service 'order' exists already/],
    ['a bad entity', () => addService(commented, file, { name: 'x', entities: ['order id:string'] }), /PascalCase/],
    ['a bad field type', () => addService(commented, file, { name: 'x', entities: ['Order id:strin'] }), /type 'strin'/],
    ['a bad call', () => addService(commented, file, { name: 'x', calls: ['product GET /x'] }), /SERVICE:METHOD/],
    ['an invalid event name', () => addEvent(commented, file, { name: 'order-placed', fields: 'id:uuid' }), /PascalCase/],
    ['an existing event', () => addEvent(commented, file, { name: 'OrderPlaced', fields: 'id:uuid' }), /exists already/],
    ['an unknown publisher', () => addEvent(commented, file, { name: 'X', fields: 'id:uuid', publishers: ['nope'] }), /unknown service 'nope'/],
    ['an unknown callee', () => addCall(commented, file, 'order', 'nope', ['GET /x']), /unknown service 'nope'/],
    ['a bad endpoint', () => addCall(commented, file, 'order', 'product', ['FETCH /x']), /METHOD \/path/],
    ['an existing call', () => addCall(commented, file, 'order', 'product', ['GET /products/{id}']), /already/],
    ['an unknown service to remove', () => removeService(commented, file, 'nope', { force: true }), /unknown service/],
  ])('%s', (_, run, message) => {
    const result = run();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]?.message).toMatch(message);
    expect(result.diagnostics[0]).toMatchObject({ file, line: expect.any(Number), column: expect.any(Number) });
  });
});

describe('round trip over the examples', () => {
  const root = new URL('../../examples/', import.meta.url);
  const examples = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(new URL(`${e.name}/system.yaml`, root)));
  it.each(examples.map((e) => e.name))('%s: adding then removing a service gives back the file byte for byte', (name) => {
    const original = readFileSync(new URL(`${name}/system.yaml`, root), 'utf8');
    const added = addService(original, file, { name: 'zz-added', entities: ['Thing label:string'], publishes: [], subscribes: [] });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(loadSystem(added.text, file).ok).toBe(true);
    expect(changes(original, added.text).removed).toEqual([]);
    const removed = removeService(added.text, file, 'zz-added', { force: false });
    expect(removed.ok && removed.text).toBe(original);
  });
});
