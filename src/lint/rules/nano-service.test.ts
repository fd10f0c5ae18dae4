import rule from './nano-service.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a service with one entity and nothing else',
      yaml: `
services:
  product:
    entities: { Product: { name: string } }
`,
    },
    {
      name: 'a service with two endpoints',
      yaml: `
services:
  pricing:
    api: ['GET /prices/{sku}', POST /quotes]
`,
    },
    {
      name: 'one endpoint, but it publishes or subscribes',
      yaml: `
services:
  mailer: { api: [POST /mails], subscribes: [UserCreated] }
  signup: { api: [POST /signups], publishes: [UserCreated] }
events:
  UserCreated: { id: string }
`,
    },
  ],
  invalid: [
    {
      name: 'one endpoint and no events, and a service with nothing at all',
      yaml: `
services:
  product:
    entities: { Product: { name: string } }
  tax:
    api: [GET /tax]
    calls: { product: [GET /products] }
  empty: {}
`,
      findings: [
        { line: 5, column: 3, services: ['tax'], message: "service 'tax' owns no entities, serves only GET /tax and takes part in no events" },
        { line: 8, column: 3, services: ['empty'], message: 'serves no endpoint' },
      ],
    },
  ],
});
