import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { systemSchema } from '../validate/schema-file.js';
import { loadSystem } from '../load.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { rules } from './registry.js';
import { lintRulesSchema, ruleIdSchema } from './settings-schema.js';

const productIds = [
  'sync-cycle', 'shared-database', 'sync-chain-depth', 'unknown-endpoint', 'event-without-subscriber',
  'event-without-publisher', 'async-cycle', 'hub-service', 'chatty-calls', 'sync-fan-out',
  'single-point-of-failure', 'team-too-many-services', 'service-without-owner', 'missing-gateway',
  'nano-service', 'mega-service', 'no-resilience', 'too-many-technologies', 'layered-cut', 'breaking-change',
];

describe('rule registry', () => {
  it('holds exactly the rule ids of PRODUCT.md, once each', () => {
    expect(rules.map((r) => r.meta.id)).toEqual(productIds);
  });

  it.each(rules.map((r) => [r.meta.id, r] as const))('%s has docs, messages and a table test', (id, rule) => {
    expect(rule.meta.description.length).toBeGreaterThan(10);
    expect(rule.meta.rationale.length).toBeGreaterThan(80);
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
    expect(['error', 'warn', 'info']).toContain(rule.meta.defaultSeverity);
    const optionNames = Object.keys((rule.meta.optionsSchema['properties'] ?? {}) as object).sort();
    expect(Object.keys(rule.meta.defaultOptions as object).sort()).toEqual(optionNames);
    const testFile = new URL(`./rules/${id}.test.ts`, import.meta.url);
    expect(existsSync(testFile)).toBe(true);
    const test = readFileSync(testFile, 'utf8');
    expect(test).toMatch(/valid: \[/);
    expect(test).toMatch(/invalid: \[/);
  });

  it('is documented in the README rule table with its default severity and options', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const { meta } of rules) {
      const options = Object.entries(meta.defaultOptions as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join(', ') || '—';
      expect(readme).toContain(`| \`${meta.id}\` | ${meta.defaultSeverity} | ${options} | ${meta.description} |`);
    }
  });

  it('is what schema/system.schema.json offers editors (run `npm run schema` after changing a rule)', () => {
    const schema = systemSchema() as { properties: { lint: { properties: { rules: unknown } } }; definitions: { ruleId: unknown } };
    expect(schema.properties.lint.properties.rules).toEqual(lintRulesSchema(rules));
    expect(schema.definitions.ruleId).toEqual(ruleIdSchema(rules));
  });

  it('rejects bad rule settings with a position and a fix', () => {
    const result = loadSystem(
      'version: 1\nname: x\nservices: { a: {} }\nlint:\n  rules:\n    sync-chain-depth: [warn, { max: 0, deep: 2 }]\n    sync-cycles: error\n    hub-service: loud\n',
      'system.yaml',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'system.yaml:6:37  lint.rules.sync-chain-depth[1].max must be at least 1  (found 0)',
      "system.yaml:6:40  unknown property 'deep' in lint.rules.sync-chain-depth[1]  (use one of: max)",
      "system.yaml:7:5  unknown property 'sync-cycles' in lint.rules  (did you mean 'sync-cycle'?)",
      'system.yaml:8:18  lint.rules.hub-service must be one of off, info, warn, error  (use one of: off, info, warn, error)',
    ]);
  });
});
