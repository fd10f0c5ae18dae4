import type { Reporter } from './reporter.js';

/** `{ findings: [{ ruleId, severity, message, services, line, column }], errorCount, warningCount }`. */
export const jsonReporter: Reporter = (result) => {
  const findings = result.findings.map(({ ruleId, severity, message, services, line, column }) => ({ ruleId, severity, message, services, line, column }));
  return JSON.stringify({ findings, errorCount: result.errorCount, warningCount: result.warningCount }, null, 2) + '\n';
};
