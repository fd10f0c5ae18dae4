import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'missing-gateway',
    description: 'Two or more services expose an API and the system has no gateway.',
    rationale:
      'Without a single entry point every client must know where each service lives, and authentication, rate limiting, CORS and correlation ids are implemented (or forgotten) once per service. Moving an endpoint from one service to another then breaks clients, so the split can no longer change. Declare a gateway: it routes each service under one public address and applies those policies in one place.',
    defaultSeverity: 'warn',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      missing: '{{count}} services expose an API ({{services}}) but the system has no gateway; declare one under gateway:',
    },
  },
  check({ model, report }) {
    if (model.gateway) return;
    // Generated CRUD is an API as much as declared endpoints are.
    const exposing = model.services.filter((s) => s.api.length > 0 || s.entities.length > 0);
    if (exposing.length < 2) return;
    const services = exposing.map((s) => s.name);
    report({ messageId: 'missing', data: { count: services.length, services: services.join(', ') }, services, loc: exposing[0]!.loc });
  },
});
