/** A 1-based position in a source file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A problem in the user's input, carried as a value until the CLI prints it. */
export interface Diagnostic extends Position {
  readonly file: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
}

/** `file:line:col  message  (hint)`: the one format every input error is printed in. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  return d.hint ? `${where}  ${d.message}  (${d.hint})` : `${where}  ${d.message}`;
}

/** Orders diagnostics by position so output is stable and reads top to bottom. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}
