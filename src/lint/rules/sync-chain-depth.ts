import { longestPaths, rootComponents, syncGraph } from '../../model/graph.js';
import { defineRule } from '../rule.js';

/**
 * Flags sync call chains longer than `max` calls, once per group of services
 * that starts them: a service nobody else calls, or the services of a sync
 * cycle nobody outside it calls (there, the member with the longest chain).
 * Chains may run through cycles, along simple paths (see `longestPaths`).
 */
export default defineRule({
  meta: {
    id: 'sync-chain-depth',
    description: 'A chain of synchronous calls longer than the configured maximum.',
    rationale:
      'Every synchronous hop adds its latency, its timeout and its failure rate to the request that started the chain: a user request that crosses five services waits for all five and fails when any of them fails, and timeouts deep in the chain must be tuned shorter than those above them. Long chains also mean one feature is spread over many services that must change together. Shorten the chain: let the first service own the data it needs (kept current by events), or answer early and finish the work asynchronously.',
    defaultSeverity: 'warn',
    defaultOptions: { max: 3 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max: { type: 'integer', minimum: 1, description: 'Most sync calls (edges) a chain may have.' },
      },
    },
    messages: {
      chain: 'sync call chain of {{length}} calls is longer than {{max}}: {{path}}',
    },
  },
  check({ model, options, report }) {
    const graph = syncGraph(model);
    const paths = longestPaths(graph);
    // A chain from a called component is a tail of its caller's chain: start only from root components,
    // from the member with the longest chain (ties: the first in file order).
    const starts = new Set<string>();
    for (const members of rootComponents(graph)) {
      starts.add(members.reduce((best, m) => (paths.length(m) > paths.length(best) ? m : best)));
    }
    for (const service of model.services) {
      if (!starts.has(service.name)) continue;
      const length = paths.length(service.name);
      if (length <= options.max) continue;
      const path = paths.path(service.name);
      const first = service.calls.find((c) => c.callee === path[1])!;
      const edges = path.slice(1).map((to, i) => ({ from: path[i]!, to, kind: 'sync' as const }));
      report({ messageId: 'chain', data: { length, max: options.max, path: path.join(' → ') }, services: path, owner: service.name, loc: first.loc, edges });
    }
  },
});
