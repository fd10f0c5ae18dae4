import { crudServes, endpointKey } from '../../model/normalize.js';
import type { Endpoint, Service } from '../../model/types.js';
import { closest } from '../../shared/suggest.js';
import { defineRule } from '../rule.js';
import { operationalEndpoints } from '../../shared/naming.js';
import { servicesByName } from '../../model/lookup.js';

/** Up to this many endpoints the message lists them; beyond, it gives the count. */
const listLimit = 5;

export default defineRule({
  meta: {
    id: 'unknown-endpoint',
    description: 'A call to an endpoint the callee neither declares in its api nor gets from generated CRUD.',
    rationale:
      'A declared call is a contract: the caller gets a typed client for the endpoint and a contract test is generated against the callee. When the callee does not serve that endpoint the client fails with 404 at run time, the contract test can never pass, and the architecture document no longer describes the system. Fix the path or method, add the endpoint to the callee\'s api, or give the callee the entity whose CRUD serves it.',
    defaultSeverity: 'error',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      near: "'{{caller}}' calls {{endpoint}} on '{{callee}}', which does not serve it; did you mean {{near}}?",
      listed: "'{{caller}}' calls {{endpoint}} on '{{callee}}', which does not serve it; '{{callee}}' serves {{available}}",
      counted: "'{{caller}}' calls {{endpoint}} on '{{callee}}', which does not serve it; '{{callee}}' serves {{count}} other endpoints",
      none: "'{{caller}}' calls {{endpoint}} on '{{callee}}', which serves no API; declare the endpoint under its api or give it an entity",
    },
  },
  check({ model, report }) {
    const byName = servicesByName(model);
    // Keys of the declared api and operational endpoints, per callee; CRUD is matched without building keys.
    const keysOf = new Map<Service, Set<string>>();
    for (const caller of model.services) {
      for (const call of caller.calls) {
        const callee = byName.get(call.callee)!;
        for (const endpoint of call.endpoints) {
          if (callee.entities.some((entity) => crudServes(entity, endpoint))) continue;
          let keys = keysOf.get(callee);
          if (!keys) keysOf.set(callee, (keys = servedKeys(callee)));
          if (keys.has(endpointKey(endpoint))) continue;
          const served = servedEndpoints(callee);
          const edges = [{ from: caller.name, to: callee.name, kind: 'sync' as const }];
          const base = { caller: caller.name, callee: callee.name, endpoint: endpoint.text };
          const near = nearest(endpoint, served);
          const found = { services: [caller.name, callee.name], owner: caller.name, loc: endpoint.loc, edges };
          if (near !== undefined) report({ messageId: 'near', data: { ...base, near }, ...found });
          else if (served.length === 0) report({ messageId: 'none', data: base, ...found });
          else if (served.length <= listLimit) report({ messageId: 'listed', data: { ...base, available: served.map((e) => e.text).join(', ') }, ...found });
          else report({ messageId: 'counted', data: { ...base, count: served.length }, ...found });
        }
      }
    }
  },
});

/** Keys of the endpoints the service serves besides its CRUD: declared api and operational ones. */
function servedKeys(service: Service): Set<string> {
  const keys = new Set<string>(operationalEndpoints);
  for (const endpoint of service.api) keys.add(endpointKey(endpoint));
  return keys;
}

/** A served endpoint with the same method whose path is a likely typo of the called one. */
function nearest(called: Endpoint, served: readonly Endpoint[]): string | undefined {
  // Compared without parameter names, so `{id}` against `{orderId}` does not count as a difference.
  const byPath = new Map(served.filter((e) => e.method === called.method).map((e) => [pathKey(e), e.text]));
  const near = closest(pathKey(called), byPath.keys());
  return near === undefined ? undefined : byPath.get(near);
}

function pathKey(endpoint: Endpoint): string {
  return endpointKey(endpoint).slice(endpoint.method.length + 1);
}

/** Declared api first, then generated CRUD: `api` already leaves out what CRUD provides. */
function servedEndpoints(service: Service): Endpoint[] {
  return [...service.api, ...service.crud];
}
