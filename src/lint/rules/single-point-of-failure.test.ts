import { expect, it } from 'vitest';
import rule from './single-point-of-failure.js';
import { ruleTests, runRule } from '../../../test/support/lint/rule-tester.js';

const userService = `
services:
  web: { calls: { order: [POST /orders] } }
  order: { calls: { user: ['GET /users/{id}'] } }
  mobile: { calls: { user: ['GET /users/{id}'] } }
  mailer: {}
  user: {}
`;

ruleTests(rule, {
  valid: [
    {
      name: 'a system smaller than minServices',
      yaml: `
services:
  a: { calls: { c: [GET /c] } }
  b: { calls: { c: [GET /c] } }
  c: {}
`,
    },
    {
      name: '1 of 4 others depends on it, below half',
      yaml: `
services:
  a: { calls: { auth: [GET /me] } }
  b: {}
  c: {}
  auth: {}
  d: {}
`,
    },
    {
      name: 'dependence through events does not count',
      yaml: `
services:
  auth: { publishes: [UserChanged] }
  a: { subscribes: [UserChanged] }
  b: { subscribes: [UserChanged] }
  c: { subscribes: [UserChanged] }
events:
  UserChanged: { id: string }
`,
    },
    {
      name: '3 of 4 others when the ratio is 1',
      yaml: `${userService}lint: { rules: { single-point-of-failure: [warn, { ratio: 1 }] } }\n`,
    },
  ],
  invalid: [
    {
      name: 'direct and transitive dependents, listed in file order',
      yaml: userService,
      findings: [
        {
          line: 7,
          column: 3,
          services: ['user', 'web', 'order', 'mobile'],
          message: "3 of the 4 other services depend on 'user' through sync calls; when it is down they fail: web, order, mobile",
        },
      ],
    },
    {
      name: 'exactly half of the others',
      yaml: `
services:
  a: { calls: { auth: [GET /me] } }
  b: { calls: { auth: [GET /me] } }
  c: {}
  d: {}
  auth: {}
`,
      findings: [{ line: 7, column: 3, services: ['auth', 'a', 'b'], message: "2 of the 4 other services depend on 'auth'" }],
    },
    {
      name: 'a small system when minServices is lowered',
      yaml: `
services:
  a: { calls: { c: [GET /c] } }
  b: { calls: { c: [GET /c] } }
  c: {}
lint: { rules: { single-point-of-failure: [warn, { minServices: 3 }] } }
`,
      findings: [{ line: 5, column: 3, services: ['c', 'a', 'b'], message: "2 of the 2 other services depend on 'c'" }],
    },
    {
      name: 'services in a call loop depend on each other',
      yaml: `
services:
  a: { calls: { b: [GET /b] } }
  b: { calls: { a: [GET /a] } }
  c: { calls: { a: [GET /a] } }
  d: {}
`,
      findings: [
        { line: 3, column: 3, services: ['a', 'b', 'c'], message: "2 of the 3 other services depend on 'a'" },
        { line: 4, column: 3, services: ['b', 'a', 'c'], message: "2 of the 3 other services depend on 'b'" },
      ],
    },
  ],
});

it('names the first ten dependants in file order and counts the rest', () => {
  const callers = Array.from({ length: 12 }, (_, i) => `  c${i}: { calls: { core: [GET /core] } }`).join('\n');
  const [finding, ...others] = runRule(rule, `\nservices:\n${callers}\n  core: {}\n`);
  expect(others).toEqual([]);
  expect(finding?.services).toEqual(['core', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']);
  expect(finding?.message).toBe("12 of the 12 other services depend on 'core' through sync calls; when it is down they fail: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 2 more");
  expect(finding?.edges).toHaveLength(12);
});

it('single-point-of-failure marks the sync edges from its direct callers', () => {
  const [finding] = runRule(rule, userService);
  expect(finding?.edges).toEqual([
    { from: 'order', to: 'user', kind: 'sync' },
    { from: 'mobile', to: 'user', kind: 'sync' },
  ]);
});
