import type { FieldType, JsonValue } from '../../model/types.js';
import type { FieldSnapshot } from '../../model/evolution/index.js';
import { kebab, resourceOf } from '../../shared/naming.js';

/**
 * SQL names and types of the data model, shared by every runtime: a Node.js
 * and a Python service read and write the same tables the same migrations
 * made.
 */

const sqlTypes: Record<FieldType, string> = {
  string: 'text',
  text: 'text',
  integer: 'integer',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  uuid: 'uuid',
  json: 'jsonb',
};

type Shape = Pick<FieldSnapshot, 'type' | 'list'>;

/** `marketingOptIn` -> `marketing_opt_in`. */
export function snake(name: string): string {
  return kebab(name).replaceAll('-', '_');
}

/** A SQL identifier, always quoted: entity and field names may be reserved words (`user`, `order`). */
export function sqlName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `OrderItem` -> `"order_items"`. */
export function tableName(entity: string): string {
  return sqlName(tableBase(entity));
}

/** The index that keeps listing in creation order cheap. */
export function indexName(entity: string): string {
  return sqlName(`${tableBase(entity)}_created_at`);
}

/** PostgreSQL's name for the primary key of an entity's table (`<table>_pkey`), the constraint and its index. */
export function primaryKeyName(entity: string): string {
  return sqlName(`${tableBase(entity)}_pkey`);
}

function tableBase(entity: string): string {
  return snake(resourceOf(entity));
}

export function columnName(field: string): string {
  return sqlName(snake(field));
}

/** PostgreSQL column type of a field; a list of JSON values is one jsonb document. */
export function sqlType(field: Shape): string {
  if (field.type === 'json') return 'jsonb';
  return field.list ? `${sqlTypes[field.type]}[]` : sqlTypes[field.type];
}

/** Whether two shapes are stored alike (string and text are both `text`). */
export function sameStorage(a: Shape, b: Shape): boolean {
  return sqlType(a) === sqlType(b);
}

/** A column definition: `"unit_price" double precision NOT NULL`. */
export function columnDefinition(field: FieldSnapshot, options: { readonly nullable?: boolean } = {}): string {
  return `${columnName(field.name)} ${sqlType(field)}${field.optional || options.nullable ? '' : ' NOT NULL'}`;
}

/** A value of a field as a SQL literal of its column type (a default, for backfills). */
export function literal(field: Shape, value: JsonValue): string {
  if (field.type === 'json') return `${quote(JSON.stringify(value))}::jsonb`;
  if (field.list) {
    const items = (value as readonly JsonValue[]).map((item) => scalar(field.type, item));
    return `ARRAY[${items.join(', ')}]::${sqlType(field)}`;
  }
  return scalar(field.type, value);
}

function scalar(type: FieldType, value: JsonValue): string {
  if (typeof value === 'number') return type === 'integer' ? String(value) : `${value}::double precision`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const text = quote(String(value));
  return type === 'string' || type === 'text' ? text : `${text}::${sqlTypes[type]}`;
}

/** A SQL string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The USING expression converting a column's stored values to a new type.
 * Lossless conversions always succeed; lossy ones round, cut or fail on a
 * value that does not convert (the migration's header says so).
 */
export function conversion(column: string, before: Shape, after: Shape): string {
  const target = sqlType(after);
  if (after.type === 'json') return `to_jsonb(${column})`;
  if (before.type === 'json') {
    return after.list ? `translate(${column}::text, '[]', '{}')::${target}` : `(${column} #>> '{}')::${target}`;
  }
  // PostgreSQL's own casts: a number rounds to an integer, text parses (or fails), anything prints as text.
  const element = sqlType({ type: after.type, list: false });
  if (!before.list && after.list) return `CASE WHEN ${column} IS NULL THEN NULL ELSE ARRAY[${column}::${element}] END`;
  if (before.list && !after.list) return `(${column})[1]::${element}`;
  return `${column}::${target}`;
}
