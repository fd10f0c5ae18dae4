import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseServiceSnapshot, SnapshotError, type ServiceSnapshot } from '../model/evolution/index.js';
import { migrationsDir, snapshotPath, type History, type ServiceHistory } from '../render/migrations/plan.js';
import type { Manifest } from './manifest.js';

/**
 * Reads what earlier runs left of each service's migrations: its snapshot and
 * the files in its migrations/ folder (with content for those the manifest
 * records as the generator's). Read-only.
 */
export function readHistory(outDir: string, services: readonly string[], manifest: Manifest): History {
  const history = new Map<string, ServiceHistory>();
  for (const service of services) {
    const dir = migrationsDir(service);
    const migrations = sqlFiles(join(outDir, dir)).map((name) => {
      const recorded = manifest.files[`${dir}/${name}`];
      const content = readFileSync(join(outDir, dir, name), 'utf8');
      return recorded && recorded.owner !== 'user' ? { name, content } : { name, unrecorded: content };
    });
    const snapshot = readSnapshot(join(outDir, snapshotPath(service)));
    history.set(service, { migrations, ...snapshot });
  }
  return history;
}

function sqlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.sql'))
      .sort();
  } catch {
    return [];
  }
}

function readSnapshot(path: string): { snapshot?: ServiceSnapshot; snapshotError?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    return { snapshot: parseServiceSnapshot(text) };
  } catch (error) {
    if (error instanceof SnapshotError) return { snapshotError: error.message };
    throw error;
  }
}
