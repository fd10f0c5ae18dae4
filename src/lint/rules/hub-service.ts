import { asyncGraph, idGraph, idReverse, syncGraph, type IdGraph } from '../../model/graph.js';
import { defineRule } from '../rule.js';

/** Flags a service connected, by sync calls and events in either direction, to `threshold` or more services. */
export default defineRule({
  meta: {
    id: 'hub-service',
    description: 'A service connected to too many others by sync calls and events.',
    rationale:
      'A service that calls, is called by, listens to and is listened to by a large share of the system has become its centre: most changes touch it, its team becomes a bottleneck, its releases need the most coordination and its outages spread the furthest. Hubs usually own too many responsibilities or sit between services that should talk to the owner of the data directly. Split it along its responsibilities, or move behaviour to the services that own the data.',
    defaultSeverity: 'warn',
    defaultOptions: { threshold: 8 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        threshold: {
          type: 'integer',
          minimum: 1,
          description: 'Connections at which a service counts as a hub: sync callers + sync callees + services whose events it consumes + services consuming its events.',
        },
      },
    },
    messages: {
      hub: "'{{service}}' has {{degree}} connections (threshold {{threshold}}): sync callers {{callers}}, sync callees {{callees}}, event sources {{sources}}, event consumers {{consumers}}",
    },
  },
  check({ model, options, report }) {
    const sync = syncGraph(model);
    const async = asyncGraph(model);
    // On ids, which are the services' positions in the file (the graphs' keys are the services in file order).
    const lists = [idReverse(sync), idGraph(sync), idReverse(async), idGraph(async)] as const;
    // A service is not its own neighbour: self-calls and self-consumed events are other rules' business.
    const others = ({ start, targets }: IdGraph, i: number): number => {
      let count = 0;
      for (let e = start[i]!; e < start[i + 1]!; e++) if (targets[e] !== i) count++;
      return count;
    };
    // Neighbours in file order, without repeats: marked per service, then sorted.
    const mark = new Int32Array(model.services.length).fill(-1);
    for (let i = 0; i < model.services.length; i++) {
      const callers = others(lists[0], i);
      const callees = others(lists[1], i);
      const sources = others(lists[2], i);
      const consumers = others(lists[3], i);
      const degree = callers + callees + sources + consumers;
      if (degree < options.threshold) continue;
      const service = model.services[i]!;
      const neighbours: number[] = [];
      mark[i] = i;
      for (const { start, targets } of lists) {
        for (let e = start[i]!; e < start[i + 1]!; e++) {
          const j = targets[e]!;
          if (mark[j] === i) continue;
          mark[j] = i;
          neighbours.push(j);
        }
      }
      const sorted = Int32Array.from(neighbours).sort();
      const names = [service.name];
      for (const j of sorted) names.push(model.services[j]!.name);
      report({
        messageId: 'hub',
        data: { service: service.name, degree, threshold: options.threshold, callers, callees, sources, consumers },
        services: names,
        owner: service.name,
        loc: service.loc,
      });
    }
  },
});
