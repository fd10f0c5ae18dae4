import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './cli.js';

const run = promisify(execFile);

/**
 * A Python virtual environment with exactly `requirements` (pip lines,
 * `name==version`) installed, made once per set of requirements and kept
 * under node_modules/.cache, so a second run (and every parallel test file
 * asking for the same set) reuses it. Returns the venv's directory; run its
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
  // Built aside and renamed into place: another process building the same set wins or loses whole.
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
