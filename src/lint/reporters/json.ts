import type { Finding } from '../rule.js';
import type { Reporter } from './reporter.js';

/**
 * `{ findings: [{ ruleId, severity, message, services, line, column }], errorCount, warningCount }`,
 * indented by two as JSON.stringify would, one piece per finding (a large report is never one string).
 */
export const jsonReporter: Reporter = function* (result) {
  const { findings } = result;
  yield findings.length === 0 ? '{\n  "findings": [],\n' : '{\n  "findings": [\n';
  for (let i = 0; i < findings.length; i++) yield `${finding(findings[i]!)}${i < findings.length - 1 ? ',' : ''}\n`;
  if (findings.length > 0) yield '  ],\n';
  yield `  "errorCount": ${result.errorCount},\n  "warningCount": ${result.warningCount}\n}\n`;
};

function finding({ ruleId, severity, message, services, line, column }: Finding): string {
  const listed = services.length === 0 ? '[]' : `[\n        ${quotedList(services)}\n      ]`;
  return [
    '    {',
    `      "ruleId": ${JSON.stringify(ruleId)},`,
    `      "severity": ${JSON.stringify(severity)},`,
    `      "message": ${JSON.stringify(message)},`,
    `      "services": ${listed},`,
    `      "line": ${line},`,
    `      "column": ${column}`,
    '    }',
  ].join('\n');
}

/** What JSON.stringify escapes in a string: quotes, backslashes, control characters and (lone) surrogates. */
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The names quoted and joined as the list's lines. Service names need no escaping, so one join does it;
 * a list of thousands (single-point-of-failure's dependents) costs no JSON.stringify per name.
 */
function quotedList(names: readonly string[]): string {
  if (needsEscape.test(names.join(''))) return names.map((s) => JSON.stringify(s)).join(',\n        ');
  return `"${names.join('",\n        "')}"`;
}
