import { idReverse, syncGraph, upstream } from '../../model/graph.js';
import { defineRule } from '../rule.js';

/** Dependants named in a finding (its message and its services), the rest counted: the first ten in file order. */
const listLimit = 10;

/** Flags a service whose outage breaks, through sync calls, at least `ratio` of the other services. */
export default defineRule({
  meta: {
    id: 'single-point-of-failure',
    description: 'A service that most other services depend on, directly or transitively, through sync calls.',
    rationale:
      'When a large share of the system reaches one service through synchronous calls, that service\'s outage, slow deploy or overload takes all of them down with it: the system is only as available as that one service, which defeats the point of splitting it. Make the dependants resilient to its absence (cached or replicated data kept current by events, fallbacks, circuit breakers), or run it with the redundancy such a critical service needs.',
    defaultSeverity: 'warn',
    defaultOptions: { minServices: 4, ratio: 0.5 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minServices: { type: 'integer', minimum: 2, description: 'Smallest system the rule looks at; in smaller ones everything depends on everything.' },
        ratio: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 1,
          description: 'Share of the other services that must depend on a service for it to be flagged.',
        },
      },
    },
    messages: {
      spof: "{{count}} of the {{others}} other services depend on '{{service}}' through sync calls; when it is down they fail: {{dependents}}",
    },
  },
  check({ model, options, report }) {
    const n = model.services.length;
    if (n < options.minServices) return;
    const graph = syncGraph(model);
    const { start, targets } = idReverse(graph);
    const dependentsOf = upstream(graph);
    for (let i = 0; i < n; i++) {
      const service = model.services[i]!;
      // Most services are far from the threshold: their sets are too small to reach it, so they are not counted.
      if (dependentsOf.atMost(service.name) < options.ratio * (n - 1)) continue;
      const count = dependentsOf.count(service.name);
      if (count === 0 || count < options.ratio * (n - 1)) continue;
      // In file order, as the graph's keys are; a bounded sample, as a service of a large system may have thousands.
      const sample = dependentsOf.nodes(service.name, listLimit);
      const dependents = count > listLimit ? `${sample.join(', ')} and ${count - listLimit} more` : sample.join(', ');
      // Callers in file order (ids are positions in the file), the service itself left out.
      const direct: string[] = [];
      for (let e = start[i]!; e < start[i + 1]!; e++) if (targets[e] !== i) direct.push(model.services[targets[e]!]!.name);
      report({
        messageId: 'spof',
        data: { count, others: n - 1, service: service.name, dependents },
        services: [service.name, ...sample],
        owner: service.name,
        loc: service.loc,
        edges: direct.map((from) => ({ from, to: service.name, kind: 'sync' as const })),
      });
    }
  },
});
