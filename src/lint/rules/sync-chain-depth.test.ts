import { expect, it } from 'vitest';
import rule from './sync-chain-depth.js';
import { ruleTests, runRule } from '../../../test/support/lint/rule-tester.js';

const fourCalls = `
services:
  a:
    calls: { b: [GET /b] }
  b:
    calls: { c: [GET /c] }
  c:
    calls: { d: [GET /d] }
  d:
    calls: { e: [GET /e] }
  e: {}
`;

ruleTests(rule, {
  valid: [
    {
      name: 'a chain of exactly max (3) calls',
      yaml: `
services:
  a:
    calls: { b: [GET /b] }
  b:
    calls: { c: [GET /c] }
  c:
    calls: { d: [GET /d] }
  d: {}
`,
    },
    {
      name: 'a chain of 4 calls when max is 4',
      yaml: `${fourCalls}lint:
  rules:
    sync-chain-depth: [warn, { max: 4 }]
`,
    },
    {
      name: 'a long loop of calls (sync-cycle reports that)',
      yaml: `
services:
  a: { calls: { b: [GET /b] } }
  b: { calls: { c: [GET /c] } }
  c: { calls: { d: [GET /d] } }
  d: { calls: { e: [GET /e] } }
  e: { calls: { a: [GET /a] } }
`,
    },
    {
      name: 'a long chain of events',
      yaml: `
services:
  a: { publishes: [A] }
  b: { subscribes: [A], publishes: [B] }
  c: { subscribes: [B], publishes: [C] }
  d: { subscribes: [C], publishes: [D] }
  e: { subscribes: [D] }
events:
  A: { id: string }
  B: { id: string }
  C: { id: string }
  D: { id: string }
`,
    },
    {
      name: 'many short chains fanning out from one service',
      yaml: `
services:
  a:
    calls:
      b: [GET /b]
      c: [GET /c]
      d: [GET /d]
      e: [GET /e]
  b: { calls: { c: [GET /c] } }
  c: {}
  d: { calls: { e: [GET /e] } }
  e: {}
`,
    },
  ],
  invalid: [
    {
      name: 'a chain of 4 calls, reported at the first call',
      yaml: fourCalls,
      findings: [{ line: 4, column: 14, services: ['a', 'b', 'c', 'd', 'e'], message: 'sync call chain of 4 calls is longer than 3: a → b → c → d → e' }],
    },
    {
      name: 'a chain of 3 calls when max is 2',
      yaml: `
services:
  a:
    calls: { b: [GET /b] }
  b:
    calls: { c: [GET /c] }
  c:
    calls: { d: [GET /d] }
  d: {}
lint: { rules: { sync-chain-depth: [warn, { max: 2 }] } }
`,
      findings: [{ line: 4, column: 14, services: ['a', 'b', 'c', 'd'], message: 'sync call chain of 3 calls is longer than 2: a → b → c → d' }],
    },
    {
      name: 'the longest branch is reported, at the call that starts it',
      yaml: `
services:
  frontend:
    calls:
      short: [GET /x]
      b: [GET /b]
  short: {}
  b: { calls: { c: [GET /c] } }
  c: { calls: { d: [GET /d] } }
  d: { calls: { e: [GET /e] } }
  e: {}
`,
      findings: [{ line: 6, column: 7, services: ['frontend', 'b', 'c', 'd', 'e'], message: 'frontend → b → c → d → e' }],
    },
    {
      name: 'two roots sharing a tail are reported once each, the middle of the chain not at all',
      yaml: `
services:
  web: { calls: { b: [GET /b] } }
  mobile: { calls: { b: [GET /b] } }
  b: { calls: { c: [GET /c] } }
  c: { calls: { d: [GET /d] } }
  d: { calls: { e: [GET /e] } }
  e: {}
`,
      findings: [
        { line: 3, column: 19, services: ['web', 'b', 'c', 'd', 'e'] },
        { line: 4, column: 22, services: ['mobile', 'b', 'c', 'd', 'e'] },
      ],
    },
    {
      name: 'a root that also calls itself',
      yaml: `
services:
  a: { calls: { a: [GET /a], b: [GET /b] } }
  b: { calls: { c: [GET /c] } }
  c: { calls: { d: [GET /d] } }
  d: { calls: { e: [GET /e] } }
  e: {}
`,
      findings: [{ line: 3, column: 30, services: ['a', 'b', 'c', 'd', 'e'] }],
    },
    {
      name: 'a chain that passes through a loop of calls, along a simple path',
      yaml: `
services:
  r: { calls: { a: [GET /a] } }
  a: { calls: { b: [GET /b] } }
  b: { calls: { a: [GET /a], c: [GET /c] } }
  c: { calls: { d: [GET /d] } }
  d: { calls: { e: [GET /e] } }
  e: {}
`,
      findings: [{ line: 3, column: 17, services: ['r', 'a', 'b', 'c', 'd', 'e'], message: 'sync call chain of 5 calls is longer than 3: r → a → b → c → d → e' }],
    },
    {
      name: 'a chain that starts inside a loop nobody else calls, once, from its member with the longest chain',
      yaml: `
services:
  a: { calls: { b: [GET /b] } }
  b: { calls: { a: [GET /a], c: [GET /c] } }
  c: { calls: { d: [GET /d] } }
  d: { calls: { e: [GET /e] } }
  e: { calls: { f: [GET /f] } }
  f: {}
`,
      findings: [{ line: 3, column: 17, services: ['a', 'b', 'c', 'd', 'e', 'f'], message: 'sync call chain of 5 calls is longer than 3: a → b → c → d → e → f' }],
    },
  ],
});

it('sync-chain-depth marks every edge of the chain', () => {
  const [finding] = runRule(rule, fourCalls);
  expect(finding?.edges).toEqual([
    { from: 'a', to: 'b', kind: 'sync' },
    { from: 'b', to: 'c', kind: 'sync' },
    { from: 'c', to: 'd', kind: 'sync' },
    { from: 'd', to: 'e', kind: 'sync' },
  ]);
});
