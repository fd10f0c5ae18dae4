import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadSystem } from '../load.js';
import type { SystemModel } from '../model/types.js';
import { colorsFor } from './style.js';
import type { Io } from './io.js';

/**
 * Reads and loads system.yaml; on failure prints every diagnostic and returns
 * undefined. `text`, when given, is loaded instead of the file's content (an
 * edit that is not written yet).
 */
export function readSystem(file: string, io: Io, text?: string): SystemModel | undefined {
  const display = displayPath(file);
  const problems = (diagnostics: readonly Diagnostic[]): undefined => {
    reportProblems(display, diagnostics, io, 'is not valid');
    return undefined;
  };
  if (text !== undefined) {
    const loaded = loadSystem(text, display);
    return loaded.ok ? loaded.model : problems(loaded.diagnostics);
  }
  let content: string;
  try {
    if (statSync(file).isDirectory()) {
      return problems([{ file: display, line: 1, column: 1, message: 'is a directory, not a system.yaml file', hint: `pass the file itself, e.g. ${display}/system.yaml` }]);
    }
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})`;
    return problems([{ file: display, line: 1, column: 1, message, hint: 'pass the path of your system.yaml, e.g. taskflow-gen validate examples/ecommerce/system.yaml' }]);
  }
  const loaded = loadSystem(content, display);
  return loaded.ok ? loaded.model : problems(loaded.diagnostics);
}

/** Prints positioned problems of system.yaml and the line that sums them up: `✖ <file> <verdict>: N problems`. */
export function reportProblems(display: string, diagnostics: readonly Diagnostic[], io: Io, verdict: string): void {
  const c = colorsFor({ isTTY: io.errIsTTY });
  for (const d of diagnostics) io.err(formatDiagnostic(d).replace(/^(\S+)/, (where) => c.bold(where)));
  io.err(c.red(`✖ ${display} ${verdict}: ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}`));
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !rel.startsWith('/') ? rel : file;
}
