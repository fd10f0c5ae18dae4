import { cycles, syncGraph } from '../../model/graph.js';
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'sync-cycle',
    description: 'Services that call each other synchronously in a loop.',
    rationale:
      'When A calls B and B (directly or through others) calls A over HTTP, none of them can be deployed, scaled or taken down on its own, one slow service stalls the whole loop, and a retry storm can circle forever. That is a distributed monolith. Break the loop: let one side react to an event instead, or move the shared behaviour into the service that owns the data.',
    defaultSeverity: 'error',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      cycle: 'sync calls form a cycle: {{path}}',
      self: "service '{{service}}' calls itself over HTTP",
    },
  },
  check({ model, report }) {
    const graph = syncGraph(model);
    const services = new Map(model.services.map((s) => [s.name, s]));
    for (const cycle of cycles(graph)) {
      const last = cycle[cycle.length - 1]!;
      const first = cycle[0]!;
      // Point at the call that closes the loop: the one a reader would remove.
      const closing = services.get(last)!.calls.find((c) => c.callee === first)!;
      const edges = cycle.map((from, i) => ({ from, to: cycle[(i + 1) % cycle.length]!, kind: 'sync' as const }));
      if (cycle.length === 1) {
        report({ messageId: 'self', data: { service: first }, services: cycle, owner: first, loc: closing.loc, edges });
      } else {
        report({ messageId: 'cycle', data: { path: [...cycle, first].join(' → ') }, services: cycle, owner: last, loc: closing.loc, edges });
      }
    }
  },
});
