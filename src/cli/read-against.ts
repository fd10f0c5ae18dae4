import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { SystemModel } from '../model/types.js';
import type { Io } from './io.js';
import { displayPath, readSystem, reportProblems } from './read-system.js';

/**
 * The older system of `lint --against`: a file when `against` names one,
 * otherwise system.yaml as a git revision (`origin/main`, `HEAD~1`) holds it,
 * read with `git show` from the folder of `file`. Prints problems and returns
 * undefined when neither works or the older file is not valid.
 */
export function readAgainst(against: string, file: string, io: Io): SystemModel | undefined {
  if (existsSync(against) && statSync(against).isFile()) return readSystem(against, io);
  const display = `${against}:${displayPath(file)}`;
  let text: string;
  try {
    text = execFileSync('git', ['show', `${against}:./${basename(file)}`], { cwd: dirname(file), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    const reason = failure.code === 'ENOENT' ? 'git is not installed' : (failure.stderr ?? '').trim().split('\n')[0] || failure.message;
    const message = `--against ${against}: no such file, and git cannot show ${basename(file)} at that revision (${reason})`;
    reportProblems(display, [{ file: display, line: 1, column: 1, message, hint: 'pass an older system.yaml, or a git revision that has it, such as origin/main or HEAD~1' }], io, 'cannot be compared with');
    return undefined;
  }
  return readSystem(display, io, text);
}
