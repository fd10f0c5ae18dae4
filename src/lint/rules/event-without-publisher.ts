import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'event-without-publisher',
    description: 'An event that a service subscribes to but that no service publishes.',
    rationale:
      'A subscriber waiting for an event nobody publishes never runs: the flow it belongs to silently stops at that point, and because the generated consumer starts and stays healthy nothing will say so in production. This is usually a renamed or forgotten event. Publish it from the service that owns the change, or remove the subscription.',
    defaultSeverity: 'error',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      orphan: "'{{service}}' subscribes to {{event}} but no service publishes it",
    },
  },
  check({ model, report }) {
    const published = new Set(model.events.filter((e) => e.publishers.length > 0).map((e) => e.name));
    for (const service of model.services) {
      for (const ref of service.subscribes) {
        if (published.has(ref.event)) continue;
        report({ messageId: 'orphan', data: { service: service.name, event: ref.event }, services: [service.name], owner: service.name, loc: ref.loc });
      }
    }
  },
});
