import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './support/cli.js';
import { ensurePostgres, freePort, psql } from './support/services.js';

/**
 * A system changed over six versions, its service restarted on the same
 * databases (PostgreSQL and PGlite on disk) after each: every earlier row
 * keeps its values, CRUD works with the new shape, earlier migration files
 * stay byte-identical, and refused changes write nothing.
 *
 * Version 1 is test/fixtures/legacy-ad804ea: the output of taskflow-gen at
 * commit ad804ea (before snapshots: one `0002_entities.sql` rewritten in
 * place), generated with that commit's CLI from its system.yaml. Its own
 * service is built and run first, so the databases are the ones an earlier
 * taskflow-gen made; the upgrade must adopt them untouched.
 */

const run = promisify(execFile);
const fixture = join(repoRoot, 'test', 'fixtures', 'legacy-ad804ea');

type Row = Record<string, unknown>;
type Target = 'postgres' | 'pglite';

/** system.yaml of each version: the entities of service `library`, as YAML lines. */
const v1 = ['Book:', '  name: string', '  pages: integer', '  price: number', 'Author:', '  name: string'];
const versions: readonly { readonly name: string; readonly entities: readonly string[]; readonly allowDataLoss?: boolean; readonly migration?: string; readonly rows: (row: Row, resource: string) => Row }[] = [
  { name: 'adds an optional field', entities: insertAfter(v1, '  price: number', '  isbn: string?'), migration: '0003_books_add_isbn.sql', rows: (r, res) => (res === 'books' ? { ...r, isbn: null } : r) },
  {
    name: 'adds a required field with a default',
    entities: insertAfter(v1, '  price: number', '  isbn: string?', '  format: { type: string, default: paperback }'),
    migration: '0004_books_add_format.sql',
    rows: (r, res) => (res === 'books' ? { ...r, format: 'paperback' } : r),
  },
  {
    name: 'renames a field with renamedFrom',
    entities: insertAfter(v1, '  price: number', '  isbn: string?', '  format: { type: string, default: paperback }').map((l) => (l === '  name: string' ? '  title: { type: string, renamedFrom: name }' : l)),
    migration: '0005_books_rename_name_to_title_and_authors_rename_name_to_title.sql',
    rows: ({ name, ...r }) => ({ ...r, title: name }),
  },
  {
    name: 'adds an entity',
    entities: [
      ...insertAfter(v1, '  price: number', '  isbn: string?', '  format: { type: string, default: paperback }').map((l) => (l === '  name: string' ? '  title: { type: string, renamedFrom: name }' : l)),
      'Review:',
      '  bookId: uuid',
      '  stars: integer',
    ],
    migration: '0006_create_reviews.sql',
    rows: (r) => r,
  },
  {
    name: 'removes a field with --allow-data-loss',
    entities: [
      ...insertAfter(v1, '  price: number', '  isbn: string?', '  format: { type: string, default: paperback }')
        .map((l) => (l === '  name: string' ? '  title: { type: string, renamedFrom: name }' : l))
        .filter((l) => l !== '  pages: integer'),
      'Review:',
      '  bookId: uuid',
      '  stars: integer',
    ],
    allowDataLoss: true,
    migration: '0007_books_drop_pages.sql',
    rows: (r, res) => {
      if (res !== 'books') return r;
      const { pages: _dropped, ...rest } = r;
      return rest;
    },
  },
];

/** New rows each version creates, in the shape it serves. */
const samples: Record<string, Record<string, Row>> = {
  v1: { books: { name: 'Dune', pages: 412, price: 9.5 }, authors: { name: 'Frank Herbert' } },
  v2: { books: { name: 'Emma', pages: 474, price: 4.25, isbn: '978-0141439587' }, authors: { name: 'Jane Austen' } },
  v3: { books: { name: 'Ulysses', pages: 730, price: 12, isbn: null, format: 'hardcover' }, authors: { name: 'James Joyce' } },
  v4: { books: { title: 'Beloved', pages: 324, price: 8, isbn: null, format: 'ebook' }, authors: { title: 'Toni Morrison' } },
  v5: { books: { title: 'Middlemarch', pages: 880, price: 7.5, isbn: null, format: 'paperback' }, authors: { title: 'George Eliot' } },
  v6: { books: { title: 'Kindred', price: 11, isbn: null, format: 'paperback' }, authors: { title: 'Octavia Butler' } },
};

function insertAfter(lines: readonly string[], after: string, ...added: string[]): string[] {
  const at = lines.indexOf(after) + 1;
  return [...lines.slice(0, at), ...added, ...lines.slice(at)];
}

function systemYaml(entities: readonly string[]): string {
  return ['version: 1', 'name: evolib', 'services:', '  library:', '    database: library', '    entities:', ...entities.map((l) => `      ${l}`), ''].join('\n');
}

