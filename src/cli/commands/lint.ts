import { closeSync, openSync, writeSync } from 'node:fs';
import { lint } from '../../lint/lint.js';
import { rules } from '../../lint/registry.js';
import { jsonReporter } from '../../lint/reporters/json.js';
import type { Reporter } from '../../lint/reporters/reporter.js';
import { sarifReporter } from '../../lint/reporters/sarif.js';
import { textReporter } from '../../lint/reporters/text.js';
import { ExitCode, type Io } from '../io.js';
import { readAgainst } from '../read-against.js';
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
  /** An older system.yaml (file or git revision) to report breaking changes against. */
  readonly against?: string;
}

const reporters: Record<LintFormat, Reporter> = { text: textReporter, json: jsonReporter, sarif: sarifReporter };

/** `taskflow-gen lint [FILE] [--against OLD]`: 0 clean, 1 with errors or too many warnings, 2 for invalid input. */
export function lintCommand(file: string, options: LintOptions, io: Io): number {
  const model = readSystem(file, io);
  if (!model) return ExitCode.badInput;
  const against = options.against === undefined ? undefined : readAgainst(options.against, file, io);
  if (options.against !== undefined && !against) return ExitCode.badInput;
  const result = lint(model, rules, against && against !== 'absent' ? { against } : {});
  const toFile = options.output !== undefined;
  const paint = colorsFor({ isTTY: !toFile && options.format === 'text' && io.outIsTTY });
  const report = reporters[options.format](result, { file: model.file, rules: rules.map((r) => r.meta), toolVersion: toolVersion(), paint });
  if (options.output !== undefined) {
    try {
      const fd = openSync(options.output, 'w');
      try {
        for (const batch of batches(report)) writeSync(fd, batch);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      io.err(`cannot write ${options.output}: ${(error as Error).message}`);
      return ExitCode.badInput;
    }
  } else {
    for (const batch of batches(report)) io.write(batch);
  }
  const tooManyWarnings = options.maxWarnings >= 0 && result.warningCount > options.maxWarnings;
  if (tooManyWarnings && options.format === 'text') {
    io.err(`taskflow-gen found too many warnings (maximum: ${options.maxWarnings}).`);
  }
  return result.errorCount > 0 || tooManyWarnings ? ExitCode.findings : ExitCode.ok;
}

/** A report's pieces joined into writes of about a megabyte: few system calls, and never the whole report in memory. */
function* batches(pieces: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    pending.push(piece);
    size += piece.length;
    if (size >= 1 << 20) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}
