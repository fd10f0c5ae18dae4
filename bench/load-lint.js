// One in-process measurement of the stages of `lint` on a system.yaml, in a fresh process:
// parse, schema, references, normalize, then each rule in registry order on the same model (as lint runs them).
import { readFileSync } from 'node:fs';
import { parseSource } from '../dist/parse/parse.js';
import { validateSchema } from '../dist/validate/schema.js';
import { checkReferences } from '../dist/validate/semantic.js';
import { normalize } from '../dist/model/normalize.js';
import { lint } from '../dist/lint/lint.js';
import { rules } from '../dist/lint/registry.js';

const text = readFileSync(process.argv[2], 'utf8');
const stages = {};
let at = performance.now();
const lap = (name) => {
  const now = performance.now();
  stages[name] = now - at;
  at = now;
};
const parsed = parseSource(text, 'system.yaml');
if (!parsed.ok) throw new Error(parsed.diagnostics[0].message);
lap('parse');
if (validateSchema(parsed.source).length > 0) throw new Error('schema problems');
lap('schema');
if (checkReferences(parsed.source.value, parsed.source).length > 0) throw new Error('reference problems');
lap('references');
const model = normalize(parsed.source.value, 'system.yaml', parsed.source.locate);
lap('normalize');
const ruleMs = {};
for (const rule of rules) {
  const start = performance.now();
  lint(model, [rule]);
  ruleMs[rule.meta.id] = performance.now() - start;
}
console.log(JSON.stringify({ stages, ruleMs }));
