import { selfLoops, syncGraph, tangles } from '../../model/graph.js';
import { loopMessages, loopReports, loopsCounted } from '../loops.js';
import { defineRule } from '../rule.js';
import { servicesByName } from '../../model/lookup.js';

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
      ...loopMessages('sync calls form a cycle: {{path}}'),
      self: "service '{{service}}' calls itself over HTTP",
    },
  },
  check({ model, report }) {
    const graph = syncGraph(model);
    const services = servicesByName(model);
    const call = (from: string, to: string) => services.get(from)!.calls.find((c) => c.callee === to)!;
    for (const name of selfLoops(graph)) {
      const edges = [{ from: name, to: name, kind: 'sync' as const }];
      report({ messageId: 'self', data: { service: name }, services: [name], owner: name, loc: call(name, name).loc, edges });
    }
    // Every loop of every tangle (up to a cap), each at the call that closes it: the one a reader would remove.
    for (const tangle of tangles(graph, loopsCounted)) {
      for (const { loop, messageId, data, services: named } of loopReports(tangle)) {
        const first = loop[0]!;
        const last = loop[loop.length - 1]!;
        const edges = loop.map((from, i) => ({ from, to: loop[(i + 1) % loop.length]!, kind: 'sync' as const }));
        const path = [...loop, first].join(' → ');
        report({ messageId, data: { ...data, path }, services: named, owner: last, loc: call(last, first).loc, edges });
      }
    }
  },
});
