import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics/diagnostic.js';
import { serviceSnapshot } from '../src/model/evolution/index.js';
import type { SystemModel } from '../src/model/types.js';
import { planServiceMigrations, type ServiceHistory } from '../src/render/migrations/plan.js';
import { modelOf } from './support/render/render.js';
import { ensurePostgres, psql } from './support/services.js';

/**
 * Every kind of migration generate writes, applied to real PostgreSQL tables
 * holding rows, as a service's migrator applies it (one transaction): the
 * rows afterwards hold what the migration's class promises (kept, backfilled,
 * converted, replaced or dropped), and a conversion that fails on a stored
 * value leaves the table as it was. The migrations are those of both
 * runtimes (src/render/migrations renders them once).
 */

type Row = Record<string, unknown>;

const system = (entities: string): SystemModel =>
  modelOf(`version: 1\nname: t\nservices:\n  shop:\n    database: shop\n    entities:\n${entities.trim().split('\n').map((l) => `      ${l}`).join('\n')}\n`);

/** The files a first run writes for `entities`, and the history it leaves for the next run. */
function firstRun(entities: string): { sql: string[]; history: ServiceHistory } {
  const model = system(entities);
  const service = model.services[0]!;
  const plan = planServiceMigrations(model, service, undefined, { allowDataLoss: false });
  return { sql: plan.files.map((f) => f.content), history: { snapshot: serviceSnapshot(service), migrations: plan.files.map((f) => ({ name: f.name, content: f.content })) } };
}

/** The one migration a change from `before` to `after` adds. */
function nextMigration(before: string, after: string, allowDataLoss: boolean): string {
  const model = system(after);
  const plan = planServiceMigrations(model, model.services[0]!, firstRun(before).history, { allowDataLoss });
  expect(plan.problems.map(formatDiagnostic)).toEqual([]);
  const added = plan.files.filter((f) => !f.existing);
  expect(added).toHaveLength(1);
  return added[0]!.content;
}

interface Case {
  readonly name: string;
  readonly before: string;
  /** Rows of the first entity's table before the change, by column. */
  readonly rows: readonly Row[];
  readonly after: string;
  readonly allowDataLoss?: boolean;
  /** The table the rows are in afterwards, when it is another one. */
  readonly table?: string;
  /** The rows afterwards, by column, in id order; a RegExp: the migration fails with that error and changes nothing. */
  readonly expected: readonly Row[] | RegExp;
}

