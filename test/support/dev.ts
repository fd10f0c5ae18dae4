import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot } from './cli.js';

/** What the `taskflow-gen dev` tests share: example copies, dev as a child, the processes it left, network namespaces. */

/** A copy of an example with a unique system name (broker objects of parallel runs never mix). */
export function exampleCopy(example: string, edit: (yaml: string) => string): { dir: string; name: string } {
  const dir = mkdtempSync(join(tmpdir(), `tf-dev-${example}-`));
  cpSync(join(repoRoot, 'examples', example), dir, { recursive: true });
  const name = `dev${randomBytes(3).toString('hex')}-${example}`;
  const file = join(dir, 'system.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8').replace(/^name: .*$/m, `name: ${name}`)));
  return { dir, name };
}

/**
 * Every process whose working directory is inside `dir`: what dev started
 * (services, a broker) runs there. The terminal's own shell, which waits
 * there after dev exits (`sleep 120`, see test/support/terminal.ts), is not one.
 */
export function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir) && command !== 'sleep 120 ') found.push(`${pid} ${command}`);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

export function field(screen: string, label: string): string {
  const match = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(screen);
  if (!match) throw new Error(`no '${label}' line in dev's output:\n${screen}`);
  return match[1]!;
}

export interface Unit {
  name: string;
  state: string;
  port: number;
  restarts: number;
  pid?: number;
}

/** dev started as a child without a terminal (plain lines), its output gathered; `node` may be prefixed (a network namespace). */
export function devChild(dir: string, args: readonly string[], env: NodeJS.ProcessEnv, node: readonly string[] = [process.execPath]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const [file, ...prefix] = node;
  const child = spawn(file!, [...prefix, cliPath, 'dev', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => (child.exitCode === null ? output : `exited ${child.exitCode}: ${output}`), exited };
}

/** The environment of a running process, as the kernel has it. */
export function environmentOf(pid: number): Record<string, string> {
  return Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
}

/** A network namespace of our own: only its loopback, where nothing of the machine listens. */
export function namespace(): { name: string; exec: (command: string[]) => string[]; remove: () => void } {
  const name = `tfdev${randomBytes(3).toString('hex')}`;
  const ip = (...args: string[]): void => {
    const result = spawnSync('ip', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`ip ${args.join(' ')} failed (the dev tests need root and iproute2 for network namespaces): ${result.stderr}`);
  };
  ip('netns', 'add', name);
  ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  return { name, exec: (command) => ['ip', 'netns', 'exec', name, ...command], remove: () => ip('netns', 'del', name) };
}
