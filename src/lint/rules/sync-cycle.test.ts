import rule from './sync-cycle.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a chain of calls without a loop',
      yaml: `
services:
  order:
    calls: { product: ['GET /products/{id}'] }
  product:
    entities: { Product: { name: string } }
    calls: { price: ['GET /prices/{id}'] }
  price:
    entities: { Price: { amount: number } }
`,
    },
    {
      name: 'services that notify each other only through events',
      yaml: `
services:
  order: { publishes: [OrderPlaced], subscribes: [PaymentDone] }
  payment: { publishes: [PaymentDone], subscribes: [OrderPlaced] }
events:
  OrderPlaced: { id: string }
  PaymentDone: { id: string }
`,
    },
  ],
  invalid: [
    {
      name: 'two services calling each other',
      yaml: `
services:
  order:
    calls: { payment: [POST /payments] }
  payment:
    calls: { order: ['GET /orders/{id}'] }
`,
      findings: [{ line: 6, column: 14, services: ['order', 'payment'], message: 'order → payment → order' }],
    },
    {
      name: 'a three-service loop, reported once in call order',
      yaml: `
services:
  a:
    calls:
      b: [GET /x]
  b:
    calls:
      c: [GET /x]
  c:
    calls:
      a: [GET /x]
`,
      findings: [{ line: 11, column: 7, services: ['a', 'b', 'c'], message: 'a → b → c → a' }],
    },
    {
      name: 'a service calling itself',
      yaml: `
services:
  order:
    calls: { order: ['GET /orders/{id}'] }
    entities: { Order: { total: number } }
`,
      findings: [{ line: 4, column: 14, services: ['order'], message: "'order' calls itself" }],
    },
  ],
});
