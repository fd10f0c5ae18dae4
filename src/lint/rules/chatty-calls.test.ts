import rule from './chatty-calls.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

const fiveEndpoints = `
services:
  order:
    calls:
      product:
        - GET /products
        - 'GET /products/{id}'
        - POST /products
        - 'PUT /products/{id}'
        - 'DELETE /products/{id}'
  product: {}
`;

ruleTests(rule, {
  valid: [
    {
      name: 'exactly 4 endpoints of one callee',
      yaml: `
services:
  order:
    calls: { product: [GET /products, 'GET /products/{id}', POST /products, 'PUT /products/{id}'] }
  product: {}
`,
    },
    {
      name: 'one endpoint written with two parameter names counts once',
      yaml: `
services:
  order:
    calls:
      product:
        - GET /products
        - 'GET /products/{id}'
        - 'GET /products/{productId}'
        - POST /products
        - 'PUT /products/{id}'
  product: {}
`,
    },
    {
      name: 'many endpoints spread over several callees',
      yaml: `
services:
  order:
    calls:
      product: [GET /a, GET /b, GET /c]
      payment: [GET /a, GET /b, GET /c]
      user: [GET /a, GET /b, GET /c]
  product: {}
  payment: {}
  user: {}
`,
    },
    {
      name: '5 endpoints when max is 5',
      yaml: `${fiveEndpoints}lint: { rules: { chatty-calls: [warn, { max: 5 }] } }\n`,
    },
  ],
  invalid: [
    {
      name: '5 endpoints of one callee, reported at the call',
      yaml: fiveEndpoints,
      findings: [{ line: 5, column: 7, services: ['order', 'product'], message: "'order' calls 5 different endpoints of 'product' (more than 4)" }],
    },
    {
      name: 'one method more on the same path is another endpoint; long form; only the chatty call is flagged',
      yaml: `
services:
  order:
    calls:
      user: [GET /users]
      product:
        endpoints: [GET /products, 'GET /products/{id}', POST /products, 'PUT /products/{id}', 'PATCH /products/{id}']
        timeoutMs: 500
  product: {}
  user: {}
`,
      findings: [{ line: 6, column: 7, services: ['order', 'product'], message: 'calls 5 different endpoints' }],
    },
    {
      name: '3 endpoints when max is 2',
      yaml: `
services:
  cart: { calls: { order: [GET /a, GET /b, GET /c] } }
  order: {}
lint: { rules: { chatty-calls: [warn, { max: 2 }] } }
`,
      findings: [{ line: 3, column: 20, services: ['cart', 'order'], message: "'cart' calls 3 different endpoints of 'order' (more than 2)" }],
    },
  ],
});
