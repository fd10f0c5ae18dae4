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
      name: 'a service called back by both of its callees: two loops, both named, every member in each',
      yaml: `
services:
  a:
    calls:
      b: [GET /x]
      c: [GET /x]
  b:
    calls:
      a: [GET /x]
  c:
    calls:
      a: [GET /x]
`,
      findings: [
        { line: 9, column: 7, services: ['a', 'b', 'c'], message: 'sync calls form a cycle: a → b → a (loop 1 of 2 in the tangle of a, b, c)' },
        { line: 12, column: 7, services: ['a', 'c', 'b'], message: 'sync calls form a cycle: a → c → a (loop 2 of 2 in the tangle of a, b, c)' },
      ],
    },
    {
      name: 'loops of different lengths in one tangle, shortest first',
      yaml: `
services:
  a: { calls: { b: [GET /x] } }
  b: { calls: { c: [GET /x], a: [GET /x] } }
  c: { calls: { a: [GET /x] } }
`,
      findings: [
        { line: 4, column: 30, services: ['a', 'b', 'c'], message: 'a → b → a (loop 1 of 2 in the tangle of a, b, c)' },
        { line: 5, column: 17, services: ['a', 'b', 'c'], message: 'a → b → c → a (loop 2 of 2 in the tangle of a, b, c)' },
      ],
    },
    {
      name: 'a tangle transcribed from a public train-ticket system: seat calls back both travel services',
      yaml: `
services:
  travel:
    calls:
      ticketinfo: [GET /x]
      route: [GET /x]
      train: [GET /x]
      seat: [GET /x]
      order: [GET /x]
  travel2:
    calls:
      ticketinfo: [GET /x]
      route: [GET /x]
      seat: [GET /x]
      order-other: [GET /x]
  seat:
    calls:
      order: [GET /x]
      order-other: [GET /x]
      config: [GET /x]
      travel: [GET /x]
      travel2: [GET /x]
  ticketinfo: { calls: { basic: [GET /x] } }
  basic:
    calls:
      station: [GET /x]
      train: [GET /x]
      route: [GET /x]
      price: [GET /x]
  order: { calls: { station: [GET /x] } }
  order-other: { calls: { station: [GET /x] } }
  station: {}
  train: {}
  route: {}
  price: {}
  config: {}
  preserve:
    calls:
      travel: [GET /x]
      order: [GET /x]
      seat: [GET /x]
      security: [GET /x]
      food: [GET /x]
  security:
    calls:
      order: [GET /x]
      order-other: [GET /x]
  food: { calls: { travel: [GET /x], station: [GET /x] } }
  inside-payment:
    calls:
      order: [GET /x]
      order-other: [GET /x]
      payment: [GET /x]
  payment: {}
  cancel:
    calls:
      order: [GET /x]
      order-other: [GET /x]
      inside-payment: [GET /x]
      notification: [GET /x]
  notification: {}
  rebook:
    calls:
      travel: [GET /x]
      travel2: [GET /x]
      order: [GET /x]
      order-other: [GET /x]
      seat: [GET /x]
      inside-payment: [GET /x]
  route-plan:
    calls:
      travel: [GET /x]
      travel2: [GET /x]
      route: [GET /x]
      station: [GET /x]
  travel-plan:
    calls:
      route-plan: [GET /x]
      travel: [GET /x]
      seat: [GET /x]
      train: [GET /x]
`,
      findings: [
        { line: 21, column: 7, services: ['travel', 'seat', 'travel2'], message: 'travel → seat → travel (loop 1 of 2 in the tangle of travel, travel2, seat)' },
        { line: 22, column: 7, services: ['travel2', 'seat', 'travel'], message: 'travel2 → seat → travel2 (loop 2 of 2 in the tangle of travel, travel2, seat)' },
      ],
    },
    {
      name: 'a hub called back by twelve services: ten loops named, the last says how many more',
      yaml: `
services:
  h: { calls: { s1: [GET /x], s2: [GET /x], s3: [GET /x], s4: [GET /x], s5: [GET /x], s6: [GET /x], s7: [GET /x], s8: [GET /x], s9: [GET /x], s10: [GET /x], s11: [GET /x], s12: [GET /x] } }
  s1: { calls: { h: [GET /x] } }
  s2: { calls: { h: [GET /x] } }
  s3: { calls: { h: [GET /x] } }
  s4: { calls: { h: [GET /x] } }
  s5: { calls: { h: [GET /x] } }
  s6: { calls: { h: [GET /x] } }
  s7: { calls: { h: [GET /x] } }
  s8: { calls: { h: [GET /x] } }
  s9: { calls: { h: [GET /x] } }
  s10: { calls: { h: [GET /x] } }
  s11: { calls: { h: [GET /x] } }
  s12: { calls: { h: [GET /x] } }
`,
      findings: [
        { line: 4, column: 18, services: ['h', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 's12'], message: 'h → s1 → h (loop 1 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 5, column: 18, services: ['h', 's2', 's1', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 's12'], message: 'h → s2 → h (loop 2 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 6, column: 18, services: ['h', 's3', 's1', 's2', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 's12'], message: 'h → s3 → h (loop 3 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 7, column: 18, services: ['h', 's4', 's1', 's2', 's3', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 's12'], message: 'h → s4 → h (loop 4 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 8, column: 18, services: ['h', 's5', 's1', 's2', 's3', 's4', 's6', 's7', 's8', 's9', 's10', 's11', 's12'], message: 'h → s5 → h (loop 5 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 9, column: 18, services: ['h', 's6', 's1', 's2', 's3', 's4', 's5', 's7', 's8', 's9', 's10', 's11', 's12'], message: 'h → s6 → h (loop 6 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 10, column: 18, services: ['h', 's7', 's1', 's2', 's3', 's4', 's5', 's6', 's8', 's9', 's10', 's11', 's12'], message: 'h → s7 → h (loop 7 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 11, column: 18, services: ['h', 's8', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's9', 's10', 's11', 's12'], message: 'h → s8 → h (loop 8 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 12, column: 18, services: ['h', 's9', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's10', 's11', 's12'], message: 'h → s9 → h (loop 9 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more)' },
        { line: 13, column: 19, services: ['h', 's10', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's11', 's12'], message: 'h → s10 → h (loop 10 of 12 in the tangle of h, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more), and 2 more loops' },
      ],
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
