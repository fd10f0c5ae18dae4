import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Supervisor, type State } from './supervisor.js';
import { anyFreePort } from './net.js';

const logsDir = mkdtempSync(join(tmpdir(), 'tf-dev-supervisor-'));
afterAll(() => rmSync(logsDir, { recursive: true, force: true }));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Supervisor (real processes)', () => {
  it('restarts a process that keeps crashing with growing delays, then gives up on it, loudly', async () => {
    const states: string[] = [];
    const supervisor = new Supervisor({
      logsDir,
      policy: { initialMs: 50, maxMs: 400, stableMs: 10_000, maxCrashes: 4 },
      readyTimeoutMs: 10_000,
      onState: (unit) => states.push(`${unit.state}${unit.note ? `: ${unit.note}` : ''}`),
      onLine: () => undefined,
    });
    supervisor.add('crasher', await anyFreePort(), () => ({ file: process.execPath, args: ['-e', 'console.log("up"); process.exit(3)'], cwd: logsDir, env: {} }));
    await expect(supervisor.start('crasher')).rejects.toThrow(/crasher did not become ready \(exit 3; crashed 4 times in a row, not restarted again/);
    expect(states.filter((s) => s.startsWith('restarting'))).toEqual(['restarting: exit 3; restarting in 0.1 s', 'restarting: exit 3; restarting in 0.1 s', 'restarting: exit 3; restarting in 0.2 s']);
    expect(states.at(-1)).toMatch(/^given up/);
    expect(supervisor.units()[0]!.restarts).toBe(3);
    expect(readFileSync(join(logsDir, 'crasher.log'), 'utf8').split('\n').filter((l) => l === 'up')).toHaveLength(4);
  });

  it('waits for /ready, then stops gracefully, or kills a process (and its children) that ignores SIGTERM', async () => {
    const port = await anyFreePort();
    // A server that answers /ready, ignores SIGTERM and has a child of its own in its process group.
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('child ' + child.pid);
      process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
      require('node:http').createServer((req, res) => res.end('ok')).listen(${port});`;
    const seen: State[] = [];
    const supervisor = new Supervisor({ logsDir, policy: { initialMs: 50, maxMs: 50, stableMs: 10_000, maxCrashes: 2 }, readyTimeoutMs: 10_000, onState: (u) => seen.push(u.state), onLine: () => undefined });
    const unit = supervisor.add('stubborn', port, () => ({ file: process.execPath, args: ['-e', script], cwd: logsDir, env: {} }));
    await supervisor.start('stubborn');
    expect(unit.state).toBe('ready');
    const leader = unit.pid!;
    const grandchild = Number(/child (\d+)/.exec(readFileSync(unit.logFile, 'utf8'))![1]);
    expect(alive(grandchild)).toBe(true);
    const started = Date.now();
    await supervisor.stopAll(['stubborn'], 500, new Promise(() => undefined));
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(readFileSync(unit.logFile, 'utf8')).toContain('ignoring SIGTERM');
    expect(alive(leader)).toBe(false);
    await expect.poll(() => alive(grandchild)).toBe(false);
    expect(seen.slice(-2)).toEqual(['stopping', 'stopped']);
    expect(existsSync(unit.logFile)).toBe(true);
  });
});
