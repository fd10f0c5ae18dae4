import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesIn } from '../../../test/support/dev.js';
import { spawnGroup, stopGroup } from './child.js';

describe('a service process of dev', () => {
  it('has its log file open before it is started, so a folder removed right after cannot fail a later tick', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-child-'));
    const logFile = join(dir, 'log');
    const child = spawnGroup('sh', ['-c', 'sleep 60'], { cwd: tmpdir(), env: {}, logFile });
    try {
      expect(existsSync(logFile)).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    } finally {
      child.kill('SIGKILL');
    }
    expect(await child.exited).toEqual({ code: undefined, signal: 'SIGKILL' });
  });

  it('appends what the process prints to its log, line by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-child-'));
    try {
      const lines: string[] = [];
      const child = spawnGroup('sh', ['-c', 'echo one; echo two >&2'], { cwd: dir, env: {}, logFile: join(dir, 'log'), onLine: (line) => lines.push(line) });
      expect((await child.exited).code).toBe(0);
      expect(lines.sort()).toEqual(['one', 'two']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readFileSync(join(dir, 'log'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['one', 'two']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is stopped with everything it started, even what left its group: none still runs in its folder once stopGroup returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-child-'));
    try {
      let ready!: () => void;
      const started = new Promise<void>((resolve) => (ready = resolve));
      // As an Erlang VM's helpers do: two processes in sessions (and groups) of their own, ignoring SIGTERM and not
      // holding the leader's output open; and a member of the group ignoring SIGTERM too. The leader exits at SIGTERM.
      writeFileSync(join(dir, 'apart.sh'), 'trap "" TERM; sleep 60 & wait\n');
      writeFileSync(join(dir, 'member.sh'), 'for i in 1 2; do setsid sh apart.sh </dev/null >/dev/null 2>&1 & done; trap "" TERM; sleep 60 & echo ready; wait\n');
      const child = spawnGroup('sh', ['-c', 'sh member.sh & exec sleep 60'], { cwd: dir, env: {}, logFile: join(dir, 'log'), onLine: (line) => line === 'ready' && ready() });
      await started;
      await expect.poll(() => processesIn(dir).length).toBe(7);
      await stopGroup(child, 1_000, new Promise(() => undefined));
      expect(processesIn(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
