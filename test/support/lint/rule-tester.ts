import { describe, expect, it } from 'vitest';
import { loadSystem } from '../../../src/load.js';
import { formatDiagnostic } from '../../../src/diagnostics/diagnostic.js';
import { lint } from '../../../src/lint/lint.js';
import type { AnyRule, Finding } from '../../../src/lint/rule.js';
import type { SystemModel } from '../../../src/model/types.js';

export interface ExpectedFinding {
  readonly line: number;
  readonly column: number;
  /** Exact services of the finding, in order. */
  readonly services?: readonly string[];
  /** Substring (or pattern) the message must contain. */
  readonly message?: string | RegExp;
  /** This finding's own severity (an info of a rule that otherwise errs). */
  readonly severity?: string;
}

export interface RuleCase {
  readonly name: string;
  /** A whole system.yaml; `version: 1` and `name:` may be left out. */
  readonly yaml: string;
  /** An older system.yaml to compare with, as `lint --against` does. */
  readonly against?: string;
}

export interface InvalidRuleCase extends RuleCase {
  readonly findings: readonly ExpectedFinding[];
  /** Severity of every finding; the rule's default unless the snippet configures it (or the expected finding says). */
  readonly severity?: string;
}

/** Loads a YAML snippet (adding `version` and `name` when missing) and runs one rule on it, against an older snippet if given. */
export function runRule(rule: AnyRule, yaml: string, against?: string): Finding[] {
  const model = load(yaml);
  return [...lint(model, [rule], against === undefined ? {} : { against: load(against) }).findings];
}

function load(yaml: string): SystemModel {
  const text = (/^version:/m.test(yaml) ? '' : 'version: 1\n') + (/^name:/m.test(yaml) ? '' : 'name: test\n') + yaml;
  const loaded = loadSystem(text, 'system.yaml');
  if (!loaded.ok) throw new Error(`snippet does not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}\n---\n${text}`);
  return loaded.model;
}

/**
 * Table-driven tests of one rule, ESLint-style: every valid case yields no
 * finding; every invalid case yields exactly the listed findings, by line and
 * column. Lines count from the first line of `yaml` as written.
 */
export function ruleTests(rule: AnyRule, cases: { valid: readonly RuleCase[]; invalid: readonly InvalidRuleCase[] }): void {
  describe(`rule ${rule.meta.id}`, () => {
    it('has a test case of each kind', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`does not flag: ${c.name}`, () => {
        expect(runRule(rule, c.yaml, c.against)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`flags: ${c.name}`, () => {
        const offset = (/^version:/m.test(c.yaml) ? 0 : 1) + (/^name:/m.test(c.yaml) ? 0 : 1);
        const found = runRule(rule, c.yaml, c.against);
        expect(found.map((f) => ({ line: f.line - offset, column: f.column }))).toEqual(c.findings.map((f) => ({ line: f.line, column: f.column })));
        found.forEach((finding, i) => {
          const want = c.findings[i]!;
          expect(finding.ruleId).toBe(rule.meta.id);
          expect(finding.severity).toBe(want.severity ?? c.severity ?? rule.meta.defaultSeverity);
          if (want.services) expect(finding.services).toEqual(want.services);
          if (typeof want.message === 'string') expect(finding.message).toContain(want.message);
          else if (want.message) expect(finding.message).toMatch(want.message);
        });
      });
    }
  });
}
