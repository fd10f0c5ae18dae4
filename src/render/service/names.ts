import type { Endpoint } from '../../model/types.js';
import { kebab } from '../../shared/naming.js';

/** `order-lines` -> `orderLines`. */
export function camel(kebabName: string): string {
  return kebabName.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export { snake, sqlName } from '../migrations/sql.js';

/**
 * The operation name of an endpoint, unique within a service:
 * `POST /orders/{id}/cancel` -> `post-orders-by-id-cancel`.
 */
export function operationName(endpoint: Pick<Endpoint, 'method' | 'path'>): string {
  const segments = endpoint.path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith('{') ? `by-${kebab(s.slice(1, -1))}` : kebab(s)));
  return [endpoint.method.toLowerCase(), ...segments].join('-').replace(/[^a-z0-9-]/g, '-');
}

/** Parameter names of a path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** `id` and `...Id` path parameters are UUIDs, as every entity id is. */
export const isIdParam = (name: string): boolean => name === 'id' || name.endsWith('Id');
