import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'service-without-owner',
    description: 'A service that belongs to no team while teams are declared.',
    rationale:
      'Once a system names its teams, a service missing from all of them has nobody who is paged when it fails, reviews changes to its API or decides when it can be retired. Orphaned services are the ones whose dependencies rot and whose incidents last longest. Add it to the team that runs it. Systems that declare no teams at all are not flagged.',
    defaultSeverity: 'info',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      orphan: "service '{{service}}' belongs to no team; add it to one under teams:",
    },
  },
  check({ model, report }) {
    if (model.teams.length === 0) return;
    for (const service of model.services) {
      if (service.team !== undefined) continue;
      report({ messageId: 'orphan', data: { service: service.name }, services: [service.name], owner: service.name, loc: service.loc });
    }
  },
});
