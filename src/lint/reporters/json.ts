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
  const listed = services.length === 0 ? '[]' : `[\n        ${services.map((s) => JSON.stringify(s)).join(',\n        ')}\n      ]`;
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
