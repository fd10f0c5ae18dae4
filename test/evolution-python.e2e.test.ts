import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './support/cli.js';
import { changedMigration, dumpDatabase, outputFiles, recordMigrations, refusals, request, samples, systemYaml, versions, type Row } from './support/evolution.js';
import { startProcess, type ServiceProcess } from './support/python-service.js';
import { pythonVenv } from './support/python-venv.js';
import { ensurePostgres, freePort, psql } from './support/services.js';

/**
 * The same six versions as test/evolution.e2e.test.ts, for a Python (FastAPI)
 * service on PostgreSQL (a Python service has no embedded database, so no
 * PGlite here): after each change the service restarts on the same database,
 * every earlier row keeps its values, CRUD works in the new shape, earlier
 * migration files stay byte-identical, and refused changes write nothing.
 *
 * Version 1 is test/fixtures/legacy-python-096499e: the output of
 * taskflow-gen at commit 096499e (main just before append-only migrations,
 * when Python services already rendered one `0002_entities.sql` rewritten in
 * place), generated with that commit's CLI. Its own service runs first, so the
 * database is one an earlier taskflow-gen made; the upgrade must adopt it
 * untouched.
 */

const fixture = join(repoRoot, 'test', 'fixtures', 'legacy-python-096499e');
const system = 'evopylib';

