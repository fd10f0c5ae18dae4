import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'mega-service',
    description: 'A service with more entities or more declared api endpoints than a service should hold.',
    rationale:
      'A service that owns many entities or serves many endpoints has usually absorbed several business capabilities: it is changed by several teams, released for unrelated reasons, and its database becomes the integration point the split was meant to remove. Look for groups of entities and endpoints that change together and split them along those lines. Only endpoints declared under api are counted; the CRUD generated for each entity is already accounted for by the entity limit.',
    defaultSeverity: 'warn',
    defaultOptions: { maxEntities: 10, maxEndpoints: 40 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxEntities: { type: 'integer', minimum: 1, description: 'Most entities one service may own.' },
        maxEndpoints: { type: 'integer', minimum: 1, description: 'Most endpoints one service may declare under api (generated CRUD not counted).' },
      },
    },
    messages: {
      entities: "service '{{service}}' owns {{entities}} entities (max {{maxEntities}}); consider splitting it",
      endpoints: "service '{{service}}' declares {{endpoints}} api endpoints (max {{maxEndpoints}}); consider splitting it",
      both: "service '{{service}}' owns {{entities}} entities (max {{maxEntities}}) and declares {{endpoints}} api endpoints (max {{maxEndpoints}}); consider splitting it",
    },
  },
  check({ model, options, report }) {
    const { maxEntities, maxEndpoints } = options;
    for (const service of model.services) {
      const entities = service.entities.length;
      const endpoints = service.api.length;
      const tooManyEntities = entities > maxEntities;
      const tooManyEndpoints = endpoints > maxEndpoints;
      if (!tooManyEntities && !tooManyEndpoints) continue;
      const messageId = tooManyEntities && tooManyEndpoints ? 'both' : tooManyEntities ? 'entities' : 'endpoints';
      report({
        messageId,
        data: { service: service.name, entities, maxEntities, endpoints, maxEndpoints },
        services: [service.name],
        owner: service.name,
        loc: service.loc,
      });
    }
  },
});
