import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/cli.js';
import { Supervisor, type State } from './supervisor.js';
import { anyFreePort } from './net.js';
import { alive } from './signal.js';

const logsDir = mkdtempSync(join(tmpdir(), 'tf-dev-supervisor-'));
afterAll(() => rmSync(logsDir, { recursive: true, force: true }));

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
    expect(states.filter((s) => s.startsWith('crashed'))).toEqual(['crashed: exit 3; restarting in 0.1 s', 'crashed: exit 3; restarting in 0.1 s', 'crashed: exit 3; restarting in 0.2 s']);
    // Each start after a crash is a restart.
    expect(states.filter((s) => s === 'starting' || s === 'restarting')).toEqual(['starting', 'restarting', 'restarting', 'restarting']);
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

  it('stops in the order given (dev: gateway, then callers before callees), each waited for before the next', async () => {
    const stopped: string[] = [];
    const supervisor = new Supervisor({ logsDir, policy: { initialMs: 50, maxMs: 50, stableMs: 10_000, maxCrashes: 2 }, readyTimeoutMs: 10_000, onState: (u) => u.state === 'stopped' && stopped.push(u.name), onLine: () => undefined });
    // Each takes 200 ms to stop after SIGTERM, so an order not waited for would show.
    const server = (port: number): string => `process.on('SIGTERM', () => setTimeout(() => process.exit(0), 200)); require('node:http').createServer((q, s) => s.end('ok')).listen(${port});`;
    for (const name of ['user', 'order', 'gateway']) {
      const port = await anyFreePort();
      supervisor.add(name, port, () => ({ file: process.execPath, args: ['-e', server(port)], cwd: logsDir, env: {} }));
      await supervisor.start(name);
    }
    const pids = supervisor.pids();
    expect(pids).toHaveLength(3);
    await supervisor.stopAll(['gateway', 'order', 'user'], 5_000, new Promise(() => undefined));
    expect(stopped).toEqual(['gateway', 'order', 'user']);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a first SIGINT stops gracefully; a second one forces at once, cutting the grace short (dev\'s own signals and supervisor, in a process of their own)', async () => {
    const port = await anyFreePort();
    const script = join(logsDir, 'signals.mjs');
    const dist = (path: string): string => JSON.stringify(join(repoRoot, 'dist', 'cli', 'dev', path));
    // As dev does: signals() first; on the first signal stopAll with a long grace (60 s) and \`forced\` as the cut.
    writeFileSync(
      script,
      `import { signals } from ${dist('signals.js')};
       import { Supervisor } from ${dist('supervisor.js')};
       const stop = signals();
       const supervisor = new Supervisor({ logsDir: ${JSON.stringify(logsDir)}, policy: { initialMs: 50, maxMs: 50, stableMs: 10000, maxCrashes: 2 }, readyTimeoutMs: 10000, onState: (u) => console.log('state ' + u.state + ' ' + (u.pid ?? '')), onLine: () => undefined });
       supervisor.add('stubborn', ${port}, () => ({ file: process.execPath, args: ['-e', "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); require('node:http').createServer((q, s) => s.end('ok')).listen(${port})"], cwd: ${JSON.stringify(logsDir)}, env: {} }));
       await supervisor.start('stubborn');
       console.log('up');
       await stop.requested;
       const began = Date.now();
       await supervisor.stopAll(['stubborn'], 60000, stop.forced);
       console.log('stopped after ' + (Date.now() - began) + ' ms');
       stop.dispose(0);`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await expect.poll(() => output, { timeout: 20_000 }).toContain('up');
    const stubborn = Number(/state ready (\d+)/.exec(output)![1]);
    child.kill('SIGINT');
    await expect.poll(() => output).toContain('state stopping');
    // The grace is 60 s and the process ignores SIGTERM: after a second it is still there, still being stopped.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(alive(stubborn)).toBe(true);
    expect(readFileSync(join(logsDir, 'stubborn.log'), 'utf8')).toContain('ignoring SIGTERM');
    const forcedAt = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(Date.now() - forcedAt).toBeLessThan(5_000);
    expect(output).toMatch(/state stopped/);
    expect(alive(stubborn)).toBe(false);
  }, 60_000);

  it('does not take another program on its port for the process: never started there, said as a crash, given up on after the loop', async () => {
    const port = await anyFreePort();
    // Someone else answers 200 on /ready at that port (another dev run, say, that took it after dev chose it).
    const stranger = createServer((_, response) => response.end('not yours'));
    await new Promise<void>((resolve) => stranger.listen(port, '0.0.0.0', resolve));
    try {
      const states: string[] = [];
      let launched = 0;
      const supervisor = new Supervisor({ logsDir, policy: { initialMs: 50, maxMs: 50, stableMs: 10_000, maxCrashes: 3 }, readyTimeoutMs: 10_000, onState: (u) => states.push(`${u.state}${u.note ? `: ${u.note}` : ''}`), onLine: () => undefined });
      supervisor.add('late', port, () => {
        launched += 1;
        return { file: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], cwd: logsDir, env: {} };
      });
      await expect(supervisor.start('late')).rejects.toThrow(new RegExp(`late did not become ready \\(port ${port} is taken by another program; crashed 3 times in a row, not restarted again`));
      expect(launched).toBe(0);
      expect(states).toEqual([`crashed: port ${port} is taken by another program; restarting in 0.1 s`, `crashed: port ${port} is taken by another program; restarting in 0.1 s`, expect.stringMatching(/^given up: port \d+ is taken by another program; crashed 3 times/)]);
    } finally {
      stranger.close();
    }
  });

  it('gives up at once, saying which program and why, on a program that cannot be started (missing, not executable)', async () => {
    const missing = join(logsDir, 'no-such-folder', 'no-such-program');
    const notExecutable = join(logsDir, 'not-executable.sh');
    writeFileSync(notExecutable, '#!/bin/sh\necho up\n');
    chmodSync(notExecutable, 0o644);
    const states: string[] = [];
    let launched = 0;
    const supervisor = new Supervisor({ logsDir, policy: { initialMs: 50, maxMs: 50, stableMs: 10_000, maxCrashes: 3 }, readyTimeoutMs: 10_000, onState: (u) => states.push(`${u.name} ${u.state}${u.note ? `: ${u.note}` : ''}`), onLine: () => undefined });
    const program = (file: string) => () => {
      launched += 1;
      return { file, args: [], cwd: logsDir, env: {} };
    };
    supervisor.add('ghost', await anyFreePort(), program(missing));
    supervisor.add('plain', await anyFreePort(), program(notExecutable));
    await expect(supervisor.start('ghost')).rejects.toThrow(`ghost did not become ready (cannot start ${missing}: no such program (or no folder ${logsDir} to start it in); check that it exists and is executable; not restarted again)`);
    await expect(supervisor.start('plain')).rejects.toThrow(`plain did not become ready (cannot start ${notExecutable}: not executable (permission denied); check that it exists and is executable; not restarted again)`);
    expect(launched).toBe(2);
    expect(states.map((s) => s.replace(/:.*/, ''))).toEqual(['ghost given up', 'plain given up']);
    expect(supervisor.pids()).toEqual([]);
  });
});
