import { defineRule } from '../rule.js';

/** Names of technical layers; a service named for one is a layer, not a business capability. */
const layers = ['db', 'dao', 'data', 'repository', 'persistence', 'ui'];
const layerName = new RegExp(`(?:^|-)(${layers.join('|')})$`);

export default defineRule({
  meta: {
    id: 'layered-cut',
    description: 'A service named for a technical layer (-db, -dao, -data, -repository, -persistence, -ui).',
    rationale:
      'Splitting a system by technical layer (a UI service, a data-access service, a database service) means every feature touches every layer, so every change crosses service boundaries, needs coordinated releases and adds a network hop per layer. Microservices pay off when each one owns a business capability end to end, its data included. Cut along capabilities (orders, payments, catalog) and keep the layers inside each service.',
    defaultSeverity: 'info',
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    messages: {
      layer: "service '{{service}}' is named for a technical layer ('{{layer}}'); split services by business capability, not by layer",
    },
  },
  check({ model, report }) {
    for (const service of model.services) {
      const layer = layerName.exec(service.name)?.[1];
      if (layer === undefined) continue;
      report({ messageId: 'layer', data: { service: service.name, layer }, services: [service.name], owner: service.name, loc: service.loc });
    }
  },
});
