import { writeFileSync } from 'node:fs';
import type { Finding } from '../../lint/rule.js';
import { lint } from '../../lint/lint.js';
import type { SystemModel } from '../../model/types.js';
import { renderDot } from '../../render/graph/dot.js';
import { renderMermaid } from '../../render/graph/mermaid.js';
import { ExitCode, type Io } from '../io.js';
import { readSystem } from '../read-system.js';

export const graphFormats = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof graphFormats)[number];

export interface GraphOptions {
  readonly format: GraphFormat;
  /** Write the graph to this file instead of standard output. */
  readonly output?: string;
}

const renderers: Record<GraphFormat, (model: SystemModel, findings: readonly Finding[]) => string> = { mermaid: renderMermaid, dot: renderDot };

/** `taskflow-gen graph [FILE]`: 0 with the graph written, 2 for invalid input or an unwritable output file. */
export function graphCommand(file: string, options: GraphOptions, io: Io): number {
  const model = readSystem(file, io);
  if (!model) return ExitCode.badInput;
  const text = renderers[options.format](model, lint(model).findings);
  if (options.output === undefined) {
    io.out(text);
    return ExitCode.ok;
  }
  try {
    writeFileSync(options.output, text);
  } catch (error) {
    io.err(`cannot write ${options.output}: ${(error as Error).message}`);
    return ExitCode.badInput;
  }
  return ExitCode.ok;
}
