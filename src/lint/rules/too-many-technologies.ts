import type { Service } from '../../model/types.js';
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'too-many-technologies',
    description: 'More distinct runtimes and database engines across the system than the maximum.',
    rationale:
      'Each runtime and each database engine needs its own build images, libraries, security patches, backups, monitoring and people who can debug it at night. Freedom to pick per service is a benefit of microservices, but past a handful of technologies the cost lands on every team: nobody can move between services, and shared tooling has to be written several times. Settle on a small set and make exceptions deliberately.',
    defaultSeverity: 'info',
    defaultOptions: { max: 3 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max: { type: 'integer', minimum: 1, description: 'Most distinct technologies (runtimes and database engines counted together) the system may use.' },
      },
    },
    messages: {
      tooMany: 'the system uses {{count}} technologies (max {{max}}): {{technologies}}; consider standardising',
    },
  },
  check({ model, options, report }) {
    const technologies: string[] = [];
    let culprit: Service | undefined;
    for (const service of model.services) {
      for (const technology of technologiesOf(service)) {
        if (technologies.includes(technology)) continue;
        technologies.push(technology);
        // Reported where the limit is crossed: that service is the one that made the set too large.
        if (technologies.length === options.max + 1) culprit = service;
      }
    }
    if (culprit === undefined) return;
    report({
      messageId: 'tooMany',
      data: { count: technologies.length, max: options.max, technologies: technologies.join(', ') },
      services: model.services.map((s) => s.name),
      loc: culprit.loc,
    });
  },
});

function technologiesOf(service: Service): string[] {
  return service.database ? [service.runtime, service.database.engine] : [service.runtime];
}
