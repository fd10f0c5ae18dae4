import { asyncGraph, cycles } from '../../model/graph.js';
import type { EventRef, Service } from '../../model/types.js';
import { defineRule } from '../rule.js';

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
    messages: {
      cycle: 'events form a loop: {{path}}',
    },
  },
  check({ model, report }) {
    // Without self-edges: a service consuming its own event is an ordinary pattern (e.g. retries), and
    // cycles() would otherwise return that self-loop in place of a longer loop through the same service.
    const graph = new Map([...asyncGraph(model)].map(([from, targets]) => [from, targets.filter((to) => to !== from)]));
    const services = new Map(model.services.map((s) => [s.name, s]));
    const subscribes = (name: string, event: string): boolean => services.get(name)!.subscribes.some((s) => s.event === event);
    // The first event in `from`'s publishes list that `to` consumes: the one the edge exists for.
    const carrier = (from: Service, to: string): EventRef => from.publishes.find((p) => subscribes(to, p.event))!;
    for (const cycle of cycles(graph)) {
      const edges = cycle.map((from, i) => {
        const to = cycle[(i + 1) % cycle.length]!;
        return { from, to, kind: 'async' as const, event: carrier(services.get(from)!, to).event };
      });
      const path = cycle[0]! + edges.map((e) => ` -(${e.event})-> ${e.to}`).join('');
      const last = services.get(cycle[cycle.length - 1]!)!;
      // Point at the publication that closes the loop: the one a reader would reconsider.
      const closing = carrier(last, cycle[0]!);
      report({ messageId: 'cycle', data: { path }, services: cycle, owner: last.name, loc: closing.loc, edges });
    }
  },
});
