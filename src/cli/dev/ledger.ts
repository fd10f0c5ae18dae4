import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { statOf } from './family.js';
import { sleep } from './net.js';
import { alive, signal } from './signal.js';

/**
 * The process groups (and lone processes) a dev run has started, kept in `.taskflow/dev/run.json`
 * while it runs. A run stopped normally stops its groups itself; one killed
 * outright (SIGKILL, a closed terminal's hard kill) leaves the file behind,
 * and the next run stops the groups it names, and only those: each is
 * recognised by its leader's pid and start time, or, once the leader is gone,
 * by its group id, which the kernel does not hand out again while any member
 * of the group lives.
 */

interface Entry {
  readonly pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat), telling a reused pid apart. */
  readonly started: number | undefined;
  /** A lone process (a type check) rather than the leader of a group. */
  readonly single?: true;
}

interface RunRecord {
  readonly dev: Entry;
  readonly groups: Entry[];
}

export class Ledger {
  private readonly groups = new Map<number, Entry>();

  constructor(private readonly file: string) {
    this.save();
  }

  add(pid: number, kind: 'group' | 'single' = 'group'): void {
    this.groups.set(pid, { pid, started: startTimeOf(pid), ...(kind === 'single' && { single: true as const }) });
    this.save();
  }

  remove(pid: number): void {
    if (this.groups.delete(pid)) this.save();
  }

  /** The run stopped everything it started: nothing to leave for the next one. */
  close(): void {
    rmSync(this.file, { force: true });
  }

  private save(): void {
    const record: RunRecord = { dev: { pid: process.pid, started: startTimeOf(process.pid) }, groups: [...this.groups.values()] };
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(record)}\n`);
    renameSync(`${this.file}.tmp`, this.file);
  }
}

export type Leftovers = { readonly kind: 'none' } | { readonly kind: 'running'; readonly pid: number } | { readonly kind: 'stopped'; readonly groups: readonly number[] };

/**
 * What an earlier dev run on this system left: still running (the caller
 * refuses to start a second one), or killed with its groups alive (stopped
 * here: SIGTERM, then SIGKILL after `graceMs`), or nothing.
 */
export async function stopLeftovers(file: string, graceMs: number): Promise<Leftovers> {
  if (!existsSync(file)) return { kind: 'none' };
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  } catch {
    return { kind: 'none' };
  }
  if (record.dev.pid !== process.pid && sameProcess(record.dev)) return { kind: 'running', pid: record.dev.pid };
  const ours = record.groups.filter((entry) => (entry.single ? sameProcess(entry) : groupAlive(entry.pid) && (!alive(entry.pid) || sameProcess(entry))));
  if (ours.length === 0) return { kind: 'none' };
  const target = (entry: Entry): number => (entry.single ? entry.pid : -entry.pid);
  for (const entry of ours) signal(target(entry), 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && ours.some((entry) => signal(target(entry), 0))) await sleep(100);
  for (const entry of ours) signal(target(entry), 'SIGKILL');
  return { kind: 'stopped', groups: ours.map((entry) => entry.pid) };
}

/** Field 22 of /proc/<pid>/stat. */
function startTimeOf(pid: number): number | undefined {
  return statOf(pid)?.started;
}

/** The process is alive and is the one recorded (where start times can be read; else the pid alone says). */
function sameProcess(entry: Entry): boolean {
  if (!alive(entry.pid)) return false;
  const started = startTimeOf(entry.pid);
  return entry.started === undefined || started === undefined || started === entry.started;
}

function groupAlive(pgid: number): boolean {
  return signal(-pgid, 0);
}
