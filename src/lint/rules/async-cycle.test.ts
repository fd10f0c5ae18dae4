import { expect, it } from 'vitest';
import rule from './async-cycle.js';
import { ruleTests, runRule } from '../../../test/support/lint/rule-tester.js';

const orderFanOut = `
services:
  order: { publishes: [OrderPlaced], subscribes: [PaymentDone, StockReserved] }
  payment: { subscribes: [OrderPlaced], publishes: [PaymentDone] }
  inventory: { subscribes: [OrderPlaced], publishes: [StockReserved] }
events:
  OrderPlaced: { id: string }
  PaymentDone: { id: string }
  StockReserved: { id: string }
`;

const orderPayment = `
services:
  order: { publishes: [OrderPlaced], subscribes: [PaymentDone] }
  payment: { publishes: [PaymentDone], subscribes: [OrderPlaced] }
events:
  OrderPlaced: { id: string }
  PaymentDone: { id: string }
`;

ruleTests(rule, {
  valid: [
    {
      name: 'a chain of events without a loop',
      yaml: `
services:
  order: { publishes: [OrderPlaced] }
  payment: { subscribes: [OrderPlaced], publishes: [PaymentDone] }
  mailer: { subscribes: [PaymentDone] }
events:
  OrderPlaced: { id: string }
  PaymentDone: { id: string }
`,
    },
    {
      name: 'a service consuming its own event',
      yaml: `
services:
  order: { publishes: [OrderExpired], subscribes: [OrderExpired] }
events:
  OrderExpired: { id: string }
`,
    },
    {
      name: 'a loop closed by a sync call, not an event',
      yaml: `
services:
  order: { publishes: [OrderPlaced] }
  payment:
    subscribes: [OrderPlaced]
    calls: { order: ['GET /orders/{id}'] }
events:
  OrderPlaced: { id: string }
`,
    },
    {
      name: 'two services publishing the same event to a third',
      yaml: `
services:
  web: { publishes: [Clicked] }
  mobile: { publishes: [Clicked] }
  analytics: { subscribes: [Clicked] }
events:
  Clicked: { id: string }
`,
    },
  ],
  invalid: [
    {
      name: 'two services triggering each other, reported where the loop closes',
      yaml: orderPayment,
      findings: [{ line: 4, column: 26, services: ['order', 'payment'], message: 'events form a loop: order -(OrderPlaced)-> payment -(PaymentDone)-> order' }],
    },
    {
      name: 'one event answered by two services: two loops, both named, every member in each',
      yaml: orderFanOut,
      findings: [
        {
          line: 4,
          column: 53,
          services: ['order', 'payment', 'inventory'],
          message: 'events form a loop: order -(OrderPlaced)-> payment -(PaymentDone)-> order (loop 1 of 2 in the tangle of order, payment, inventory)',
        },
        {
          line: 5,
          column: 55,
          services: ['order', 'inventory', 'payment'],
          message: 'events form a loop: order -(OrderPlaced)-> inventory -(StockReserved)-> order (loop 2 of 2 in the tangle of order, payment, inventory)',
        },
      ],
    },
    {
      name: 'a three-service loop in block style',
      yaml: `
services:
  cart:
    publishes: [CheckedOut]
    subscribes: [StockReserved]
  order:
    subscribes: [CheckedOut]
    publishes: [OrderPlaced]
  inventory:
    subscribes: [OrderPlaced]
    publishes:
      - StockLow
      - StockReserved
events:
  CheckedOut: { id: string }
  OrderPlaced: { id: string }
  StockReserved: { id: string }
  StockLow: { id: string }
`,
      findings: [
        { line: 13, column: 9, services: ['cart', 'order', 'inventory'], message: 'cart -(CheckedOut)-> order -(OrderPlaced)-> inventory -(StockReserved)-> cart' },
      ],
    },
    {
      name: 'a loop through a service that also consumes its own event',
      yaml: `
services:
  order: { publishes: [OrderChanged], subscribes: [OrderChanged, PaymentDone] }
  payment: { publishes: [PaymentDone], subscribes: [OrderChanged] }
events:
  OrderChanged: { id: string }
  PaymentDone: { id: string }
`,
      findings: [{ line: 4, column: 26, services: ['order', 'payment'], message: 'order -(OrderChanged)-> payment -(PaymentDone)-> order' }],
    },
    {
      name: 'the loop is named by the first event published that closes each step',
      yaml: `
services:
  a: { publishes: [Unrelated, Ping, Again], subscribes: [Pong] }
  b: { publishes: [Pong], subscribes: [Again, Ping] }
  c: { subscribes: [Unrelated] }
events:
  Unrelated: { id: string }
  Ping: { id: string }
  Pong: { id: string }
  Again: { id: string }
`,
      findings: [{ line: 4, column: 20, services: ['a', 'b'], message: 'a -(Ping)-> b -(Pong)-> a' }],
    },
  ],
});

it('async-cycle marks every edge of the loop with its event', () => {
  const [finding] = runRule(rule, orderPayment);
  expect(finding?.edges).toEqual([
    { from: 'order', to: 'payment', kind: 'async', event: 'OrderPlaced' },
    { from: 'payment', to: 'order', kind: 'async', event: 'PaymentDone' },
  ]);
});

it('async-cycle marks the edges of every loop of a tangle', () => {
  expect(runRule(rule, orderFanOut).map((f) => f.edges)).toEqual([
    [
      { from: 'order', to: 'payment', kind: 'async', event: 'OrderPlaced' },
      { from: 'payment', to: 'order', kind: 'async', event: 'PaymentDone' },
    ],
    [
      { from: 'order', to: 'inventory', kind: 'async', event: 'OrderPlaced' },
      { from: 'inventory', to: 'order', kind: 'async', event: 'StockReserved' },
    ],
  ]);
});
