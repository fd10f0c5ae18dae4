import type { Endpoint, Entity, Service } from '../../model/types.js';

export type CrudKind = 'create' | 'list' | 'get' | 'update' | 'remove';

/** The CRUD operation of `callee` an endpoint names, if it names one (whether or not a handler overrides it). */
export function crudTarget(endpoint: Endpoint, callee: Service): { readonly kind: CrudKind; readonly entity: Entity } | undefined {
  for (const entity of callee.entities) {
    const path = `/${entity.resource}`;
    const item = endpoint.path !== path;
    if (item && endpoint.path.replace(/\{[^}]+\}$/, '{id}') !== `${path}/{id}`) continue;
    const kind = crudKind(endpoint.method, item);
    return kind && { kind, entity };
  }
  return undefined;
}

function crudKind(method: string, item: boolean): CrudKind | undefined {
  if (method === 'GET') return item ? 'get' : 'list';
  if (method === 'POST' && !item) return 'create';
  if (method === 'PUT' && item) return 'update';
  if (method === 'DELETE' && item) return 'remove';
  return undefined;
}
