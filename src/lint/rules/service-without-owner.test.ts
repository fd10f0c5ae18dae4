import rule from './service-without-owner.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'every service has a team',
      yaml: `
teams:
  checkout: [order, payment]
  catalog: [product]
services:
  order: {}
  payment: {}
  product: {}
`,
    },
    {
      name: 'no teams declared at all',
      yaml: `
services:
  order: {}
  payment: {}
`,
    },
  ],
  invalid: [
    {
      name: 'services missing from every team',
      yaml: `
teams:
  checkout: [order]
services:
  order: {}
  payment: {}
  search:
    database: search
`,
      findings: [
        { line: 6, column: 3, services: ['payment'], message: "service 'payment' belongs to no team" },
        { line: 7, column: 3, services: ['search'] },
      ],
    },
    {
      name: 'an empty team still means teams are in use',
      yaml: `
teams:
  platform: []
services:
  order: {}
`,
      findings: [{ line: 5, column: 3, services: ['order'] }],
    },
  ],
});
