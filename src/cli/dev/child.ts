import { createWriteStream, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { Family } from './family.js';
import type { Ledger } from './ledger.js';
import { sleep } from './net.js';

/**
 * A child process that leads its own process group, so that it and whatever
 * it starts are signalled together and none is left behind. Everything it
 * prints is appended to `logFile` and handed to `onLine`, line by line.
 */
export interface GroupChild {
  readonly pid: number;
  /** Resolves once the process has exited, with its exit code or signal. */
  readonly exited: Promise<{ code: number | undefined; signal: string | undefined }>;
  /** Signals the whole group; no-op once it is gone. */
  kill(signal: NodeJS.Signals): void;
  readonly running: () => boolean;
}

export interface SpawnOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly logFile: string;
  readonly onLine?: (line: string) => void;
  /** Where the run records the group while it lives (see ledger.ts). */
  readonly ledger?: Ledger;
}

/** The program could not be started at all; `reason` says why once the OS has told (it does so after the spawn returns). */
export class SpawnError extends Error {
  constructor(
    readonly file: string,
    readonly reason: Promise<string>,
  ) {
    super(`cannot start ${file}`);
  }
}

/** What the OS's refusal to start a program means, in the user's words. */
function spawnFailure(code: string | undefined, cwd: string): string | undefined {
  if (code === 'ENOENT') return `no such program (or no folder ${cwd} to start it in)`;
  if (code === 'EACCES') return 'not executable (permission denied)';
  return undefined;
}

export function spawnGroup(file: string, args: readonly string[], options: SpawnOptions): GroupChild {
  mkdirSync(dirname(options.logFile), { recursive: true });
  // Opened here, not by the stream later: a log that cannot be opened fails the start, not a later tick.
  const log = createWriteStream('', { fd: openSync(options.logFile, 'a') });
  log.on('error', (error) => options.onLine?.(`[dev] cannot write ${options.logFile}: ${error.message}`));
  const child = execa(file, args, { cwd: options.cwd, env: options.env, extendEnv: true, detached: true, stdin: 'ignore', buffer: false, reject: false, cleanup: false });
  let alive = true;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      log.write(line + '\n');
      options.onLine?.(line);
    });
  }
  if (child.pid === undefined) {
    log.end();
    throw new SpawnError(file, child.then((result) => spawnFailure(result.code, options.cwd) ?? result.originalMessage ?? 'unknown error'));
  }
  const pid = child.pid;
  options.ledger?.add(pid);
  const ended = (): void => {
    alive = false;
    log.end();
    options.ledger?.remove(pid);
  };
  const exited = child.then(
    (result) => {
      ended();
      return { code: result.exitCode, signal: result.signal };
    },
    () => {
      ended();
      return { code: undefined, signal: undefined };
    },
  );
  return {
    pid,
    exited,
    running: () => alive,
    kill(signal) {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is already gone.
      }
    },
  };
}

/** How long, after SIGKILL, what a group started may take to be gone: the kernel tears a large process (an Erlang VM) down in its own time. */
const goneMs = 5_000;

/**
 * SIGTERM to the group, then SIGKILL once `graceMs` has passed (or at once when `force`),
 * and SIGKILL to what it started that left the group. Resolves once none of
 * them runs any more, not merely the leader: nothing dev started outlives
 * dev's saying it stopped it.
 */
export async function stopGroup(child: GroupChild, graceMs: number, force: Promise<void>): Promise<void> {
  const family = new Family(child.pid);
  // What it starts while it stops is its family too, as long as its parent lives to say so.
  const watch = setInterval(() => family.update(), 250);
  try {
    if (child.running()) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([child.exited, deadline, force]);
      clearTimeout(timer);
    }
    child.kill('SIGKILL'); // and the grandchildren the leader left behind
    await child.exited;
    family.kill();
    const gone = Date.now() + goneMs;
    while (family.running() && Date.now() < gone) await sleep(20);
  } finally {
    clearInterval(watch);
  }
}
