import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../render/tree.js';
import { manifestPath, parseManifest, serializeManifest, sha256 } from './manifest.js';
import { isCurrent, planWrite, type ActionKind } from './plan.js';

const gen = (path: string, content: string): RenderedFile => ({ path, content, owner: 'generator' });
const user = (path: string, content: string): RenderedFile => ({ path, content, owner: 'user' });

/** A manifest as the previous run would have written it for these files. */
function manifestOf(files: RenderedFile[]) {
  return parseManifest(serializeManifest(files.map((f) => ({ ...f, sha256: sha256(f.content) }))));
}

function kinds(plan: ReturnType<typeof planWrite>): Record<string, ActionKind> {
  return Object.fromEntries(plan.actions.map((a) => [a.path, a.kind]));
}

describe('planWrite', () => {
  const previous = [gen('a.yml', 'a1\n'), gen('b.yml', 'b1\n'), user('.env', 'X=1\n')];
  const manifest = manifestOf(previous);

  it('creates everything on a first run and then finds it identical', () => {
    const disk = new Map<string, string | undefined>();
    const first = planWrite(previous, parseManifest(undefined), disk, { force: false });
    expect(kinds(first)).toEqual({ '.env': 'create', 'a.yml': 'create', 'b.yml': 'create', [manifestPath]: 'create' });
    const written = new Map(first.actions.map((a) => [a.path, a.content]));
    const second = planWrite(previous, manifest, written, { force: false });
    expect(kinds(second)).toEqual({ '.env': 'skip', 'a.yml': 'identical', 'b.yml': 'identical', [manifestPath]: 'identical' });
    expect(isCurrent(second)).toBe(true);
  });

  it('updates unedited generated files, refuses edited ones unless forced, and never touches user files', () => {
    const next = [gen('a.yml', 'a2\n'), gen('b.yml', 'b2\n'), user('.env', 'X=2\n')];
    const disk = new Map<string, string | undefined>([
      ['a.yml', 'a1\n'],
      ['b.yml', 'b1 edited by hand\n'],
      ['.env', 'X=mine\n'],
      [manifestPath, serializeManifest(previous.map((f) => ({ ...f, sha256: sha256(f.content) })))],
    ]);
    const plan = planWrite(next, manifest, disk, { force: false });
    expect(kinds(plan)).toMatchObject({ 'a.yml': 'update', 'b.yml': 'conflict', '.env': 'skip' });
    expect(plan.actions.find((a) => a.path === 'b.yml')?.reason).toBe('edited since it was generated');
    expect(kinds(planWrite(next, manifest, disk, { force: true }))).toMatchObject({ 'a.yml': 'update', 'b.yml': 'update', '.env': 'skip' });
    expect(isCurrent(plan)).toBe(false);
  });

  it('finds a migration edited after it was written (rendered from disk, told by the recorded sha256), unless forced', () => {
    const migration: RenderedFile = { path: 'migrations/0003_books_add_isbn.sql', content: 'ALTER TABLE books ADD COLUMN isbn text;\n', owner: 'append-only' };
    const recorded = manifestOf([migration]);
    const onDisk = (content: string) => new Map<string, string | undefined>([[migration.path, content]]);
    expect(kinds(planWrite([migration], recorded, onDisk(migration.content), { force: false }))[migration.path]).toBe('identical');
    // History renders an existing migration as it is on disk, so an edited one arrives already "matching".
    const edited = { ...migration, content: `${migration.content}-- edited by hand\n` };
    const plan = planWrite([edited], recorded, onDisk(edited.content), { force: false });
    expect(plan.actions[0]).toMatchObject({ kind: 'conflict', reason: expect.stringMatching(/^a migration edited after it was written: a database that applied it refuses to start/) });
    expect(isCurrent(plan)).toBe(false);
    expect(kinds(planWrite([edited], recorded, onDisk(edited.content), { force: true }))[migration.path]).toBe('update');
  });

  it('treats a file it never wrote as a conflict', () => {
    const plan = planWrite([gen('a.yml', 'a1\n')], parseManifest(undefined), new Map([['a.yml', 'foreign\n']]), { force: false });
    expect(plan.actions[0]).toMatchObject({ kind: 'conflict', reason: 'a file the generator did not write is in the way' });
  });

  it('deletes orphans nobody edited and keeps edited and user-owned ones', () => {
    const older = [...previous, gen('gone.yml', 'g\n'), gen('edited.yml', 'e\n'), user('handler.ts', 'h\n')];
    const disk = new Map<string, string | undefined>([
      ['a.yml', 'a1\n'],
      ['b.yml', 'b1\n'],
      ['.env', 'X=1\n'],
      ['gone.yml', 'g\n'],
      ['edited.yml', 'e, changed\n'],
      ['handler.ts', 'h, my logic\n'],
    ]);
    const plan = planWrite(previous, manifestOf(older), disk, { force: false });
    expect(kinds(plan)).toMatchObject({ 'gone.yml': 'delete', 'edited.yml': 'keep', 'handler.ts': 'keep' });
    expect(isCurrent(plan)).toBe(false);
    const manifest = JSON.parse(plan.actions.at(-1)!.content!) as { files: Record<string, unknown> };
    expect(Object.keys(manifest.files)).toEqual(['.env', 'a.yml', 'b.yml']);
  });

  it('does not count a missing user-owned file (such as a git-ignored .env) as drift', () => {
    const disk = new Map<string, string | undefined>([
      ['a.yml', 'a1\n'],
      ['b.yml', 'b1\n'],
      [manifestPath, serializeManifest(previous.map((f) => ({ ...f, sha256: sha256(f.content) })))],
    ]);
    const plan = planWrite(previous, manifest, disk, { force: false });
    expect(kinds(plan)['.env']).toBe('create');
    expect(isCurrent(plan)).toBe(true);
  });

  it('refreshes the recorded inputs without calling it drift when no file changes', () => {
    const written = serializeManifest(previous.map((f) => ({ ...f, sha256: sha256(f.content) })), 'old-inputs');
    const disk = new Map<string, string | undefined>([['a.yml', 'a1\n'], ['b.yml', 'b1\n'], ['.env', 'X=1\n'], [manifestPath, written]]);
    const plan = planWrite(previous, manifest, disk, { force: false, inputs: 'new-inputs' });
    expect(plan.actions.at(-1)).toMatchObject({ path: manifestPath, kind: 'refresh' });
    expect(plan.actions.at(-1)!.content).toContain('"inputs": "new-inputs"');
    expect(isCurrent(plan)).toBe(true);
  });

  it('ignores a corrupt manifest rather than trusting it', () => {
    expect(parseManifest('{not json')).toEqual({ files: {} });
    expect(parseManifest(JSON.stringify({ files: { 'a.yml': { owner: 'root', sha256: 'x' } } }))).toEqual({ files: {} });
  });
});
