import { describe, expect, it } from 'vitest';
import { crudKeys, crudServes, endpointKey } from './normalize.js';
import type { HttpMethod } from './types.js';
import { loadSystem } from '../load.js';

describe('crudServes', () => {
  const methods: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const paths = ['/books', '/books/{id}', '/books/{bookId}', '/books/{id}/pages', '/books/x', '/booksx', '/book', '/books/', '/authors/{id}', '/', '/books/{a}{b}'];

  it('answers as the keys of the generated CRUD do, for every method and path', () => {
    const keys = new Set(crudKeys({ resource: 'books' }));
    for (const method of methods) {
      for (const path of paths) {
        expect(crudServes({ resource: 'books' }, { method, path }), `${method} ${path}`).toBe(keys.has(endpointKey({ method, path })));
      }
    }
  });

  it('serves the collection and the item with their five methods only', () => {
    const served = methods.flatMap((method) => paths.filter((path) => crudServes({ resource: 'books' }, { method, path })).map((path) => `${method} ${path}`));
    expect(served).toEqual(['GET /books', 'GET /books/{id}', 'GET /books/{bookId}', 'POST /books', 'PUT /books/{id}', 'PUT /books/{bookId}', 'DELETE /books/{id}', 'DELETE /books/{bookId}']);
  });
});

describe('service.crud', () => {
  const model = (() => {
    const loaded = loadSystem(['version: 1', 'name: shop', 'services:', '  book:', '    entities:', '      Book: { title: string }', '  page:', '    entities:', '      Page: { text: string }', ''].join('\n'), 'system.yaml');
    if (!loaded.ok) throw new Error(loaded.diagnostics[0]!.message);
    return loaded.model;
  })();

  it("is built on first read, once, from the service's own entities", () => {
    const [book, page] = model.services;
    expect(book!.crud.map((e) => e.text)).toEqual(['POST /books', 'GET /books', 'GET /books/{id}', 'PUT /books/{id}', 'DELETE /books/{id}']);
    expect(page!.crud.map((e) => e.text)).toEqual(['POST /pages', 'GET /pages', 'GET /pages/{id}', 'PUT /pages/{id}', 'DELETE /pages/{id}']);
    expect(book!.crud).toBe(book!.crud);
    expect(Object.keys(book!)).toContain('crud');
  });

  it('is one getter shared by every service, so that services share one shape (a getter each made every service a slow dictionary object)', () => {
    const getters = model.services.map((s) => Object.getOwnPropertyDescriptor(s, 'crud')?.get);
    expect(getters[0]).toBeTypeOf('function');
    expect(getters[1]).toBe(getters[0]);
  });
});
