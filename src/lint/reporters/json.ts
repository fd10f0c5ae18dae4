import type { Reporter } from './reporter.js';

/**
 * `{ findings: [{ ruleId, severity, message, services, line, column }], errorCount, warningCount }`,
 * indented by two, one piece per finding.
 */
export const jsonReporter: Reporter = function* (result) {
  const { findings } = result;
  yield findings.length === 0 ? '{\n  "findings": [],\n' : '{\n  "findings": [\n';
  for (let i = 0; i < findings.length; i++) {
    const { ruleId, severity, message, services, line, column } = findings[i]!;
    const text = JSON.stringify({ ruleId, severity, message, services, line, column }, null, 2).replace(/\n/g, '\n    ');
    yield `    ${text}${i < findings.length - 1 ? ',' : ''}\n`;
  }
  if (findings.length > 0) yield '  ],\n';
  yield `  "errorCount": ${result.errorCount},\n  "warningCount": ${result.warningCount}\n}\n`;
};
