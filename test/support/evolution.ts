import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { psql } from './services.js';

/**
 * The versions a system goes through in the evolution end-to-end tests
 * (test/evolution*.e2e.test.ts), the same for every runtime: the entities of
 * one service `library`, the migration each version must add, how the rows
 * already stored must look afterwards, and the changes generate must refuse.
 */

export type Row = Record<string, unknown>;

export interface Version {
  readonly name: string;
  /** The entities of service `library`, as YAML lines under `entities:`. */
  readonly entities: readonly string[];
  readonly allowDataLoss?: boolean;
  /** The one migration file this version adds. */
  readonly migration: string;
  /** A row stored before, as this version serves it. */
  readonly rows: (row: Row, resource: string) => Row;
}

export function insertAfter(lines: readonly string[], after: string, ...added: string[]): string[] {
  const at = lines.indexOf(after) + 1;
  if (at === 0) throw new Error(`no line '${after}' to insert after`);
  return [...lines.slice(0, at), ...added, ...lines.slice(at)];
}

/** The entities of the system.yaml the legacy fixtures were generated from. */
export const v1 = ['Book:', '  name: string', '  pages: integer', '  price: number', 'Author:', '  name: string'];
const withFormat = insertAfter(v1, '  price: number', '  isbn: string?', '  format: { type: string, default: paperback }');
const renamed = withFormat.map((l) => (l === '  name: string' ? '  title: { type: string, renamedFrom: name }' : l));
const review = ['Review:', '  bookId: uuid', '  stars: integer'];

/** Versions 2 to 6, each one change after the one before. */
export const versions: readonly Version[] = [
  { name: 'adds an optional field', entities: insertAfter(v1, '  price: number', '  isbn: string?'), migration: '0003_books_add_isbn.sql', rows: (r, res) => (res === 'books' ? { ...r, isbn: null } : r) },
  { name: 'adds a required field with a default', entities: withFormat, migration: '0004_books_add_format.sql', rows: (r, res) => (res === 'books' ? { ...r, format: 'paperback' } : r) },
  {
    name: 'renames a field with renamedFrom',
    entities: renamed,
    migration: '0005_books_rename_name_to_title_and_authors_rename_name_to_title.sql',
    rows: ({ name, ...r }) => ({ ...r, title: name }),
  },
  { name: 'adds an entity', entities: [...renamed, ...review], migration: '0006_create_reviews.sql', rows: (r) => r },
  {
    name: 'removes a field with --allow-data-loss',
    entities: [...renamed.filter((l) => l !== '  pages: integer'), ...review],
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
export const samples: Record<string, Record<string, Row>> = {
  v1: { books: { name: 'Dune', pages: 412, price: 9.5 }, authors: { name: 'Frank Herbert' } },
  v2: { books: { name: 'Emma', pages: 474, price: 4.25, isbn: '978-0141439587' }, authors: { name: 'Jane Austen' } },
  v3: { books: { name: 'Ulysses', pages: 730, price: 12, isbn: null, format: 'hardcover' }, authors: { name: 'James Joyce' } },
  v4: { books: { title: 'Beloved', pages: 324, price: 8, isbn: null, format: 'ebook' }, authors: { title: 'Toni Morrison' } },
  v5: { books: { title: 'Middlemarch', pages: 880, price: 7.5, isbn: null, format: 'paperback' }, authors: { title: 'George Eliot' } },
  v6: { books: { title: 'Kindred', price: 11, isbn: null, format: 'paperback' }, authors: { title: 'Octavia Butler' } },
};

/** system.yaml of a version: system `name`, service `library` in `runtime` (the default, node, when absent). */
export function systemYaml(name: string, entities: readonly string[], runtime?: 'python'): string {
  return ['version: 1', `name: ${name}`, 'services:', '  library:', ...(runtime ? [`    runtime: ${runtime}`] : []), '    database: library', '    entities:', ...entities.map((l) => `      ${l}`), ''].join('\n');
}

export function lineOf(yaml: string, text: string): number {
  return yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
}

export interface Refusal {
  readonly name: string;
  readonly edit: (entities: readonly string[]) => string[];
  /** The line of system.yaml the refusal must name. */
  readonly line: (yaml: string) => number;
  readonly message: RegExp;
}

/** Changes of the last version that generate refuses without a flag. */
export const refusals: readonly Refusal[] = [
  {
    name: 'a required field without a default',
    edit: (e) => insertAfter(e, '  format: { type: string, default: paperback }', '  publisher: string'),
    line: (yaml) => lineOf(yaml, 'publisher: string'),
    message: /required field Book\.publisher is added without a default/,
  },
  { name: 'a silent removal', edit: (e) => e.filter((l) => l !== '  isbn: string?'), line: (yaml) => lineOf(yaml, 'Book:'), message: /field Book\.isbn is removed.*--allow-data-loss/ },
  { name: 'a narrowing type change', edit: (e) => e.map((l) => (l === '  price: number' ? '  price: integer' : l)), line: (yaml) => lineOf(yaml, 'price: integer'), message: /Book\.price changes from number to integer/ },
];

/** The message both runtimes' migrators stop with when an applied migration's file was edited. */
export const changedMigration = (name: string): string => `migrations/${name} changed after it was applied to this database`;

export async function request(method: string, url: string, body?: Row): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method, ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Every file under `dir` that generate owns or writes, with its content (not installs, builds, caches or databases). */
export function outputFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const skipped = ['node_modules', 'dist', 'pgdata', '__pycache__', '.venv', '.mypy_cache', '.ruff_cache', '.pytest_cache'];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (skipped.includes(name) || name.endsWith('.log')) continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Columns, applied migrations and the books of a PostgreSQL database, as one text to compare before and after. */
export async function dumpDatabase(database: string): Promise<string> {
  const tables = await psql(database, "SELECT string_agg(table_name || ':' || column_name || ':' || data_type || ':' || is_nullable, ',' ORDER BY table_name, column_name) FROM information_schema.columns WHERE table_schema = 'public'");
  const applied = await psql(database, "SELECT string_agg(name || ':' || checksum, ',' ORDER BY name) FROM schema_migrations");
  const books = await psql(database, 'SELECT row_to_json(b)::text FROM books b ORDER BY created_at, id');
  return `${tables}\n${applied}\n${books}`;
}

/**
 * Records the migration files of a folder, checking every one seen before is
 * byte-identical; returns the names of those it had not seen.
 */
export function recordMigrations(dir: string, seen: Map<string, string>): string[] {
  const added: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const content = readFileSync(join(dir, name), 'utf8');
    const before = seen.get(name);
    if (before === undefined) added.push(name);
    else if (content !== before) throw new Error(`${name} was rewritten; a migration, once written, must stay byte-identical`);
    seen.set(name, content);
  }
  return added;
}
