import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commit } from './disk.js';
import { manifestPath } from './manifest.js';
import type { Action } from './plan.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const create = (path: string, owner: Action['owner'] = 'generator'): Action => ({ kind: 'create', path, owner, content: `${path}\n` });

describe('commit', () => {
  it('writes the records under .taskflow/ only once every other file is written: a snapshot is never ahead of its migration', async () => {
    const out = mkdtempSync(join(tmpdir(), 'taskflow-commit-'));
    dirs.push(out);
    const migration = 'services/shop/migrations/0003_products_add_brand.sql';
    // A folder where the migration goes: its rename fails, as a run stopped at that point would leave it unwritten.
    mkdirSync(join(out, migration), { recursive: true });
    const actions = [create('.taskflow/snapshots/shop.json'), create('README.md'), create(migration, 'append-only'), create(manifestPath)];
    await expect(commit(out, { actions })).rejects.toThrow();
    expect(existsSync(join(out, '.taskflow/snapshots/shop.json'))).toBe(false);
    expect(existsSync(join(out, manifestPath))).toBe(false);
  });

  it('writes every file, the records and the manifest when nothing fails', async () => {
    const out = mkdtempSync(join(tmpdir(), 'taskflow-commit-'));
    dirs.push(out);
    const paths = ['.taskflow/snapshots/shop.json', 'README.md', 'services/shop/migrations/0003_products_add_brand.sql', manifestPath];
    await commit(out, { actions: paths.map((p) => create(p)) });
    expect(paths.map((p) => readFileSync(join(out, p), 'utf8'))).toEqual(paths.map((p) => `${p}\n`));
  });
});