describe('a Python service evolving through six versions on the same PostgreSQL database', () => {
  // Made in beforeAll, so merely collecting this file (vitest list) leaves nothing behind.
  let dir = '';
  const database = `evopy_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  const service = () => join(dir, 'services', 'library');
  /** Every row created so far, per resource, as the current version must serve it. */
  let expected: Record<string, Row[]> = {};
  const migrations = new Map<string, string>();
  let running: ServiceProcess | undefined;

  const generate = (allowDataLoss = false) => runCli(['generate', 'system.yaml', ...(allowDataLoss ? ['--allow-data-loss'] : [])], { cwd: dir });
  const added = () => recordMigrations(join(service(), 'migrations'), migrations);

  /** The python of a venv with exactly the service's pinned requirements, as `pip install -r` gives it. */
  async function python(): Promise<string> {
    const pins = ['requirements.txt', 'requirements-dev.txt'].flatMap((f) => readFileSync(join(service(), f), 'utf8').split('\n')).filter((l) => /^[\w.-]+==/.test(l));
    return join(await pythonVenv(pins), 'bin', 'python');
  }

  /** Starts the service (`python -m app`) on the database and waits until it is ready; resolves to its base URL. */
  async function start(): Promise<string> {
    running = await startProcess(await python(), ['-m', 'app'], service(), await freePort(), { DATABASE_URL: databaseUrl });
    expect((await fetch(`${running.url}/ready`)).status, running.logs()).toBe(200);
    return running.url;
  }

  async function stop(): Promise<void> {
    await running?.stop();
    running = undefined;
  }

  /** Starts the service and expects it to refuse to start; resolves to its exit code and what it printed. */
  async function startRefused(url: string): Promise<{ code: number | null; log: string }> {
    const child = spawn(await python(), ['-m', 'app'], { cwd: service(), env: { PATH: process.env['PATH'], PORT: String(await freePort()), DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, log };
  }

  async function create(base: string, version: string): Promise<void> {
    for (const [resource, row] of Object.entries(samples[version]!)) {
      const created = await request('POST', `${base}/${resource}`, row);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject(row);
      (expected[resource] ??= []).push(created.body as Row);
    }
  }

  /** Every row created so far is served with the expected values, in creation order. */
  async function expectRows(base: string): Promise<void> {
    for (const [resource, rows] of Object.entries(expected)) {
      const listed = await request('GET', `${base}/${resource}?limit=100`);
      expect(listed.status).toBe(200);
      expect(listed.body, resource).toEqual(rows);
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tf-evolution-python-'));
    cpSync(fixture, dir, { recursive: true });
    await ensurePostgres();
    await psql('postgres', `CREATE DATABASE "${database}"`);
  }, 600_000);

  afterAll(async () => {
    await stop();
    await psql('postgres', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    if (dir && !process.env['TF_E2E_KEEP']) rmSync(dir, { recursive: true, force: true });
  });

  it('version 1, generated and run by taskflow-gen 096499e, holds rows', async () => {
    expect(existsSync(join(dir, '.taskflow', 'snapshots')), 'the fixture predates snapshots').toBe(false);
    await create(await start(), 'v1');
    await stop();
    expect(added()).toEqual(['0001_platform.sql', '0002_entities.sql']);
    expect(await psql(database, 'SELECT string_agg(name, \',\' ORDER BY name) FROM schema_migrations')).toBe('0001_platform.sql,0002_entities.sql');
  }, 600_000);

  it('upgrading adopts its migrations as the baseline: no file rewritten, no migration applied, rows kept', async () => {
    const before = await dumpDatabase(database);
    const result = generate();
    expect(result.status, result.stderr).toBe(0);
    expect(added()).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, '.taskflow/snapshots/library.json'), 'utf8')).entities.map((e: { name: string }) => e.name)).toEqual(['Book', 'Author']);
    await expectRows(await start());
    await stop();
    expect(await dumpDatabase(database)).toBe(before);
    expect(generate().stdout, 'a second run finds nothing to do').toMatch(/nothing to do/);
    expect(runCli(['generate', 'system.yaml', '--check'], { cwd: dir }).status).toBe(0);
  }, 600_000);

  versions.forEach((version, i) => {
    const label = `v${i + 2}`;
    it(`${label} ${version.name}: a new migration, earlier files byte-identical, earlier rows kept, CRUD in the new shape`, async () => {
      writeFileSync(join(dir, 'system.yaml'), systemYaml(system, version.entities, 'python'));
      const result = generate(version.allowDataLoss);
      expect(result.status, result.stderr).toBe(0);
      expect(added()).toEqual([version.migration]);
      expect(migrations.get(version.migration)).toMatch(/^-- Class: (additive|data-dependent|destructive): /m);
      expected = Object.fromEntries(Object.entries(expected).map(([resource, rows]) => [resource, rows.map((r) => version.rows(r, resource))]));
      const base = await start();
      await expectRows(base);
      await create(base, label);
      if (label === 'v3') {
        // Left out, a field with a default gets it.
        const created = await request('POST', `${base}/books`, { name: 'Persuasion', pages: 249, price: 3 });
        expect(created.body).toMatchObject({ format: 'paperback' });
        expect((await request('DELETE', `${base}/books/${(created.body as Row)['id'] as string}`)).status).toBe(204);
      }
      if (label === 'v4') {
        // The old name is gone from the API: the model refuses it as an unknown field.
        expect((await request('POST', `${base}/authors`, { name: 'Homer' })).status).toBe(400);
      }
      if (label === 'v5') {
        const review = await request('POST', `${base}/reviews`, { bookId: expected['books']![0]!['id'], stars: 5 });
        expect(review.status).toBe(201);
        (expected['reviews'] ??= []).push(review.body as Row);
      }
      const [first] = expected['books']!;
      const updated = await request('PUT', `${base}/books/${first!['id'] as string}`, Object.fromEntries(Object.entries(first!).filter(([k]) => k !== 'id')));
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual(first);
      await expectRows(base);
      await stop();
      expect(await psql(database, 'SELECT count(*) FROM schema_migrations')).toBe(String(migrations.size));
    }, 600_000);
  });

  for (const refusal of refusals) {
    it(`refuses ${refusal.name}: exit 2 at its line, no file written, the database untouched`, async () => {
      const current = readFileSync(join(dir, 'system.yaml'), 'utf8');
      const yaml = systemYaml(system, refusal.edit(versions.at(-1)!.entities), 'python');
      writeFileSync(join(dir, 'system.yaml'), yaml);
      const before = outputFiles(dir);
      const databaseBefore = await dumpDatabase(database);
      const result = generate();
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`system\\.yaml:${refusal.line(yaml)}:\\d+ {2}`));
      expect(result.stderr).toMatch(refusal.message);
      expect(result.stderr).toMatch(/nothing written/);
      expect(outputFiles(dir)).toEqual(before);
      await start();
      await stop();
      expect(await dumpDatabase(database)).toBe(databaseBefore);
      writeFileSync(join(dir, 'system.yaml'), current);
    }, 120_000);
  }

  it('a migration edited after it was applied fails generate --check and stops the service, each naming the file as for Node.js', async () => {
    const name = versions[0]!.migration;
    const path = join(service(), 'migrations', name);
    writeFileSync(path, `${migrations.get(name)!}-- edited by hand\n`);
    const check = runCli(['generate', 'system.yaml', '--check'], { cwd: dir });
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`conflict  services/library/migrations/${name}  (a migration edited after it was written`);
    const refused = await startRefused(databaseUrl);
    expect(refused.code, refused.log).toBe(1);
    expect(refused.log).toContain(changedMigration(name));
    writeFileSync(path, migrations.get(name)!);
    await expectRows(await start());
    await stop();
  }, 120_000);

  it('has no embedded database: a pglite:// URL is refused at start with the reason', async () => {
    const refused = await startRefused(`pglite://${join(dir, 'pgdata')}`);
    expect(refused.code).toBe(1);
    expect(refused.log).toContain('a Python service has no embedded database');
  }, 60_000);
});
