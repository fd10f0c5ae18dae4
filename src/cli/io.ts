/** Where a command writes; injected so tests can capture output without spawning. */
export interface Io {
  readonly out: (text: string) => void;
  /** Standard output as is, without adding a line break. */
  readonly write: (text: string) => void;
  readonly err: (text: string) => void;
  readonly outIsTTY: boolean;
  readonly errIsTTY: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  write: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  outIsTTY: Boolean(process.stdout.isTTY),
  errIsTTY: Boolean(process.stderr.isTTY),
};

/** Exit codes shared by every command. */
export const ExitCode = { ok: 0, findings: 1, badInput: 2, internal: 70 } as const;
