import type { Owner, RenderedFile } from '../render/tree.js';
import { manifestPath, parseManifest, serializeManifest, sha256, type Manifest } from './manifest.js';

/**
 * What happens to one path:
 * - create / update: written (update only replaces a generated file nobody edited)
 * - identical: already as rendered
 * - conflict: a generated file that was edited (or a foreign file in the way), or a migration edited after it was written; never overwritten without --force
 * - delete: a generated file the model no longer produces, unedited
 * - skip: a user-owned file that exists; it is never touched again
 * - keep: a file the model no longer produces that stays, because it is the user's (user-owned, or edited)
 * - refresh: the manifest's record of the inputs changes while every file stays the same (say, a comment in system.yaml)
 */
export type ActionKind = 'create' | 'update' | 'identical' | 'conflict' | 'delete' | 'skip' | 'keep' | 'refresh';

export interface Action {
  readonly kind: ActionKind;
  readonly path: string;
  readonly owner: Owner;
  /** Content to write (create, update, and conflict so a diff can be shown). */
  readonly content?: string;
  /** Content now on disk, when there is a file. */
  readonly current?: string;
  /** Why a conflict or keep happened, for the user. */
  readonly reason?: string;
}

export interface Plan {
  /** Every path's action, ordered by path; the manifest's own action comes last. */
  readonly actions: readonly Action[];
}

export interface PlanOptions {
  /** Overwrite edited generated files. */
  readonly force: boolean;
  /** Digest of the inputs, recorded in the manifest for the next run's up-to-date check. */
  readonly inputs?: string;
}

/**
 * Classifies every rendered and previously generated path before anything is
 * written. Pure: `disk` holds the current content of each path of interest
 * (undefined when absent).
 */
export function planWrite(files: readonly RenderedFile[], manifest: Manifest, disk: ReadonlyMap<string, string | undefined>, options: PlanOptions): Plan {
  const actions: Action[] = [];
  const rendered = new Set(files.map((f) => f.path));
  const nextManifest: { path: string; owner: Owner; sha256: string }[] = [];

  for (const file of files) {
    const current = disk.get(file.path);
    const recorded = manifest.files[file.path];
    const base = { path: file.path, owner: file.owner };
    if (file.owner === 'user') {
      nextManifest.push({ path: file.path, owner: 'user', sha256: recorded?.sha256 ?? sha256(file.content) });
      actions.push(current === undefined ? { ...base, kind: 'create', content: file.content } : { ...base, kind: 'skip', current });
      continue;
    }
    nextManifest.push({ path: file.path, owner: file.owner, sha256: sha256(file.content) });
    if (file.owner === 'append-only' && current !== undefined) {
      actions.push(appendOnly(file, current, recorded?.sha256, options));
      continue;
    }
    if (current === undefined) actions.push({ ...base, kind: 'create', content: file.content });
    else if (current === file.content) actions.push({ ...base, kind: 'identical', current });
    else if (recorded !== undefined && recorded.sha256 === sha256(current)) actions.push({ ...base, kind: 'update', content: file.content, current });
    else if (options.force) actions.push({ ...base, kind: 'update', content: file.content, current });
    else {
      const reason = recorded === undefined ? 'a file the generator did not write is in the way' : 'edited since it was generated';
      actions.push({ ...base, kind: 'conflict', content: file.content, current, reason });
    }
  }

  for (const [path, entry] of Object.entries(manifest.files)) {
    if (rendered.has(path) || path === manifestPath) continue;
    const current = disk.get(path);
    if (current === undefined) continue;
    const base = { path, owner: entry.owner, current };
    if (entry.owner === 'user') actions.push({ ...base, kind: 'keep', reason: 'user-owned: kept, no longer generated' });
    else if (sha256(current) === entry.sha256) actions.push({ ...base, kind: 'delete' });
    else actions.push({ ...base, kind: 'keep', reason: 'edited since it was generated: kept, no longer generated' });
  }

  actions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifestContent = serializeManifest(nextManifest, options.inputs);
  const currentManifest = disk.get(manifestPath);
  const manifestAction: Action =
    currentManifest === undefined
      ? { path: manifestPath, owner: 'generator', kind: 'create', content: manifestContent }
      : currentManifest === manifestContent
        ? { path: manifestPath, owner: 'generator', kind: 'identical', current: currentManifest }
        : { path: manifestPath, owner: 'generator', kind: sameFiles(currentManifest, manifestContent) ? 'refresh' : 'update', content: manifestContent, current: currentManifest };
  return { actions: [...actions, manifestAction] };
}

/**
 * An append-only file (a migration) that exists is rendered from what is on
 * disk, so it always equals the rendering; what tells an edit is the sha256
 * the manifest recorded when it was written. An edited migration is a
 * conflict: a database that applied it refuses to start, so `--check` fails
 * in CI before any deployment does. `--force` accepts the edit (for a
 * migration no database has applied yet).
 */
function appendOnly(file: RenderedFile, current: string, recorded: string | undefined, options: PlanOptions): Action {
  const base = { path: file.path, owner: file.owner, current };
  const edited = current !== file.content || (recorded !== undefined && sha256(current) !== recorded);
  if (!edited) return { ...base, kind: 'identical' };
  if (options.force) return { ...base, kind: 'update', content: file.content };
  return {
    ...base,
    kind: 'conflict',
    content: file.content,
    reason: 'a migration edited after it was written: a database that applied it refuses to start; restore it as it was and put the change in system.yaml',
  };
}

function sameFiles(a: string, b: string): boolean {
  return JSON.stringify(parseManifest(a).files) === JSON.stringify(parseManifest(b).files);
}

/** Paths whose current content the plan needs: every rendered path, every recorded path and the manifest. */
export function pathsToRead(files: readonly RenderedFile[], manifest: Manifest): string[] {
  return [...new Set([...files.map((f) => f.path), ...Object.keys(manifest.files), manifestPath])];
}

/** Whether an action means generated output is out of date. User-owned files are the user's business. */
export function isDrift(action: Action): boolean {
  return !(action.kind === 'identical' || action.kind === 'skip' || action.kind === 'keep' || action.kind === 'refresh' || (action.kind === 'create' && action.owner === 'user'));
}

/** Whether `--check` passes: everything generated is current. */
export function isCurrent(plan: Plan): boolean {
  return !plan.actions.some(isDrift);
}

export function count(plan: Plan, kind: ActionKind): number {
  return plan.actions.filter((a) => a.kind === kind).length;
}
