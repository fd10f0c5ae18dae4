import rule from './unknown-endpoint.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'calls to declared api and to generated CRUD, with other parameter names',
      yaml: `
services:
  order:
    calls:
      product: ['GET /products/{productId}', POST /products/reserve, 'DELETE /products/{x}']
  product:
    entities: { Product: { name: string } }
    api: [POST /products/reserve]
`,
    },
    {
      name: 'calls to the endpoints every service serves',
      yaml: `
services:
  monitor:
    calls: { order: [GET /health, GET /ready, GET /metrics, GET /openapi.json] }
  order: {}
`,
    },
    {
      name: 'an api endpoint that duplicates CRUD is still served',
      yaml: `
services:
  order:
    calls: { product: [GET /products] }
  product:
    entities: { Product: { name: string } }
    api: [GET /products]
`,
    },
  ],
  invalid: [
    {
      name: 'a typo of a served endpoint gets a suggestion',
      yaml: `
services:
  order:
    calls:
      product: ['GET /product/{id}']
  product:
    entities: { Product: { name: string } }
`,
      findings: [
        { line: 5, column: 17, services: ['order', 'product'], message: "'order' calls GET /product/{id} on 'product', which does not serve it; did you mean GET /products/{id}?" },
      ],
    },
    {
      name: 'the wrong method lists what the callee serves, one finding per endpoint',
      yaml: `
services:
  order:
    calls:
      payment:
        endpoints: [PATCH /payments, 'GET /payments/{id}', DELETE /refunds]
        timeoutMs: 500
  payment:
    api: [POST /payments, 'GET /payments/{id}', POST /refunds]
`,
      findings: [
        { line: 6, column: 21, services: ['order', 'payment'], message: "'payment' serves POST /payments, GET /payments/{id}, POST /refunds" },
        { line: 6, column: 60, services: ['order', 'payment'], message: "'order' calls DELETE /refunds on 'payment'" },
      ],
    },
    {
      name: 'a callee with more than five endpoints is summarised by count',
      yaml: `
services:
  search:
    calls:
      catalog:
        - GET /stock
  catalog:
    entities: { Item: { name: string } }
    api: [GET /reports]
`,
      findings: [{ line: 6, column: 11, services: ['search', 'catalog'], message: "'catalog' serves 6 other endpoints" }],
    },
    {
      name: 'a callee without any API',
      yaml: `
services:
  order:
    calls: { mailer: [POST /mails] }
  mailer: {}
`,
      findings: [{ line: 4, column: 23, services: ['order', 'mailer'], message: "'mailer', which serves no API" }],
    },
  ],
});
