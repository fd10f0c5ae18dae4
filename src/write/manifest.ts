import { createHash } from 'node:crypto';
import type { Owner, RenderedFile } from '../render/tree.js';

/** Where the record of generated files lives, relative to the output directory. */
export const manifestPath = '.taskflow/manifest.json';

export interface ManifestEntry {
  readonly owner: Owner;
  /** sha256 of the content as the generator wrote it. */
  readonly sha256: string;
}

/** What the last run wrote: lets the next run tell edited files from stale ones and find orphans. */
export interface Manifest {
  readonly files: Readonly<Record<string, ManifestEntry>>;
  /** Digest of everything the files were rendered from (system.yaml, tool version, templates). */
  readonly inputs?: string;
}

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Parses a manifest; an unreadable one counts as absent (every existing file is then treated as foreign). */
export function parseManifest(text: string | undefined): Manifest {
  if (text === undefined) return { files: {} };
  try {
    const parsed = JSON.parse(text) as { files?: Record<string, ManifestEntry>; inputs?: unknown };
    const files: Record<string, ManifestEntry> = {};
    for (const [path, entry] of Object.entries(parsed.files ?? {})) {
      if ((entry.owner === 'generator' || entry.owner === 'user' || entry.owner === 'append-only') && typeof entry.sha256 === 'string') files[path] = { owner: entry.owner, sha256: entry.sha256 };
    }
    return typeof parsed.inputs === 'string' ? { files, inputs: parsed.inputs } : { files };
  } catch {
    return { files: {} };
  }
}

/** The manifest for a set of files, as stable JSON (sorted paths, no timestamps). */
export function serializeManifest(files: readonly (Pick<RenderedFile, 'path' | 'owner'> & { sha256: string })[], inputs?: string): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  const record = Object.fromEntries(sorted.map((f) => [f.path, { owner: f.owner, sha256: f.sha256 }]));
  return JSON.stringify({ generator: 'taskflow-gen', ...(inputs !== undefined && { inputs }), files: record }, null, 2) + '\n';
}

/** The digest recorded as `inputs`: same digest, same rendered files, since rendering is deterministic. */
export function inputsDigest(parts: readonly string[]): string {
  return sha256(parts.join('\0'));
}
