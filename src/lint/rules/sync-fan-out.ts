import { syncGraph } from '../../model/graph.js';
import { defineRule } from '../rule.js';

/** Flags a service that calls more than `max` other services synchronously. */
export default defineRule({
  meta: {
    id: 'sync-fan-out',
    description: 'A service calling too many other services synchronously.',
    rationale:
      'A service that must call many others over HTTP to do its work is only as available as all of them together and as slow as the slowest: five callees at 99.9% each leave it at 99.5% at best. It also has to change whenever any of those APIs does, and it often means orchestration logic that belongs in a workflow or data that the service should keep its own copy of. Subscribe to events to keep local copies of what it reads, or split the orchestration out.',
    defaultSeverity: 'warn',
    defaultOptions: { max: 4 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max: { type: 'integer', minimum: 1, description: 'Most services one service may call synchronously.' },
      },
    },
    messages: {
      fanOut: "'{{service}}' calls {{count}} services synchronously (more than {{max}}): {{callees}}",
    },
  },
  check({ model, options, report }) {
    const graph = syncGraph(model);
    for (const service of model.services) {
      const listed = graph.get(service.name) ?? [];
      if (listed.length <= options.max) continue;
      // A self-call is sync-cycle's finding, not fan-out.
      const callees = listed.filter((c) => c !== service.name);
      if (callees.length <= options.max) continue;
      report({
        messageId: 'fanOut',
        data: { service: service.name, count: callees.length, max: options.max, callees: callees.join(', ') },
        services: [service.name, ...callees],
        owner: service.name,
        loc: service.loc,
        edges: callees.map((to) => ({ from: service.name, to, kind: 'sync' as const })),
      });
    }
  },
});
