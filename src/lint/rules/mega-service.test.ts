import rule from './mega-service.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

const limits = `
lint:
  rules:
    mega-service: [warn, { maxEntities: 2, maxEndpoints: 3 }]
`;

ruleTests(rule, {
  valid: [
    {
      name: 'exactly at both limits',
      yaml: `
services:
  order:
    entities:
      Order: { total: number }
      OrderItem: { quantity: integer }
    api: [POST /orders/checkout, POST /orders/cancel, GET /orders/summary]
${limits}`,
    },
    {
      name: 'CRUD endpoints and api entries CRUD already provides are not counted',
      yaml: `
services:
  order:
    entities:
      Order: { total: number }
      OrderItem: { quantity: integer }
    api: [GET /orders, POST /orders, GET /order-items, POST /orders/checkout, POST /orders/cancel, GET /orders/summary]
${limits}`,
    },
    {
      name: 'a modest service under the default limits',
      yaml: `
services:
  order:
    entities: { Order: { total: number } }
    api: [POST /orders/checkout]
`,
    },
  ],
  invalid: [
    {
      name: 'one entity too many',
      yaml: `
services:
  small: {}
  order:
    entities:
      Order: { total: number }
      OrderItem: { quantity: integer }
      Refund: { amount: number }
${limits}`,
      findings: [{ line: 4, column: 3, services: ['order'], message: "service 'order' owns 3 entities (max 2)" }],
    },
    {
      name: 'one endpoint too many',
      yaml: `
services:
  report:
    api: [GET /daily, GET /weekly, GET /monthly, GET /yearly]
${limits}`,
      findings: [{ line: 3, column: 3, services: ['report'], message: "service 'report' declares 4 api endpoints (max 3)" }],
    },
    {
      name: 'both limits exceeded give one finding',
      yaml: `
services:
  everything:
    entities: { A: { x: string }, B: { x: string }, C: { x: string } }
    api: [GET /a/x, GET /b/x, GET /c/x, GET /d/x]
${limits}`,
      findings: [{ line: 3, column: 3, services: ['everything'], message: 'owns 3 entities (max 2) and declares 4 api endpoints (max 3)' }],
    },
  ],
});
