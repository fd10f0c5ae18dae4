import rule from './layered-cut.js';
import { ruleTests } from '../../../test/support/lint/rule-tester.js';

ruleTests(rule, {
  valid: [
    {
      name: 'capability names, including ones that merely contain a layer word',
      yaml: `
services:
  order: {}
  metadata: {}
  dbsync: {}
  ui-kit: {}
  guide: {}
  data-export: {}
  repositories: {}
`,
    },
  ],
  invalid: [
    {
      name: 'every layer suffix',
      yaml: `
services:
  order-db: {}
  user-dao: {}
  customer-data: {}
  product-repository: {}
  order-persistence: {}
  shop-ui: {}
`,
      findings: [
        { line: 3, column: 3, services: ['order-db'], message: "service 'order-db' is named for a technical layer ('db')" },
        { line: 4, column: 3, services: ['user-dao'], message: "('dao')" },
        { line: 5, column: 3, services: ['customer-data'], message: "('data')" },
        { line: 6, column: 3, services: ['product-repository'], message: "('repository')" },
        { line: 7, column: 3, services: ['order-persistence'], message: "('persistence')" },
        { line: 8, column: 3, services: ['shop-ui'], message: "('ui')" },
      ],
    },
    {
      name: 'a bare layer word as the whole name',
      yaml: `
services:
  ui: {}
  persistence: {}
`,
      findings: [
        { line: 3, column: 3, services: ['ui'] },
        { line: 4, column: 3, services: ['persistence'] },
      ],
    },
  ],
});
