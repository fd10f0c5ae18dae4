import rule from './event-without-subscriber.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'every published event has a subscriber',
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
      name: 'a service consuming its own event, and an event nobody uses at all',
      yaml: `
services:
  order: { publishes: [OrderPlaced], subscribes: [OrderPlaced] }
events:
  OrderPlaced: { id: string }
  Unused: { id: string }
`,
    },
  ],
  invalid: [
    {
      name: 'one finding per publisher of an unheard event',
      yaml: `
services:
  order:
    publishes: [OrderPlaced, OrderShipped]
  shipping:
    publishes:
      - OrderShipped
    subscribes: [OrderPlaced]
events:
  OrderPlaced: { id: string }
  OrderShipped: { id: string }
`,
      findings: [
        { line: 4, column: 30, services: ['order'], message: "'order' publishes OrderShipped but no service subscribes to it" },
        { line: 7, column: 9, services: ['shipping'], message: "'shipping' publishes OrderShipped" },
      ],
    },
  ],
});
