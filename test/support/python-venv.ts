import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './cli.js';

const run = promisify(execFile);

/**
 * A Python virtual environment with exactly `requirements` (pip lines,
 * `name==version`) installed, made once per set of requirements and kept
 * under node_modules/.cache, so a second run (and every parallel test file
 * asking for the same set) reuses it; test files running at once build a
 * set once, the others waiting for it. Returns the venv's directory; run its
 * tools as `bin/python -m <tool>` (it was built elsewhere and renamed into
 * place, so the scripts' shebangs point nowhere). Fails with what to install when `python3` is
 * missing.
 */
export async function pythonVenv(requirements: readonly string[]): Promise<string> {
  const lines = [...new Set(requirements)].sort();
  const digest = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  const root = join(repoRoot, 'node_modules', '.cache', 'taskflow-gen-venvs');
  const dir = join(root, digest);
  if (existsSync(join(dir, '.complete'))) return dir;
  let ongoing = building.get(dir);
  if (!ongoing) {
    ongoing = build(root, dir, lines).finally(() => building.delete(dir));
    building.set(dir, ongoing);
  }
  await ongoing;
  return dir;
}

const building = new Map<string, Promise<void>>();

async function build(root: string, dir: string, lines: readonly string[]): Promise<void> {
  const python = await pythonCommand();
  mkdirSync(root, { recursive: true });
  const lock = await takeLock(`${dir}.lock`);
  try {
    if (!existsSync(join(dir, '.complete'))) await install(python, dir, lines);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A directory made atomically names the process building a set; the others
 * wait for it to go. One left by a process that died is taken over.
 */
async function takeLock(lock: string): Promise<string> {
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!held(lock)) rmSync(lock, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function held(lock: string): boolean {
  let pid = 0;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // read below as no pid
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    // No pid yet: its owner is between making the directory and writing it (or died there).
    try {
      return Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function install(python: string, dir: string, lines: readonly string[]): Promise<void> {
  // Built aside and renamed into place: a set is there whole or not at all.
  const temp = `${dir}.${process.pid}.${Date.now()}`;
  try {
    await run(python, ['-m', 'venv', temp]);
    writeFileSync(join(temp, 'requirements.txt'), `${lines.join('\n')}\n`);
    await run(join(temp, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', join(temp, 'requirements.txt')], { maxBuffer: 16 * 1024 * 1024 });
    writeFileSync(join(temp, '.complete'), '');
    if (!existsSync(join(dir, '.complete'))) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(temp, dir);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

async function pythonCommand(): Promise<string> {
  for (const candidate of ['python3.11', 'python3']) {
    try {
      const { stdout } = await run(candidate, ['-c', 'import sys, venv; print(sys.version_info >= (3, 11))']);
      if (stdout.trim() === 'True') return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('Python 3.11 or later with venv is needed to run the generated Python services: install it (Debian: apt-get install python3 python3-venv)');
}
