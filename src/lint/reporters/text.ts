import type { Reporter } from './reporter.js';

const label = { error: 'error', warn: 'warning', info: 'info' } as const;

/** ESLint-style text: the file, one aligned line per finding, and a summary line. */
export const textReporter: Reporter = (result, { file, paint }) => {
  const { findings, errorCount, warningCount, infoCount } = result;
  if (findings.length === 0) return [`${paint.bold(file)}: no problems found\n`];
  const rows = findings.map((f) => ({ where: `${f.line}:${f.column}`, severity: f.severity, message: f.message, ruleId: f.ruleId }));
  const whereWidth = Math.max(...rows.map((r) => r.where.length));
  const messageWidth = Math.max(...rows.map((r) => r.message.length));
  const colour = { error: paint.red, warn: paint.yellow, info: paint.blue };
  const lines = rows.map(
    (r) => `  ${paint.dim(r.where.padEnd(whereWidth))}  ${colour[r.severity](label[r.severity].padEnd(7))}  ${r.message.padEnd(messageWidth)}  ${paint.dim(r.ruleId)}`,
  );
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `✖ ${plural(findings.length, 'problem')} (${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')}, ${plural(infoCount, 'info')})`;
  const summaryColour = errorCount > 0 ? paint.red : warningCount > 0 ? paint.yellow : paint.blue;
  return [`${paint.underline(file)}\n${lines.join('\n')}\n\n${paint.bold(summaryColour(summary))}\n`];
};
