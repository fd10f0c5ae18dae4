import { longestPaths, reverse, syncGraph } from '../../model/graph.js';
import { defineRule } from '../rule.js';

/** Flags sync call chains longer than `max` calls, once per service that starts them. */
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
    const callers = reverse(graph);
    const paths = longestPaths(graph);
    for (const service of model.services) {
      // Only chains from services nobody calls: a chain from a callee is a tail of its caller's chain.
      if ((callers.get(service.name) ?? []).some((caller) => caller !== service.name)) continue;
      const path = paths.get(service.name) ?? [service.name];
      const length = path.length - 1;
      if (length <= options.max) continue;
      const first = service.calls.find((c) => c.callee === path[1])!;
      const edges = path.slice(1).map((to, i) => ({ from: path[i]!, to, kind: 'sync' as const }));
      report({ messageId: 'chain', data: { length, max: options.max, path: path.join(' → ') }, services: path, owner: service.name, loc: first.loc, edges });
    }
  },
});
