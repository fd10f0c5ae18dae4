import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { SystemModel } from '../model/types.js';
import type { Io } from './io.js';
import { displayPath, readSystem, reportProblems } from './read-system.js';

/**
 * The older system of `lint --against`: a system model to compare with,
 * `'absent'` when `against` is a git revision that does not have the file yet
 * (the pull request that adds system.yaml: nothing can break, so nothing is
 * compared), or undefined when neither works or the older file is not valid
 * (its problems printed).
 */
export type Against = SystemModel | 'absent' | undefined;

/**
 * A file when `against` names one, otherwise system.yaml as a git revision
 * (`origin/main`, `HEAD~1`) holds it, read with `git show` from the folder of
 * `file`.
 */
export function readAgainst(against: string, file: string, io: Io): Against {
  if (existsSync(against) && statSync(against).isFile()) return readSystem(against, io);
  const display = `${against}:${displayPath(file)}`;
  const cwd = dirname(file);
  const path = `${against}:./${basename(file)}`;
  let text: string;
  try {
    text = git(['show', path], cwd);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code !== 'ENOENT' && isCommit(against, cwd)) {
      io.err(`${displayPath(file)} does not exist at ${against}: nothing to compare it with, so breaking-change reports nothing`);
      return 'absent';
    }
    const reason = failure.code === 'ENOENT' ? 'git is not installed' : (failure.stderr ?? '').trim().split('\n')[0] || failure.message;
    const message = `--against ${against}: no such file, and git cannot show ${basename(file)} at that revision (${reason})`;
    reportProblems(display, [{ file: display, line: 1, column: 1, message, hint: 'pass an older system.yaml, or a git revision that has it, such as origin/main or HEAD~1' }], io, 'cannot be compared with');
    return undefined;
  }
  return readSystem(display, io, text);
}

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

/** Whether git knows `revision` as a commit (so a failed `git show` means the file is not in it). */
function isCommit(revision: string, cwd: string): boolean {
  try {
    git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], cwd);
    return true;
  } catch {
    return false;
  }
}
