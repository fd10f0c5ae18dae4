// Rewrites the lint parts of schema/system.schema.json from the rule registry (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { rules } from '../dist/lint/registry.js';
import { lintRulesSchema, ruleIdSchema } from '../dist/lint/settings-schema.js';

const file = new URL('../schema/system.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(file, 'utf8'));
schema.properties.lint.properties.rules = lintRulesSchema(rules);
schema.definitions.ruleId = ruleIdSchema(rules);
writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
console.log(`schema/system.schema.json: ${rules.length} rules`);
