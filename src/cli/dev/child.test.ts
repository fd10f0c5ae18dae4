import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnGroup } from './child.js';

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
});
