import { writeFileSync } from 'node:fs';
import { lint } from '../../lint/lint.js';
import { rules } from '../../lint/registry.js';
import { jsonReporter } from '../../lint/reporters/json.js';
import type { Reporter } from '../../lint/reporters/reporter.js';
import { sarifReporter } from '../../lint/reporters/sarif.js';
import { textReporter } from '../../lint/reporters/text.js';
import { ExitCode, type Io } from '../io.js';
import { readSystem } from '../read-system.js';
import { colorsFor } from '../style.js';
import { toolVersion } from '../version.js';

export const lintFormats = ['text', 'json', 'sarif'] as const;
export type LintFormat = (typeof lintFormats)[number];

export interface LintOptions {
  readonly format: LintFormat;
  /** -1: any number of warnings passes. */
  readonly maxWarnings: number;
  /** Write the report to this file instead of standard output. */
  readonly output?: string;
}

const reporters: Record<LintFormat, Reporter> = { text: textReporter, json: jsonReporter, sarif: sarifReporter };

/** `taskflow-gen lint [FILE]`: 0 clean, 1 with errors or too many warnings, 2 for invalid input. */
export function lintCommand(file: string, options: LintOptions, io: Io): number {
  const model = readSystem(file, io);
  if (!model) return ExitCode.badInput;
  const result = lint(model);
  const toFile = options.output !== undefined;
  const paint = colorsFor({ isTTY: !toFile && options.format === 'text' && io.outIsTTY });
  const report = reporters[options.format](result, { file: model.file, rules: rules.map((r) => r.meta), toolVersion: toolVersion(), paint });
  if (options.output !== undefined) {
    try {
      writeFileSync(options.output, report);
    } catch (error) {
      io.err(`cannot write ${options.output}: ${(error as Error).message}`);
      return ExitCode.badInput;
    }
  } else {
    io.out(report);
  }
  const tooManyWarnings = options.maxWarnings >= 0 && result.warningCount > options.maxWarnings;
  if (tooManyWarnings && options.format === 'text') {
    io.err(`taskflow-gen found too many warnings (maximum: ${options.maxWarnings}).`);
  }
  return result.errorCount > 0 || tooManyWarnings ? ExitCode.findings : ExitCode.ok;
}
