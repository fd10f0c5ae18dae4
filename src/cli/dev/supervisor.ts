import { join } from 'node:path';
import { crashesInARow, restartDelay, type RestartPolicy } from '../../dev/restart.js';
import { SpawnError, spawnGroup, stopGroup, type GroupChild } from './child.js';
import type { Ledger } from './ledger.js';
import { listening, portFree, sleep } from './net.js';

/**
 * Keeps each process of the system running: starts it, waits until it is
 * ready (a service's `/ready`, a database server's port), restarts it with exponential backoff when it crashes (gives up
 * after a crash loop), and stops it gracefully, then forcefully.
 */

/**
 * `crashed`: exited on its own, waiting out its backoff; `restarting`: started
 * again (after a crash or a rebuild), not ready yet.
 */
export type State = 'waiting' | 'starting' | 'ready' | 'crashed' | 'restarting' | 'given up' | 'stopping' | 'stopped';

/** How to start a process: its program, arguments, folder and environment. */
export interface Launch {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

/** Whether the process on `port` is ready to serve. */
export type Readiness = (port: number) => Promise<boolean>;

/** A service: `GET /ready` answers 200. */
export const answersReady: Readiness = async (port) => {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false; // not listening yet
  }
};

/** A server of another protocol (a PGlite server): it accepts connections on 127.0.0.1. */
export const acceptsConnections: Readiness = (port) => listening(port);

export interface Unit {
  readonly name: string;
  readonly port: number;
  readonly logFile: string;
  state: State;
  restarts: number;
  pid?: number;
  /** Why it is in its state, when that needs saying (`exit 1`, `not ready after 60 s`). */
  note?: string;
}

export interface SupervisorOptions {
  readonly logsDir: string;
  readonly policy: RestartPolicy;
  readonly readyTimeoutMs: number;
  readonly onState: (unit: Unit) => void;
  readonly onLine: (unit: Unit, line: string) => void;
  readonly ledger?: Ledger;
}

interface Entry {
  readonly unit: Unit;
  readonly launch: () => Launch;
  readonly ready: Readiness;
  child?: GroupChild;
  crashes: number;
  timer?: NodeJS.Timeout;
  waiters: (() => void)[];
}

export class StartError extends Error {}