describe('a system evolving through six versions on the same databases', () => {
  // Made in beforeAll, so merely collecting this file (vitest list) leaves nothing behind.
  let dir = '';
  const database = `evo_${randomBytes(4).toString('hex')}`;
  const urls: Record<Target, () => string> = { postgres: () => `postgres://postgres@127.0.0.1:5432/${database}`, pglite: () => `pglite://${join(dir, 'pgdata')}` };
  const service = () => join(dir, 'services', 'library');
  const migrationsDir = () => join(service(), 'migrations');
  /** Every row created so far, per target and resource, as the current version must serve it. */
  const expected: Record<Target, Record<string, Row[]>> = { postgres: {}, pglite: {} };
  const migrations = new Map<string, string>();
  let processes: ChildProcess[] = [];

  const generate = (allowDataLoss = false) => runCli(['generate', 'system.yaml', ...(allowDataLoss ? ['--allow-data-loss'] : [])], { cwd: dir });
  const build = () => run('npm', ['run', 'build', '--silent'], { cwd: service(), maxBuffer: 16 * 1024 * 1024 });

  /** Starts the built service on a target's database and waits until it is ready; resolves to its base URL. */
  async function start(target: Target): Promise<string> {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: service(), env: { PATH: process.env['PATH'], PORT: String(port), DATABASE_URL: urls[target](), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    processes.push(child);
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the ${target} service exited with ${child.exitCode}:\n${log}`);
      try {
        if ((await fetch(`${base}/ready`)).ok) return base;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the ${target} service was not ready within 60 s:\n${log}`);
  }

  /** Starts the service and expects it to refuse to start; resolves to what it printed. */
  async function startRefused(target: Target): Promise<{ code: number | null; log: string }> {
    const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: service(), env: { PATH: process.env['PATH'], PORT: String(await freePort()), DATABASE_URL: urls[target]() }, stdio: ['ignore', 'pipe', 'pipe'] });
    processes.push(child);
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, log };
  }

  async function stopAll(): Promise<void> {
    await Promise.all(
      processes.map((child) =>
        child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
    );
    processes = [];
  }

  async function request(method: string, url: string, body?: Row): Promise<{ status: number; body: unknown }> {
    const response = await fetch(url, { method, ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Creates a version's sample rows on a target and remembers them. */
  async function create(base: string, target: Target, version: string): Promise<void> {
    for (const [resource, row] of Object.entries(samples[version]!)) {
      const created = await request('POST', `${base}/${resource}`, row);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      (expected[target][resource] ??= []).push(created.body as Row);
      expect(created.body).toMatchObject(row);
    }
  }

  /** Every row created so far is served with the expected values, in creation order. */
  async function expectRows(base: string, target: Target): Promise<void> {
    for (const [resource, rows] of Object.entries(expected[target])) {
      const listed = await request('GET', `${base}/${resource}?limit=100`);
      expect(listed.status).toBe(200);
      expect(listed.body, `${target} ${resource}`).toEqual(rows);
    }
  }

  /** Every file of the output that generate owns or writes, with its content (not node_modules, builds or databases). */
  function files(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        if (['node_modules', 'dist', 'pgdata'].includes(name)) continue;
        const full = join(d, name);
        if (statSync(full).isDirectory()) walk(full);
        else out.set(relative(dir, full), readFileSync(full, 'utf8'));
      }
    };
    walk(dir);
    return out;
  }

  async function dump(): Promise<string> {
    const tables = await psql(database, "SELECT string_agg(table_name || ':' || column_name || ':' || data_type || ':' || is_nullable, ',' ORDER BY table_name, column_name) FROM information_schema.columns WHERE table_schema = 'public'");
    const applied = await psql(database, "SELECT string_agg(name || ':' || checksum, ',' ORDER BY name) FROM schema_migrations");
    const books = await psql(database, 'SELECT row_to_json(b)::text FROM books b ORDER BY created_at, id');
    return `${tables}\n${applied}\n${books}`;
  }

  function recordMigrations(): void {
    for (const name of readdirSync(migrationsDir()).sort()) {
      const content = readFileSync(join(migrationsDir(), name), 'utf8');
      const before = migrations.get(name);
      if (before !== undefined) expect(content, `${name} is byte-identical`).toBe(before);
      migrations.set(name, content);
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tf-evolution-'));
    await ensurePostgres();
    await psql('postgres', `CREATE DATABASE "${database}"`);
    cpSync(fixture, dir, { recursive: true });
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    await build();
  }, 600_000);

  afterAll(async () => {
    await stopAll();
    await psql('postgres', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    if (dir && !process.env['TF_E2E_KEEP']) rmSync(dir, { recursive: true, force: true });
  });

  it('version 1, generated and run by taskflow-gen ad804ea, holds rows on both databases', async () => {
    for (const target of ['postgres', 'pglite'] as const) await create(await start(target), target, 'v1');
    await stopAll();
    recordMigrations();
    expect([...migrations.keys()]).toEqual(['0001_platform.sql', '0002_entities.sql']);
  }, 180_000);

  it('upgrading adopts its migrations as the baseline: no file rewritten, no migration applied, rows kept', async () => {
    const before = await dump();
    const result = generate();
    expect(result.status, result.stderr).toBe(0);
    recordMigrations();
    expect([...migrations.keys()]).toEqual(['0001_platform.sql', '0002_entities.sql']);
    expect(JSON.parse(readFileSync(join(dir, '.taskflow/snapshots/library.json'), 'utf8')).entities.map((e: { name: string }) => e.name)).toEqual(['Book', 'Author']);
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    await build();
    for (const target of ['postgres', 'pglite'] as const) await expectRows(await start(target), target);
    await stopAll();
    expect(await dump()).toBe(before);
    expect(generate().status, 'a second run finds nothing to do').toBe(0);
    expect(runCli(['generate', 'system.yaml', '--check'], { cwd: dir }).status).toBe(0);
  }, 600_000);

  versions.forEach((version, i) => {
    const label = `v${i + 2}`;
    it(`${label} ${version.name}: a new migration, earlier files byte-identical, earlier rows kept, CRUD in the new shape`, async () => {
      writeFileSync(join(dir, 'system.yaml'), systemYaml(version.entities));
      const result = generate(version.allowDataLoss);
      expect(result.status, result.stderr).toBe(0);
      const known = new Set(migrations.keys());
      recordMigrations();
      expect([...migrations.keys()].filter((n) => !known.has(n))).toEqual([version.migration]);
      await build();
      for (const target of ['postgres', 'pglite'] as const) {
        expected[target] = Object.fromEntries(Object.entries(expected[target]).map(([resource, rows]) => [resource, rows.map((r) => version.rows(r, resource))]));
        const base = await start(target);
        await expectRows(base, target);
        await create(base, target, label);
        if (label === 'v3') {
          // Left out, a field with a default gets it.
          const created = await request('POST', `${base}/books`, { name: 'Persuasion', pages: 249, price: 3 });
          expect(created.body).toMatchObject({ format: 'paperback' });
          expect((await request('DELETE', `${base}/books/${(created.body as Row)['id'] as string}`)).status).toBe(204);
        }
        if (label === 'v5') {
          const book = expected[target]['books']![0]!;
          const review = await request('POST', `${base}/reviews`, { bookId: book['id'], stars: 5 });
          expect(review.status).toBe(201);
          (expected[target]['reviews'] ??= []).push(review.body as Row);
        }
        const [first] = expected[target]['books']!;
        const updated = await request('PUT', `${base}/books/${first!['id'] as string}`, Object.fromEntries(Object.entries(first!).filter(([k]) => k !== 'id')));
        expect(updated.status).toBe(200);
        expect(updated.body).toEqual(first);
        await expectRows(base, target);
      }
      await stopAll();
    }, 300_000);
  });

  const refusals: readonly { readonly name: string; readonly edit: (entities: string[]) => string[]; readonly line: (yaml: string) => number; readonly message: RegExp }[] = [
    {
      name: 'a required field without a default',
      edit: (e) => insertAfter(e, '  format: { type: string, default: paperback }', '  publisher: string'),
      line: (yaml) => lineOf(yaml, 'publisher: string'),
      message: /required field Book\.publisher is added without a default/,
    },
    { name: 'a silent removal', edit: (e) => e.filter((l) => l !== '  isbn: string?'), line: (yaml) => lineOf(yaml, 'Book:'), message: /field Book\.isbn is removed.*--allow-data-loss/ },
    { name: 'a narrowing type change', edit: (e) => e.map((l) => (l === '  price: number' ? '  price: integer' : l)), line: (yaml) => lineOf(yaml, 'price: integer'), message: /Book\.price changes from number to integer/ },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}: exit 2 at its line, no file written, the database untouched`, async () => {
      const current = readFileSync(join(dir, 'system.yaml'), 'utf8');
      const yaml = systemYaml(refusal.edit(versions.at(-1)!.entities as string[]));
      writeFileSync(join(dir, 'system.yaml'), yaml);
      const before = files();
      const databaseBefore = await dump();
      const result = generate();
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`system\\.yaml:${refusal.line(yaml)}:\\d+ {2}`));
      expect(result.stderr).toMatch(refusal.message);
      expect(result.stderr).toMatch(/nothing written/);
      expect(files()).toEqual(before);
      await start('postgres');
      await stopAll();
      expect(await dump()).toBe(databaseBefore);
      writeFileSync(join(dir, 'system.yaml'), current);
    }, 120_000);
  }

  it('a migration edited after it was applied stops the service, naming the file; generate --check leaves it alone', async () => {
    const name = versions[0]!.migration!;
    const path = join(migrationsDir(), name);
    writeFileSync(path, `${migrations.get(name)!}-- edited by hand\n`);
    expect(runCli(['generate', 'system.yaml', '--check'], { cwd: dir }).status).toBe(0);
    for (const target of ['postgres', 'pglite'] as const) {
      const refused = await startRefused(target);
      expect(refused.code, refused.log).toBe(1);
      expect(refused.log).toContain(`migrations/${name} changed after it was applied to this database`);
    }
    writeFileSync(path, migrations.get(name)!);
    for (const target of ['postgres', 'pglite'] as const) await expectRows(await start(target), target);
    await stopAll();
  }, 120_000);
});

function lineOf(yaml: string, text: string): number {
  return yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
}
