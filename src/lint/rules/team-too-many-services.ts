import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'team-too-many-services',
    description: 'A team that owns more services than it can reasonably run.',
    rationale:
      'Every service is a deployable, an on-call surface, a pipeline and a set of dependencies to keep current. A team that owns many of them spends its time operating rather than building, and the services it owns tend to be changed and released together, which makes them a distributed monolith in all but name. Merge services that always change together, or hand some to another team.',
    defaultSeverity: 'warn',
    defaultOptions: { max: 3 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max: { type: 'integer', minimum: 1, description: 'Most services one team may own.' },
      },
    },
    messages: {
      tooMany: "team '{{team}}' owns {{count}} services (max {{max}}): {{services}}",
    },
  },
  check({ model, options, report }) {
    for (const team of model.teams) {
      if (team.services.length <= options.max) continue;
      report({
        messageId: 'tooMany',
        data: { team: team.name, count: team.services.length, max: options.max, services: team.services.join(', ') },
        services: team.services,
        loc: team.loc,
      });
    }
  },
});
