import { readdirSync, readFileSync } from 'node:fs';
import { signal } from './signal.js';

/**
 * The processes of a group dev started and every process they started, even
 * those that left the group: an Erlang VM's erl_child_setup and the helpers
 * it starts (inet_gethost, `sh -c` for disk checks) each lead a session of
 * their own, and exit on their own time once the VM is gone. Found in /proc
 * (each process's parent and group), so on Linux only; elsewhere, the group.
 */
export class Family {
  /** Running processes seen in the family: pid → start time (a reused pid is not ours). */
  private readonly members = new Map<number, number>();

  constructor(private readonly pgid: number) {
    this.update();
  }

  /** Adds the processes that joined since (a child of a member is a member), drops the ones gone. */
  update(): void {
    const table = processes();
    if (!table) return;
    for (const [pid, started] of this.members) {
      if (table.get(pid)?.started !== started) this.members.delete(pid);
    }
    let grown = true;
    while (grown) {
      grown = false;
      for (const [pid, p] of table) {
        if (this.members.has(pid) || !(p.pgrp === this.pgid || this.members.has(p.ppid))) continue;
        this.members.set(pid, p.started);
        grown = true;
      }
    }
  }

  /** SIGKILL to every member still running. */
  kill(): void {
    this.update();
    for (const pid of this.members.keys()) signal(pid, 'SIGKILL');
  }

  /** Whether a member still runs (a zombie does not: it only waits for its parent to collect its exit status). */
  running(): boolean {
    if (!processes()) return signal(-this.pgid, 0);
    this.update();
    return this.members.size > 0;
  }
}

export interface Proc {
  /** One letter: R running, S sleeping, Z zombie, ... */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Clock ticks since boot. */
  readonly started: number;
}

/** Every running process (zombies left out), or undefined without /proc. */
function processes(): Map<number, Proc> | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const table = new Map<number, Proc>();
  for (const pid of pids.map(Number)) {
    const proc = statOf(pid);
    if (proc && proc.state !== 'Z' && proc.state !== 'X') table.set(pid, proc);
  }
  return table;
}

/** A process's /proc/<pid>/stat; undefined when it is gone (or there is no /proc). */
export function statOf(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (which may hold spaces and parentheses): state, ppid, pgrp, ... and field 22, the start time.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]), started: Number(fields[19]) };
  } catch {
    return undefined;
  }
}
