import rule from './missing-gateway.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'services with an API behind a gateway',
      yaml: `
gateway: { port: 8080 }
services:
  order: { api: [POST /orders] }
  product:
    entities: { Product: { name: string } }
`,
    },
    {
      name: 'only one service exposes an API; the others only call or listen',
      yaml: `
services:
  worker:
    calls: { order: [POST /orders] }
  order: { api: [POST /orders], publishes: [OrderPlaced] }
  mailer: { subscribes: [OrderPlaced] }
events:
  OrderPlaced: { id: string }
`,
    },
  ],
  invalid: [
    {
      name: 'declared api and CRUD both count as an API',
      yaml: `
services:
  mailer: {}
  order:
    api: [POST /orders]
  product:
    entities: { Product: { name: string } }
`,
      findings: [{ line: 4, column: 3, services: ['order', 'product'], message: '2 services expose an API (order, product) but the system has no gateway' }],
    },
  ],
});