const cases: readonly Case[] = [
  { name: 'a required field with a default: existing rows get it', before: 'Book: { name: string }', rows: [{ name: 'a' }, { name: 'b' }], after: 'Book:\n  name: string\n  pages: { type: integer, default: 0 }', expected: [{ name: 'a', pages: 0 }, { name: 'b', pages: 0 }] },
  { name: 'an optional field: existing rows hold null', before: 'Book: { name: string }', rows: [{ name: 'a' }], after: 'Book:\n  name: string\n  isbn: string?', expected: [{ name: 'a', isbn: null }] },
  { name: 'an optional field made required with a default: nulls backfilled, values kept', before: 'Book: { note: string? }', rows: [{ note: null }, { note: 'x' }], after: "Book: { note: { type: string, default: '-' } }", expected: [{ note: '-' }, { note: 'x' }] },
  { name: 'a required field made optional', before: 'Book: { note: string }', rows: [{ note: 'x' }], after: 'Book: { note: string? }', expected: [{ note: 'x' }] },
  { name: 'a field renamed', before: 'Book: { name: string }', rows: [{ name: 'a' }], after: 'Book:\n  title: { type: string, renamedFrom: name }', expected: [{ title: 'a' }] },
  { name: 'an entity renamed: its table, rows and index', before: 'Item: { name: string }', rows: [{ name: 'a' }], after: 'Product:\n  renamedFrom: Item\n  name: string', table: 'products', expected: [{ name: 'a' }] },
  { name: 'integer widened to number', before: 'Book: { count: integer }', rows: [{ count: 3 }], after: 'Book: { count: number }', expected: [{ count: 3 }] },
  { name: 'integer to string', before: 'Book: { count: integer }', rows: [{ count: 3 }], after: 'Book: { count: string }', expected: [{ count: '3' }] },
  { name: 'date to datetime', before: 'Book: { day: date }', rows: [{ day: '2026-01-31' }], after: 'Book: { day: datetime }', expected: [{ day: '2026-01-31T00:00:00+00:00' }] },
  { name: 'a value to a list of it', before: 'Book: { tag: string? }', rows: [{ tag: 'a' }, { tag: null }], after: "Book: { tag: 'string[]?' }", expected: [{ tag: ['a'] }, { tag: null }] },
  { name: 'a value to json', before: 'Book: { count: integer }', rows: [{ count: 3 }], after: 'Book: { count: json }', expected: [{ count: 3 }] },
  { name: 'number narrowed to integer (rounded), with --allow-data-loss', before: 'Book: { price: number }', rows: [{ price: 9.6 }], after: 'Book: { price: integer }', allowDataLoss: true, expected: [{ price: 10 }] },
  { name: 'text to number, every value parsing', before: 'Book: { code: text }', rows: [{ code: '42' }], after: 'Book: { code: number }', allowDataLoss: true, expected: [{ code: 42 }] },
  { name: 'text to number, a value that does not parse: the migration fails and changes nothing', before: 'Book: { code: text }', rows: [{ code: '42' }, { code: 'abc' }], after: 'Book: { code: number }', allowDataLoss: true, expected: /invalid input syntax for type double precision: "abc"/ },
  { name: 'a list to one value (its first)', before: "Book: { tags: 'string[]' }", rows: [{ tags: ['a', 'b'] }], after: 'Book: { tags: string }', allowDataLoss: true, expected: [{ tags: 'a' }] },
  { name: 'json to string', before: 'Book: { meta: json }', rows: [{ meta: JSON.stringify('abc') }], after: 'Book: { meta: string }', allowDataLoss: true, expected: [{ meta: 'abc' }] },
  { name: 'json to a list', before: 'Book: { meta: json }', rows: [{ meta: JSON.stringify(['a', 'b']) }], after: "Book: { meta: 'string[]' }", allowDataLoss: true, expected: [{ meta: ['a', 'b'] }] },
  {
    name: 'enum values removed: rows holding them get the default',
    before: 'Book: { state: { enum: [new, old, lost] } }',
    rows: [{ state: 'new' }, { state: 'lost' }],
    after: 'Book: { state: { enum: [new, old], default: new } }',
    allowDataLoss: true,
    expected: [{ state: 'new' }, { state: 'new' }],
  },
  { name: 'enum values removed from an optional field: null', before: 'Book: { state: { enum: [new, lost], optional: true } }', rows: [{ state: 'lost' }, { state: 'new' }], after: 'Book: { state: { enum: [new], optional: true } }', allowDataLoss: true, expected: [{ state: null }, { state: 'new' }] },
  { name: 'an enum put on a free string: other values get the default', before: 'Book: { state: string }', rows: [{ state: 'open' }, { state: 'weird' }], after: 'Book: { state: { enum: [open, closed], default: open } }', allowDataLoss: true, expected: [{ state: 'open' }, { state: 'open' }] },
  { name: 'a field removed, with --allow-data-loss', before: 'Book:\n  name: string\n  isbn: string', rows: [{ name: 'a', isbn: 'x' }], after: 'Book: { name: string }', allowDataLoss: true, expected: [{ name: 'a' }] },
];

