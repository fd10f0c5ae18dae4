import rule from './too-many-technologies.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'exactly three technologies, repeated across services',
      yaml: `
services:
  order: { database: orders }
  product: { database: { name: products, engine: mysql } }
  search: { runtime: node }
  cart: { database: carts }
`,
    },
    {
      name: 'services without a database add only their runtime',
      yaml: `
services:
  order: { database: none }
  mailer: { runtime: python }
`,
    },
  ],
  invalid: [
    {
      name: 'a fourth technology from the third service',
      yaml: `
services:
  order: { database: orders }
  product:
    database: { name: products, engine: mysql }
  recommend:
    runtime: python
    database: { name: recs, engine: mongodb }
`,
      findings: [{ line: 6, column: 3, services: ['order', 'product', 'recommend'], message: 'the system uses 5 technologies (max 3): node, postgres, mysql, python, mongodb' }],
    },
    {
      name: 'a lowered maximum counts the default engine',
      yaml: `
defaults:
  database: sqlite
services:
  order: { database: none }
  task: { database: tasks }
lint:
  rules:
    too-many-technologies: [info, { max: 1 }]
`,
      findings: [{ line: 6, column: 3, services: ['order', 'task'], message: '2 technologies (max 1): node, sqlite' }],
    },
  ],
});
