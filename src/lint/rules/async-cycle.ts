import { asyncGraph, tangles } from '../../model/graph.js';
import type { EventRef, Service } from '../../model/types.js';
import { loopMessages, loopReports, loopsCounted } from '../loops.js';
import { defineRule } from '../rule.js';
import { servicesByName } from '../../model/lookup.js';

/** Flags services that trigger each other through events in a loop of two or more. */
export default defineRule({
  meta: {
    id: 'async-cycle',
    description: 'Services that trigger each other through events in a loop.',
    rationale:
      'When A publishes an event that makes B publish an event that A consumes, the services are decoupled in time but not in design: a change to either event ripples around the loop, a bug can make the loop fire forever and flood the broker, and nobody can reason about one service without the others. Sometimes the loop is a deliberate saga; then make sure each step ends it, and silence this finding with the reason. Otherwise, let one service own the whole process or make one direction a plain reply.',
    defaultSeverity: 'warn',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: loopMessages('events form a loop: {{path}}'),
  },
  check({ model, report }) {
    // A service consuming its own event is an ordinary pattern (e.g. retries), not a loop between services;
    // tangles() leaves self-edges out.
    const graph = asyncGraph(model);
    const services = servicesByName(model);
    const subscribes = (name: string, event: string): boolean => services.get(name)!.subscribes.some((s) => s.event === event);
    // The first event in `from`'s publishes list that `to` consumes: the one the edge exists for.
    const carrier = (from: Service, to: string): EventRef => from.publishes.find((p) => subscribes(to, p.event))!;
    for (const tangle of tangles(graph, loopsCounted)) {
      for (const { loop, messageId, data, services: named } of loopReports(tangle)) {
        const edges = loop.map((from, i) => {
          const to = loop[(i + 1) % loop.length]!;
          return { from, to, kind: 'async' as const, event: carrier(services.get(from)!, to).event };
        });
        const path = loop[0]! + edges.map((e) => ` -(${e.event})-> ${e.to}`).join('');
        const last = services.get(loop[loop.length - 1]!)!;
        // Point at the publication that closes the loop: the one a reader would reconsider.
        const closing = carrier(last, loop[0]!);
        report({ messageId, data: { ...data, path }, services: named, owner: last.name, loc: closing.loc, edges });
      }
    }
  },
});
