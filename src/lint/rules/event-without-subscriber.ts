import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'event-without-subscriber',
    description: 'An event that is published but that no service subscribes to.',
    rationale:
      'An event nobody consumes is work with no effect: the publisher pays for the outbox, the broker keeps a topic or queue, the AsyncAPI document promises a flow that does not exist, and the reader of system.yaml is left guessing whether a subscriber was forgotten. Either add the service that should react to it, or stop publishing it.',
    defaultSeverity: 'warn',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      unheard: "'{{service}}' publishes {{event}} but no service subscribes to it",
    },
  },
  check({ model, report }) {
    const subscribed = new Set(model.events.filter((e) => e.subscribers.length > 0).map((e) => e.name));
    for (const service of model.services) {
      for (const ref of service.publishes) {
        if (subscribed.has(ref.event)) continue;
        report({ messageId: 'unheard', data: { service: service.name, event: ref.event }, services: [service.name], owner: service.name, loc: ref.loc });
      }
    }
  },
});
