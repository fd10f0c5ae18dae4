import { describe, expect, it } from 'vitest';
import { crudKeys, crudServes, endpointKey } from './normalize.js';
import type { HttpMethod } from './types.js';

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