export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private closing = false;

  constructor(private readonly options: SupervisorOptions) {}

  add(name: string, port: number, launch: () => Launch, ready: Readiness = answersReady): Unit {
    const unit: Unit = { name, port, logFile: join(this.options.logsDir, `${name}.log`), state: 'waiting', restarts: 0 };
    this.entries.set(name, { unit, launch, ready, crashes: 0, waiters: [] });
    return unit;
  }

  units(): Unit[] {
    return [...this.entries.values()].map((e) => e.unit);
  }

  /** Starts a process and resolves once it is ready; rejects when it gives up before that. */
  async start(name: string): Promise<void> {
    const entry = this.entries.get(name)!;
    void this.run(entry);
    await new Promise<void>((resolve) => entry.waiters.push(resolve));
    if (entry.unit.state !== 'ready') throw new StartError(`${name} did not become ready (${entry.unit.note ?? entry.unit.state}); its log: ${entry.unit.logFile}`);
  }

  /** Stops one process and starts it again (after a rebuild); a restart that is not a crash. */
  async restart(name: string): Promise<void> {
    const entry = this.entries.get(name)!;
    clearTimeout(entry.timer);
    const child = entry.child;
    entry.child = undefined;
    if (child) await stopGroup(child, 5_000, new Promise(() => undefined));
    entry.crashes = 0;
    entry.unit.restarts += 1;
    await this.start(name);
  }

  /** Stops every process, in the order given, each gracefully for `graceMs` then forcefully; `force` cuts every grace short. */
  async stopAll(order: readonly string[], graceMs: number, force: Promise<void>): Promise<void> {
    this.closing = true;
    for (const name of order) {
      const entry = this.entries.get(name);
      if (!entry) continue;
      clearTimeout(entry.timer);
      const child = entry.child;
      entry.child = undefined;
      if (!child) continue;
      this.set(entry, 'stopping');
      await stopGroup(child, graceMs, force);
      this.set(entry, 'stopped');
    }
  }

  /** Every process group started and not yet known to be gone (for a last check). */
  pids(): number[] {
    return [...this.entries.values()].flatMap((e) => (e.child ? [e.child.pid] : []));
  }

  private set(entry: Entry, state: State, note?: string): void {
    entry.unit.state = state;
    if (note === undefined) delete entry.unit.note;
    else entry.unit.note = note;
    this.options.onState(entry.unit);
    if (state === 'ready' || state === 'given up') for (const resolve of entry.waiters.splice(0)) resolve();
  }

  private async run(entry: Entry): Promise<void> {
    if (this.closing) return;
    // Another program listening on the port would answer /ready in this process's stead: a crash, said as such.
    if (!(await portFree(entry.unit.port))) return this.crashed(entry, `port ${entry.unit.port} is taken by another program`, 0);
    // Stopping began, or another start (a rebuild's) got there first, while the port was checked.
    if (this.closing || entry.child) return;
    const launch = entry.launch();
    let child: GroupChild;
    try {
      child = spawnGroup(launch.file, launch.args, { cwd: launch.cwd, env: launch.env, logFile: entry.unit.logFile, onLine: (line) => this.options.onLine(entry.unit, line), ledger: this.options.ledger });
    } catch (error) {
      return this.notStarted(entry, launch, error);
    }
    entry.child = child;
    entry.unit.pid = child.pid;
    const started = Date.now();
    this.set(entry, entry.unit.restarts > 0 ? 'restarting' : 'starting');
    void child.exited.then(({ code, signal }) => {
      if (entry.child !== child || this.closing) return; // stopped on purpose
      entry.child = undefined;
      this.crashed(entry, signal ? `killed by ${signal}` : `exit ${code ?? '?'}`, Date.now() - started);
    });
    void this.waitReady(entry, child);
  }

  /**
   * A process that could not be started at all (its program missing or not executable, its log not writable) is given
   * up on at once: unlike a crash, waiting does not mend that, so a backoff would only repeat the same refusal
   * for seconds before saying so. A later restart (after a rebuild) tries again.
   */
  private async notStarted(entry: Entry, launch: Launch, error: unknown): Promise<void> {
    const why =
      error instanceof SpawnError
        ? `${error.message}: ${await error.reason}; check that it exists and is executable`
        : `cannot start ${launch.file}: ${error instanceof Error ? error.message : String(error)}`;
    // Stopping began, or another start (a rebuild's) got there, while the reason was awaited.
    if (this.closing || entry.child) return;
    delete entry.unit.pid;
    this.set(entry, 'given up', `${why}; not restarted again`);
  }

  private crashed(entry: Entry, why: string, uptimeMs: number): void {
    entry.crashes = crashesInARow(entry.crashes, uptimeMs, this.options.policy);
    const delay = restartDelay(entry.crashes, this.options.policy);
    if (delay === undefined) {
      this.set(entry, 'given up', `${why}; crashed ${entry.crashes} times in a row, not restarted again (see ${entry.unit.logFile})`);
      return;
    }
    this.set(entry, 'crashed', `${why}; restarting in ${(delay / 1000).toFixed(1)} s`);
    entry.timer = setTimeout(() => {
      entry.unit.restarts += 1;
      void this.run(entry);
    }, delay);
  }

  private async waitReady(entry: Entry, child: GroupChild): Promise<void> {
    const deadline = Date.now() + this.options.readyTimeoutMs;
    while (entry.child === child && child.running()) {
      if ((await entry.ready(entry.unit.port)) && entry.child === child) {
        this.set(entry, 'ready');
        return;
      }
      if (Date.now() > deadline) {
        // Not ready in time counts as a crash: kill it; its exit restarts it.
        entry.unit.note = `not ready after ${this.options.readyTimeoutMs / 1000} s`;
        child.kill('SIGKILL');
        return;
      }
      await sleep(100);
    }
  }
}
