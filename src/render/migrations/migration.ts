import { classOf, typeChange, type ChangeClass, type EntityChange, type EntitySnapshot } from '../../model/evolution/index.js';
import { columnDefinition, columnName, conversion, indexName, literal, primaryKeyName, quote, sameStorage, snake, sqlType, tableName } from './sql.js';

/** One migration rendered from changes: its file name's slug and its SQL (without the generated notice). */
export interface MigrationText {
  readonly slug: string;
  readonly sql: string;
}

const classNotes: Record<ChangeClass, string> = {
  additive: 'additive: adds or renames tables and columns; no stored value is lost or rewritten',
  'data-dependent': 'data-dependent: writes existing rows (defaults filled in) before a column becomes required',
  destructive: 'destructive: drops or converts stored values (generated with --allow-data-loss)',
};

/**
 * The SQL of a migration from the changes of one service, or undefined when no
 * change touches the database (a new default, enum values added, string <->
 * text). The migrator runs each file in one transaction, so a failing
 * statement leaves the database as it was.
 */
export function migrationOf(changes: readonly EntityChange[]): MigrationText | undefined {
  const steps = changes.map((change) => ({ change, sql: statements(change) })).filter((s) => s.sql.length > 0);
  if (steps.length === 0) return undefined;
  const applied = steps.map((s) => s.change);
  const drops = applied.filter((c) => c.class === 'destructive');
  const header = [
    `-- Class: ${classNotes[classOf(applied)]}.`,
    '-- Runs in one transaction. Changes:',
    ...applied.map((c) => `--   - ${c.message}`),
    ...(drops.length > 0 ? ['-- Drops or converts, and cannot give back:', ...drops.map((c) => `--   - ${lossOf(c)}`)] : []),
  ];
  return { slug: slugOf(applied), sql: `${header.join('\n')}\n\n${steps.map((s) => s.sql.join('\n')).join('\n\n')}\n` };
}

function statements(change: EntityChange): string[] {
  const table = tableName(change.entity);
  const alter = (what: string): string => `ALTER TABLE ${table} ${what};`;
  const before = change.before;
  const after = change.after;
  switch (change.kind) {
    case 'entity-added':
      return createTable(change.entitySnapshot!);
    case 'entity-removed':
      return [`DROP TABLE ${table};`];
    case 'entity-renamed': {
      const from = tableName(change.from!);
      if (from === table) return [];
      // The primary key's and the listing index's names follow the table, so a later entity of the old name can have them.
      return [
        `ALTER TABLE ${from} RENAME TO ${table};`,
        `ALTER INDEX IF EXISTS ${primaryKeyName(change.from!)} RENAME TO ${primaryKeyName(change.entity)};`,
        `ALTER INDEX IF EXISTS ${indexName(change.from!)} RENAME TO ${indexName(change.entity)};`,
      ];
    }
    case 'field-added':
      if (after!.optional) return [alter(`ADD COLUMN ${columnDefinition(after!)}`)];
      return [
        alter(`ADD COLUMN ${columnDefinition(after!, { nullable: true })}`),
        `UPDATE ${table} SET ${columnName(after!.name)} = ${literal(after!, after!.default!)};`,
        alter(`ALTER COLUMN ${columnName(after!.name)} SET NOT NULL`),
      ];
    case 'field-removed':
      return [alter(`DROP COLUMN ${columnName(before!.name)}`)];
    case 'field-renamed':
      return columnName(before!.name) === columnName(after!.name) ? [] : [alter(`RENAME COLUMN ${columnName(before!.name)} TO ${columnName(after!.name)}`)];
    case 'type-changed': {
      if (sameStorage(before!, after!)) return [];
      const column = columnName(after!.name);
      return [alter(`ALTER COLUMN ${column} TYPE ${sqlType(after!)} USING ${conversion(column, before!, after!)}`)];
    }
    case 'made-required': {
      const column = columnName(after!.name);
      return [`UPDATE ${table} SET ${column} = ${literal(after!, after!.default!)} WHERE ${column} IS NULL;`, alter(`ALTER COLUMN ${column} SET NOT NULL`)];
    }
    case 'made-optional':
      return [alter(`ALTER COLUMN ${columnName(after!.name)} DROP NOT NULL`)];
    case 'enum-values-removed': {
      const column = columnName(after!.name);
      const allowed = `ARRAY[${after!.enum!.map(quote).join(', ')}]::text[]`;
      if (after!.list) return [`UPDATE ${table} SET ${column} = ARRAY(SELECT v FROM unnest(${column}) AS v WHERE v = ANY(${allowed})) WHERE NOT (${column} <@ ${allowed});`];
      const replacement = after!.default !== undefined ? literal(after!, after!.default) : 'NULL';
      return [`UPDATE ${table} SET ${column} = ${replacement} WHERE ${column} <> ALL(${allowed});`];
    }
    case 'enum-values-added':
    case 'default-changed':
      return [];
  }
}

function createTable(entity: EntitySnapshot): string[] {
  const table = tableName(entity.name);
  const columns = ['"id" uuid PRIMARY KEY', ...entity.fields.map((f) => columnDefinition(f)), '"created_at" timestamptz NOT NULL DEFAULT now()'];
  return [
    `-- ${entity.name}`,
    `CREATE TABLE ${table} (\n${columns.map((c) => `  ${c}`).join(',\n')}\n);`,
    `CREATE INDEX ${indexName(entity.name)} ON ${table} ("created_at", "id");`,
  ];
}

function lossOf(change: EntityChange): string {
  const table = tableName(change.entity);
  switch (change.kind) {
    case 'entity-removed':
      return `table ${table} and every row in it`;
    case 'field-removed':
      return `column ${columnName(change.before!.name)} of ${table} and its values`;
    case 'type-changed':
      return `values of ${columnName(change.after!.name)} in ${table} that do not convert exactly to ${sqlType(change.after!)} (${typeChange(change.before!, change.after!)})`;
    default:
      return `values of ${columnName(change.after!.name)} in ${table} no longer allowed`;
  }
}

/** `products_add_brand`, `create_reviews`, `books_rename_name_to_title_and_more`: what the file changes, for its name. */
function slugOf(changes: readonly EntityChange[]): string {
  const created = changes.every((c) => c.kind === 'entity-added');
  const parts = created ? changes.map((c, i) => (i === 0 ? partOf(c) : partOf(c).slice('create_'.length))) : [...new Set(changes.map(partOf))];
  const text = parts.length <= 2 ? parts.join('_and_') : `${parts.slice(0, 2).join('_and_')}_and_more`;
  return text.length <= 80 ? text : `${text.slice(0, 80).replace(/_[^_]*$/, '')}_and_more`;
}

function partOf(change: EntityChange): string {
  const table = snake(tableName(change.entity).slice(1, -1));
  const column = snake(change.field ?? '');
  switch (change.kind) {
    case 'entity-added':
      return `create_${table}`;
    case 'entity-removed':
      return `drop_${table}`;
    case 'entity-renamed':
      return `rename_${snake(tableName(change.from!).slice(1, -1))}_to_${table}`;
    case 'field-added':
      return `${table}_add_${column}`;
    case 'field-removed':
      return `${table}_drop_${column}`;
    case 'field-renamed':
      return `${table}_rename_${snake(change.from!)}_to_${column}`;
    case 'made-required':
      return `${table}_require_${column}`;
    case 'made-optional':
      return `${table}_${column}_optional`;
    case 'enum-values-removed':
      return `${table}_narrow_${column}`;
    default:
      return `${table}_alter_${column}`;
  }
}
