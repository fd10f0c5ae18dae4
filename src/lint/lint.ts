import type { Severity, SystemModel } from '../model/types.js';
import type { AnyRule, Finding, FindingEdge, Report } from './rule.js';
import { rules as registry } from './registry.js';

export interface LintResult {
  readonly findings: readonly Finding[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly infoCount: number;
}

export interface LintOptions {
  /** An older version of the system to compare with (rule breaking-change). */
  readonly against?: SystemModel;
}

/**
 * Runs every enabled rule over the model with the severity and options from
 * `lint.rules`, drops findings silenced by a service's `lint.ignore`, and
 * returns the findings ordered by position.
 */
export function lint(model: SystemModel, rules: readonly AnyRule[] = registry, { against }: LintOptions = {}): LintResult {
  const findings: Finding[] = [];
  const ignored = new Map(model.services.filter((s) => s.lintIgnores.length > 0).map((s) => [s.name, new Set(s.lintIgnores.map((i) => i.rule))]));
  for (const rule of rules) {
    const setting = model.lintRules[rule.meta.id];
    const severity = setting?.severity ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    const options = { ...rule.meta.defaultOptions, ...setting?.options };
    rule.check({
      model,
      ...(against && { against }),
      options,
      report(report: Report) {
        if (ignored.size > 0 && report.owner !== undefined && ignored.get(report.owner)?.has(rule.meta.id)) return;
        findings.push({
          ruleId: rule.meta.id,
          severity: report.info ? 'info' : severity,
          message: interpolate(rule, report),
          services: report.services,
          line: report.loc.line,
          column: report.loc.column,
          edges: report.edges ?? noEdges,
        });
      },
    });
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId) || compare(a.message, b.message));
  const count = (severity: Severity): number => findings.filter((f) => f.severity === severity).length;
  return { findings, errorCount: count('error'), warningCount: count('warn'), infoCount: count('info') };
}

/** Locale order for ties, as `localeCompare` gives, from one collator: `localeCompare` costs a good share of the lint of a large system. */
const compare = new Intl.Collator().compare;

/** Shared by the findings that are about no edge (the report is read-only). */
const noEdges: readonly FindingEdge[] = Object.freeze([]);

/** Templates split once into text and placeholder names: `"a {{x}} b"` -> `['a ', 'x', ' b']` (names at odd indices). */
const compiled = new Map<string, string[]>();

function interpolate(rule: AnyRule, report: Report): string {
  const template = rule.meta.messages[report.messageId];
  if (template === undefined) throw new Error(`rule ${rule.meta.id} has no message '${report.messageId}'`);
  let parts = compiled.get(template);
  if (!parts) compiled.set(template, (parts = template.split(/\{\{\s*(\w+)\s*\}\}/)));
  let message = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const value = report.data?.[parts[i]!];
    if (value === undefined) throw new Error(`rule ${rule.meta.id}: message '${report.messageId}' needs '${parts[i]}'`);
    message += String(value) + parts[i + 1]!;
  }
  return message;
}
