import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './support/cli.js';
import { changedMigration, dumpDatabase, outputFiles, recordMigrations as record, refusals, request, samples, systemYaml, versions, type Row } from './support/evolution.js';
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

type Target = 'postgres' | 'pglite';

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

  const files = () => outputFiles(dir);
  const dump = () => dumpDatabase(database);
  const recordMigrations = (): string[] => record(migrationsDir(), migrations);

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
      writeFileSync(join(dir, 'system.yaml'), systemYaml('evolib', version.entities));
      const result = generate(version.allowDataLoss);
      expect(result.status, result.stderr).toBe(0);
      expect(recordMigrations()).toEqual([version.migration]);
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

  for (const refusal of refusals) {
    it(`refuses ${refusal.name}: exit 2 at its line, no file written, the database untouched`, async () => {
      const current = readFileSync(join(dir, 'system.yaml'), 'utf8');
      const yaml = systemYaml('evolib', refusal.edit(versions.at(-1)!.entities));
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

  it('a migration edited after it was applied fails generate --check and stops the service, each naming the file', async () => {
    const name = versions[0]!.migration;
    const path = join(migrationsDir(), name);
    writeFileSync(path, `${migrations.get(name)!}-- edited by hand\n`);
    const check = runCli(['generate', 'system.yaml', '--check'], { cwd: dir });
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`conflict  services/library/migrations/${name}  (a migration edited after it was written`);
    for (const target of ['postgres', 'pglite'] as const) {
      const refused = await startRefused(target);
      expect(refused.code, refused.log).toBe(1);
      expect(refused.log).toContain(changedMigration(name));
    }
    writeFileSync(path, migrations.get(name)!);
    for (const target of ['postgres', 'pglite'] as const) await expectRows(await start(target), target);
    await stopAll();
  }, 120_000);
});
