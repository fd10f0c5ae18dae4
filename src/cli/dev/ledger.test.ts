import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnGroup, type GroupChild } from './child.js';
import { Ledger, stopLeftovers } from './ledger.js';

/** Real process groups: a shell leading two sleeps, as a service leads what it starts. */
const dirs: string[] = [];
const started: GroupChild[] = [];

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tf-ledger-'));
  dirs.push(dir);
  return dir;
}

function group(dir: string, ledger?: Ledger): GroupChild {
  const child = spawnGroup('sh', ['-c', 'sleep 60 & sleep 60'], { cwd: dir, env: {}, logFile: join(dir, 'log'), ...(ledger && { ledger }) });
  started.push(child);
  return child;
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const startTime = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]);

afterEach(async () => {
  for (const child of started.splice(0)) {
    child.kill('SIGKILL');
    await child.exited;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the ledger of a dev run', () => {
  it('records the groups it started while they live, and a later run stops those a killed run left', async () => {
    const dir = scratch();
    const file = join(dir, 'run.json');
    const ledger = new Ledger(file);
    const kept = group(dir, ledger);
    const ended = group(dir, ledger);
    ended.kill('SIGKILL');
    await ended.exited;
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { dev: { pid: number }; groups: { pid: number }[] };
    expect(recorded.dev.pid).toBe(process.pid);
    expect(recorded.groups.map((g) => g.pid)).toEqual([kept.pid]);

    // The run that wrote the file is gone without stopping anything (here: this process, which is not "another run").
    expect(await stopLeftovers(file, 2_000)).toEqual({ kind: 'stopped', groups: [kept.pid] });
    await kept.exited;
    expect(groupAlive(kept.pid)).toBe(false);
  });

  it('leaves alone a process whose pid was reused since (another start time)', async () => {
    const dir = scratch();
    const stranger = group(dir);
    const file = join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ dev: { pid: 1, started: 0 }, groups: [{ pid: stranger.pid, started: startTime(stranger.pid) + 1 }] }));
    expect(await stopLeftovers(file, 500)).toEqual({ kind: 'none' });
    expect(stranger.running()).toBe(true);
  });

  it('says so when the run that wrote the file is still running, and stops nothing', async () => {
    const dir = scratch();
    const otherRun = spawn('sleep', ['60'], { stdio: 'ignore' });
    const service = group(dir);
    try {
      const file = join(dir, 'run.json');
      writeFileSync(file, JSON.stringify({ dev: { pid: otherRun.pid, started: startTime(otherRun.pid!) }, groups: [{ pid: service.pid, started: startTime(service.pid) }] }));
      expect(await stopLeftovers(file, 500)).toEqual({ kind: 'running', pid: otherRun.pid });
      expect(service.running()).toBe(true);
    } finally {
      otherRun.kill('SIGKILL');
    }
  });

  it('is removed by a run that stopped everything, and a missing or unreadable file means nothing was left', async () => {
    const dir = scratch();
    const file = join(dir, 'run.json');
    new Ledger(file).close();
    expect(existsSync(file)).toBe(false);
    expect(await stopLeftovers(file, 500)).toEqual({ kind: 'none' });
    writeFileSync(file, '{ not json');
    expect(await stopLeftovers(file, 500)).toEqual({ kind: 'none' });
  });
});
