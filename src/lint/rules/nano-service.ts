import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'nano-service',
    description: 'A service with no entities, at most one endpoint and no events.',
    rationale:
      'A service that owns no data, serves at most one endpoint and takes part in no event flow does too little to justify its own repository, pipeline, deployment, database connection pool and on-call rota; every request that needs it pays a network hop and a new failure mode. Such services are usually a function that was split out too early. Fold it into the service that calls it or that owns the data it works on.',
    defaultSeverity: 'warn',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      nano: "service '{{service}}' owns no entities, serves {{endpoints}} and takes part in no events; consider merging it into a neighbour",
    },
  },
  check({ model, report }) {
    for (const service of model.services) {
      if (service.entities.length > 0 || service.api.length > 1) continue;
      if (service.publishes.length > 0 || service.subscribes.length > 0) continue;
      const endpoints = service.api.length === 0 ? 'no endpoint' : `only ${service.api[0]!.text}`;
      report({ messageId: 'nano', data: { service: service.name, endpoints }, services: [service.name], owner: service.name, loc: service.loc });
    }
  },
});
