import rule from './hub-service.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

/** `core` with 2 sync callers, 2 sync callees, 2 event sources and `consumers` consuming its events. */
function hub(consumers: readonly string[], extra = ''): string {
  return `
services:
  web: { calls: { core: [GET /x] } }
  mobile: { calls: { core: [GET /x] } }
  core:
    calls: { ledger: [GET /l], stock: [GET /s] }
    subscribes: [Priced, Discounted, Shipped]
    publishes: [Changed]
  ledger: {}
  stock: {}
  pricing: { publishes: [Priced, Discounted] }
  shipping: { publishes: [Shipped] }
${consumers.map((name) => `  ${name}: { subscribes: [Changed] }\n`).join('')}events:
  Priced: { id: string }
  Discounted: { id: string }
  Shipped: { id: string }
  Changed: { id: string }
${extra}`;
}

ruleTests(rule, {
  valid: [
    {
      name: '7 connections, one below the threshold (two events from one source count once)',
      yaml: hub(['search']),
    },
    {
      name: '8 connections when the threshold is 9',
      yaml: hub(['search', 'mailer'], 'lint: { rules: { hub-service: [warn, { threshold: 9 }] } }\n'),
    },
    {
      name: 'self-calls and self-consumed events are not connections',
      yaml: `
services:
  a:
    calls: { a: [GET /a], b: [GET /b] }
    publishes: [Ticked]
    subscribes: [Ticked]
  b: {}
events:
  Ticked: { id: string }
lint: { rules: { hub-service: [warn, { threshold: 2 }] } }
`,
    },
  ],
  invalid: [
    {
      name: 'exactly 8 connections of all four kinds',
      yaml: hub(['search', 'mailer']),
      findings: [
        {
          line: 5,
          column: 3,
          services: ['core', 'web', 'mobile', 'ledger', 'stock', 'pricing', 'shipping', 'search', 'mailer'],
          message: "'core' has 8 connections (threshold 8): sync callers 2, sync callees 2, event sources 2, event consumers 2",
        },
      ],
    },
    {
      name: 'a neighbour counts once in each role it plays',
      yaml: `
services:
  order:
    calls: { payment: [POST /payments] }
    subscribes: [Paid]
  payment:
    calls: { order: ['GET /orders/{id}'] }
    publishes: [Paid]
events:
  Paid: { id: string }
lint: { rules: { hub-service: [warn, { threshold: 3 }] } }
`,
      findings: [
        { line: 3, column: 3, services: ['order', 'payment'], message: "'order' has 3 connections" },
        { line: 6, column: 3, services: ['payment', 'order'], message: "'payment' has 3 connections" },
      ],
    },
  ],
});
