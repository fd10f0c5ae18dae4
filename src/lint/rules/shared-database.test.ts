import rule from './shared-database.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'each service owns its database',
      yaml: `
services:
  order: { database: orders }
  payment: { database: payments }
  search: { database: none }
  mailer: {}
`,
    },
  ],
  invalid: [
    {
      name: 'two services on one database, short and long form',
      yaml: `
services:
  order: { database: orders }
  payment: { database: payments }
  billing:
    database: { name: orders, engine: postgres }
`,
      findings: [{ line: 6, column: 15, services: ['order', 'billing'], message: "database 'orders' is shared by order, billing" }],
    },
    {
      name: 'three services on one database give one finding',
      yaml: `
services:
  a: { database: core }
  b: { database: core }
  c: { database: core }
`,
      findings: [{ line: 4, column: 18, services: ['a', 'b', 'c'] }],
    },
  ],
});
