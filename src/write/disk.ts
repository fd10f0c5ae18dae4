import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { manifestPath, sha256, type Manifest } from './manifest.js';
import type { Action, Plan } from './plan.js';

/** Marks temporary files; a run interrupted between write and rename leaves one, and the next run removes it. */
const tempMarker = '.taskflow-tmp-';

/** A problem with the output directory itself: reported as a usage error (exit 2). */
export class OutputDirError extends Error {
  override readonly name = 'OutputDirError';
}

/**
 * Checks the output directory can take the files: not a file, writable, and
 * no path of the plan leads outside it through a symbolic link.
 */
export function checkOutputDir(outDir: string, paths: readonly string[]): void {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new OutputDirError(`${outDir} is a file, not a directory`);
  const root = existingAncestor(outDir);
  try {
    const probe = join(root, `${tempMarker}probe-${process.pid}`);
    closeSync(openSync(probe, 'w'));
    unlinkSync(probe);
  } catch {
    throw new OutputDirError(`${root} is not writable`);
  }
  if (!existsSync(outDir)) return;
  const realRoot = realpathSync(outDir);
  for (const path of paths) {
    const full = join(outDir, path);
    const ancestor = existingAncestor(full);
    if (ancestor !== full && !statSync(ancestor).isDirectory()) throw new OutputDirError(`${relative(outDir, ancestor)} is a file where a folder is needed for ${path}`);
    if (ancestor === full && statSync(full).isDirectory()) throw new OutputDirError(`${path} is a folder where a file is needed`);
    const real = realpathSync(ancestor);
    const rel = relative(realRoot, real);
    if (rel.startsWith('..') || rel.startsWith(sep)) throw new OutputDirError(`${path} would be written outside ${outDir} (through a symbolic link to ${real})`);
  }
}

/** Whether every generated file (migrations included) the manifest records is on disk exactly as it was written. */
export function generatedFilesIntact(outDir: string, manifest: Manifest): boolean {
  for (const [path, entry] of Object.entries(manifest.files)) {
    if (entry.owner === 'user') continue;
    try {
      if (sha256(readFileSync(join(outDir, path), 'utf8')) !== entry.sha256) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Reads the current content of each path under `outDir` (undefined when absent). */
export function readCurrent(outDir: string, paths: readonly string[]): Map<string, string | undefined> {
  const current = new Map<string, string | undefined>();
  for (const path of paths) {
    try {
      current.set(path, readFileSync(join(outDir, path), 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      current.set(path, undefined);
    }
  }
  return current;
}

/**
 * Applies a plan: creates and updates by writing a temporary file beside the
 * target and renaming it over (so a crash leaves the old or the new file,
 * never half of one), then deletes orphans and the folders they leave empty.
 * The bookkeeping under `.taskflow/` comes after every other file, and the
 * manifest last of all, so an interrupted run is simply repeated: a data-model
 * snapshot is never ahead of the migrations made from it (a migration written
 * but not yet recorded is recognised by the next run, see `planServiceMigrations`).
 * Writes run a few at a time: on slow disks most of a write is waiting.
 */
export async function commit(outDir: string, plan: Plan): Promise<void> {
  const written = plan.actions.filter((a) => (a.kind === 'create' || a.kind === 'update' || a.kind === 'refresh') && a.content !== undefined);
  const manifest = written.filter((a) => a.path === manifestPath);
  const bookkeeping = written.filter((a) => a.path !== manifestPath && a.path.startsWith(bookkeepingDir));
  const files = written.filter((a) => !a.path.startsWith(bookkeepingDir));
  sweepTemporaryFiles(outDir, written.map((a) => a.path));
  for (const dir of new Set(written.map((a) => dirname(join(outDir, a.path))))) mkdirSync(dir, { recursive: true });
  await writeAll(outDir, files);
  await writeAll(outDir, bookkeeping);
  for (const action of plan.actions) {
    if (action.kind !== 'delete') continue;
    unlinkSync(join(outDir, action.path));
    removeEmptyParents(outDir, dirname(action.path));
  }
  for (const action of manifest) await writeAtomically(join(outDir, action.path), action.content!);
}

/** Where the generator keeps its records (manifest, snapshots, schema copy). */
const bookkeepingDir = '.taskflow/';
const parallelWrites = 16;

async function writeAll(outDir: string, actions: readonly Action[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < actions.length) {
      const action = actions[next++]!;
      await writeAtomically(join(outDir, action.path), action.content!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelWrites, actions.length) }, worker));
}

async function writeAtomically(target: string, content: string): Promise<void> {
  const temp = join(dirname(target), `${tempMarker}${process.pid}-${target.slice(target.lastIndexOf(sep) + 1)}`);
  // No fsync: rename already guarantees a killed run leaves the old or the new file; syncing
  // every one of thousands of files would only add protection against power loss, at a high cost.
  await writeFile(temp, content, { mode: 0o644 });
  await rename(temp, target);
}

function sweepTemporaryFiles(outDir: string, paths: readonly string[]): void {
  for (const dir of new Set(paths.map((p) => join(outDir, dirname(p))))) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) if (entry.startsWith(tempMarker)) unlinkSync(join(dir, entry));
  }
}

function removeEmptyParents(outDir: string, dir: string): void {
  for (let at = dir; at !== '.' && at !== ''; at = dirname(at)) {
    const full = join(outDir, at);
    if (readdirSync(full).length > 0) return;
    rmdirSync(full);
  }
}

function existingAncestor(path: string): string {
  let at = path;
  while (!existsSync(at)) {
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  return at;
}
