import { asyncGraph, reverse, syncGraph } from '../../model/graph.js';
import { defineRule } from '../rule.js';
import { serviceIndex } from '../../model/lookup.js';

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
    const [callersOf, calleesOf, sourcesOf, consumersOf] = [reverse(sync), sync, reverse(async), async];
    const order = serviceIndex(model);
    // A service is not its own neighbour: self-calls and self-consumed events are other rules' business.
    const others = (list: readonly string[], name: string): number => list.length - (list.includes(name) ? 1 : 0);
    // Neighbours in file order, without repeats: marked per service, then sorted as indices.
    const mark = new Int32Array(model.services.length).fill(-1);
    for (let i = 0; i < model.services.length; i++) {
      const service = model.services[i]!;
      const name = service.name;
      const lists = [callersOf.get(name) ?? [], calleesOf.get(name) ?? [], sourcesOf.get(name) ?? [], consumersOf.get(name) ?? []] as const;
      const callers = others(lists[0], name);
      const callees = others(lists[1], name);
      const sources = others(lists[2], name);
      const consumers = others(lists[3], name);
      const degree = callers + callees + sources + consumers;
      if (degree < options.threshold) continue;
      const neighbours: number[] = [];
      mark[i] = i;
      for (const list of lists) {
        for (const n of list) {
          const j = order.get(n)!;
          if (mark[j] === i) continue;
          mark[j] = i;
          neighbours.push(j);
        }
      }
      const sorted = Int32Array.from(neighbours).sort();
      const names = [name];
      for (const j of sorted) names.push(model.services[j]!.name);
      report({
        messageId: 'hub',
        data: { service: name, degree, threshold: options.threshold, callers, callees, sources, consumers },
        services: names,
        owner: service.name,
        loc: service.loc,
      });
    }
  },
});
