import { expect, it } from 'vitest';
import rule from './sync-fan-out.js';
import { ruleTests, runRule } from '../../../test/support/lint/rule-tester.js';

const fiveCallees = `
services:
  checkout:
    calls:
      user: [GET /u]
      cart: [GET /c]
      price: [GET /p]
      stock: [GET /s]
      payment: [POST /pay]
  user: {}
  cart: {}
  price: {}
  stock: {}
  payment: {}
`;

ruleTests(rule, {
  valid: [
    {
      name: 'exactly 4 callees',
      yaml: `
services:
  checkout: { calls: { user: [GET /u], cart: [GET /c], price: [GET /p], stock: [GET /s] } }
  user: {}
  cart: {}
  price: {}
  stock: {}
`,
    },
    {
      name: 'a self-call is not a callee',
      yaml: `
services:
  checkout: { calls: { checkout: [GET /x], user: [GET /u], cart: [GET /c], price: [GET /p], stock: [GET /s] } }
  user: {}
  cart: {}
  price: {}
  stock: {}
`,
    },
    {
      name: 'many events published, few calls',
      yaml: `
services:
  checkout: { publishes: [A, B, C, D, E] }
events:
  A: { id: string }
  B: { id: string }
  C: { id: string }
  D: { id: string }
  E: { id: string }
`,
    },
    {
      name: '5 callees when max is 5',
      yaml: `${fiveCallees}lint: { rules: { sync-fan-out: [warn, { max: 5 }] } }\n`,
    },
  ],
  invalid: [
    {
      name: '5 callees, reported at the service',
      yaml: fiveCallees,
      findings: [
        {
          line: 3,
          column: 3,
          services: ['checkout', 'user', 'cart', 'price', 'stock', 'payment'],
          message: "'checkout' calls 5 services synchronously (more than 4): user, cart, price, stock, payment",
        },
      ],
    },
    {
      name: '2 callees when max is 1',
      yaml: `
services:
  a: {}
  b: { calls: { c: [GET /c], a: [GET /a] } }
  c: { calls: { a: [GET /a] } }
lint: { rules: { sync-fan-out: [warn, { max: 1 }] } }
`,
      findings: [{ line: 4, column: 3, services: ['b', 'c', 'a'], message: "'b' calls 2 services synchronously (more than 1): c, a" }],
    },
  ],
});

it('sync-fan-out marks the edge to every callee', () => {
  const [finding] = runRule(rule, fiveCallees);
  expect(finding?.edges.map((e) => `${e.from}->${e.to}:${e.kind}`)).toEqual(['checkout->user:sync', 'checkout->cart:sync', 'checkout->price:sync', 'checkout->stock:sync', 'checkout->payment:sync']);
});
