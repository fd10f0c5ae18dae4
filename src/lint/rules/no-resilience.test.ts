import rule from './no-resilience.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'default breaker and timeout, and a timeout exactly at the maximum',
      yaml: `
services:
  order:
    calls:
      product: ['GET /products/{id}']
      payment:
        endpoints: [POST /payments]
        timeoutMs: 10000
        circuitBreaker: { failures: 3 }
  product: {}
  payment: {}
`,
    },
    {
      name: 'a breaker switched off by default but on for the call',
      yaml: `
defaults:
  circuitBreaker: false
services:
  order:
    calls:
      payment: { endpoints: [POST /payments], circuitBreaker: true }
  payment: {}
`,
    },
  ],
  invalid: [
    {
      name: 'one finding per call and per problem',
      yaml: `
services:
  order:
    calls:
      payment:
        endpoints: [POST /payments]
        timeoutMs: 10001
        circuitBreaker: false
      product:
        endpoints: ['GET /products/{id}']
        timeoutMs: 30000
  product: {}
  payment: {}
`,
      findings: [
        { line: 5, column: 7, services: ['order', 'payment'], message: "the call from 'order' to 'payment' has no circuit breaker" },
        { line: 5, column: 7, services: ['order', 'payment'], message: 'waits up to 10001 ms (max 10000)' },
        { line: 9, column: 7, services: ['order', 'product'], message: "the call from 'order' to 'product' waits up to 30000 ms (max 10000)" },
      ],
    },
    {
      name: 'breakers off through defaults, and a lowered timeout maximum',
      yaml: `
defaults:
  circuitBreaker: false
  timeoutMs: 3000
services:
  order:
    calls: { payment: [POST /payments] }
  payment: {}
lint:
  rules:
    no-resilience: [warn, { maxTimeoutMs: 2999 }]
`,
      findings: [
        { line: 7, column: 14, services: ['order', 'payment'], message: 'no circuit breaker' },
        { line: 7, column: 14, services: ['order', 'payment'], message: 'waits up to 3000 ms (max 2999)' },
      ],
    },
  ],
});
