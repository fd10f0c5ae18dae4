import { defineRule } from '../rule.js';
import { servicesByName } from '../../model/lookup.js';

export default defineRule({
  meta: {
    id: 'shared-database',
    description: 'One database named by two or more services.',
    rationale:
      'A service that shares its database with another no longer owns its data: a schema change in one breaks the other, both must be deployed together, and the coupling is invisible to the API contracts. Give each service its own database and share data through its API or through events.',
    defaultSeverity: 'error',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      shared: "database '{{database}}' is shared by {{services}}; each service should own its data",
    },
  },
  check({ model, report }) {
    const owners = new Map<string, string[]>();
    for (const service of model.services) {
      if (!service.database) continue;
      const list = owners.get(service.database.name) ?? [];
      list.push(service.name);
      owners.set(service.database.name, list);
    }
    const byName = servicesByName(model);
    for (const [database, services] of owners) {
      if (services.length < 2) continue;
      // Reported where the second service claims the database: that is where sharing starts.
      const second = byName.get(services[1]!)!;
      report({ messageId: 'shared', data: { database, services: services.join(', ') }, services, owner: second.name, loc: second.database!.loc });
    }
  },
});
