import rule from './team-too-many-services.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a team with exactly the maximum of three services',
      yaml: `
teams:
  checkout: [cart, order, payment]
  catalog: [product]
services:
  cart: {}
  order: {}
  payment: {}
  product: {}
`,
    },
    {
      name: 'a raised maximum',
      yaml: `
teams:
  core: [a, b, c, d]
services:
  a: {}
  b: {}
  c: {}
  d: {}
lint:
  rules:
    team-too-many-services: [warn, { max: 4 }]
`,
    },
  ],
  invalid: [
    {
      name: 'a team one service over the default maximum',
      yaml: `
teams:
  catalog: [product]
  checkout:
    - cart
    - order
    - payment
    - invoice
services:
  cart: {}
  order: {}
  payment: {}
  invoice: {}
  product: {}
`,
      findings: [{ line: 4, column: 3, services: ['cart', 'order', 'payment', 'invoice'], message: "team 'checkout' owns 4 services (max 3): cart, order, payment, invoice" }],
    },
    {
      name: 'a lowered maximum, configured as error',
      severity: 'error',
      yaml: `
teams:
  core: [a, b]
  edge: [c]
services:
  a: {}
  b: {}
  c: {}
lint:
  rules:
    team-too-many-services: [error, { max: 1 }]
`,
      findings: [{ line: 3, column: 3, services: ['a', 'b'], message: '(max 1)' }],
    },
  ],
});
