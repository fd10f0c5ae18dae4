import rule from './event-without-publisher.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'every subscribed event has a publisher',
      yaml: `
services:
  order: { publishes: [OrderPlaced], subscribes: [PaymentDone] }
  payment: { publishes: [PaymentDone], subscribes: [OrderPlaced] }
events:
  OrderPlaced: { id: string }
  PaymentDone: { id: string }
`,
    },
    {
      name: 'a published event nobody hears, and an event nobody uses at all',
      yaml: `
services:
  order: { publishes: [OrderPlaced] }
events:
  OrderPlaced: { id: string }
  Unused: { id: string }
`,
    },
  ],
  invalid: [
    {
      name: 'one finding per subscriber of an event nobody publishes',
      yaml: `
services:
  order:
    subscribes: [PaymentDone, StockReserved]
    publishes: [OrderPlaced]
  inventory:
    subscribes:
      - OrderPlaced
      - PaymentDone
events:
  OrderPlaced: { id: string }
  PaymentDone: { id: string }
  StockReserved: { id: string }
`,
      findings: [
        { line: 4, column: 18, services: ['order'], message: "'order' subscribes to PaymentDone but no service publishes it" },
        { line: 4, column: 31, services: ['order'], message: 'StockReserved' },
        { line: 9, column: 9, services: ['inventory'], message: "'inventory' subscribes to PaymentDone" },
      ],
    },
  ],
});