describe('generated migrations on PostgreSQL tables with rows', () => {
  const database = `migsql_${randomBytes(4).toString('hex')}`;
  let client: pg.Client;

  beforeAll(async () => {
    await ensurePostgres();
    await psql('postgres', `CREATE DATABASE "${database}"`);
    client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${database}` });
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
  });

  afterAll(async () => {
    await client?.end();
    await psql('postgres', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  /** Applies a migration file as the migrators do: the whole file in one transaction. */
  async function apply(sql: string): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  /** The rows of a table by column (without id and created_at), in id order. */
  async function rowsOf(table: string): Promise<Row[]> {
    const { rows } = await client.query<{ row: Row }>(`SELECT to_jsonb(t) - 'id' - 'created_at' AS row FROM "${table}" t ORDER BY id`);
    return rows.map((r) => r.row);
  }

  cases.forEach((c, i) => {
    it(c.name, async () => {
      const schema = `case_${i}`;
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      for (const sql of firstRun(c.before).sql) await apply(sql);
      const table = (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name NOT IN ('outbox', 'inbox')", [schema])).rows[0]!.name;
      for (const [n, row] of c.rows.entries()) {
        const columns = Object.keys(row);
        const id = `00000000-0000-0000-0000-${String(n + 1).padStart(12, '0')}`;
        await client.query(`INSERT INTO "${table}" (id, ${columns.map((k) => `"${k}"`).join(', ')}) VALUES ($1, ${columns.map((_, k) => `$${k + 2}`).join(', ')})`, [id, ...Object.values(row)]);
      }
      const before = await rowsOf(table);
      const migration = nextMigration(c.before, c.after, c.allowDataLoss ?? false);
      if (c.expected instanceof RegExp) {
        await expect(apply(migration)).rejects.toThrow(c.expected);
        expect(await rowsOf(table)).toEqual(before);
        return;
      }
      await apply(migration);
      expect(await rowsOf(c.table ?? table)).toEqual(c.expected);
      if (c.table) {
        const indexes = await client.query<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1', [schema, c.table]);
        expect(indexes.rows.map((r) => r.name)).toEqual([`${c.table}_created_at`, `${c.table}_pkey`]);
      }
    });
  });

  it('an entity renamed, then a new entity of its old name: the old names are free again', async () => {
    await client.query('CREATE SCHEMA rename_then_add; SET search_path TO rename_then_add');
    for (const sql of firstRun('Item: { name: string }').sql) await apply(sql);
    const renamed = 'Product:\n  renamedFrom: Item\n  name: string';
    await apply(nextMigration('Item: { name: string }', renamed, false));
    // Once migrated, renamedFrom goes (system.yaml refuses it beside an entity of that name).
    await apply(nextMigration(renamed, 'Product: { name: string }\nItem: { label: string }', false));
    await client.query("INSERT INTO items (id, label) VALUES ('00000000-0000-0000-0000-000000000001', 'x')");
    expect(await rowsOf('items')).toEqual([{ label: 'x' }]);
    // PostgreSQL would quietly call a clashing primary key items_pkey1; a later rename of Item would then miss it.
    const indexes = await client.query<{ name: string }>("SELECT tablename || ':' || indexname AS name FROM pg_indexes WHERE schemaname = 'rename_then_add' AND tablename IN ('items', 'products') ORDER BY 1");
    expect(indexes.rows.map((r) => r.name)).toEqual(['items:items_created_at', 'items:items_pkey', 'products:products_created_at', 'products:products_pkey']);
  });

  it('a field made required is NOT NULL afterwards: the database refuses a row without it', async () => {
    await client.query('CREATE SCHEMA required_case; SET search_path TO required_case');
    for (const sql of firstRun('Book: { name: string }').sql) await apply(sql);
    await apply(nextMigration('Book: { name: string }', 'Book:\n  name: string\n  pages: { type: integer, default: 0 }', false));
    await expect(client.query("INSERT INTO books (id, name, pages) VALUES ('00000000-0000-0000-0000-000000000001', 'a', NULL)")).rejects.toThrow(/null value in column "pages"/);
  });
});
