import { endpointKey } from '../../model/normalize.js';
import type { Endpoint, Entity, Field, HttpMethod } from '../../model/types.js';
import { columnName, sqlName, tableName } from '../migrations/sql.js';
import { jsonSchema, uuidSchema } from './fields.js';
import { snake } from './names.js';

/** A field's column. */
export interface ColumnView {
  readonly name: string;
  readonly column: string;
  /** Column in a SELECT list, aliased to the field name. */
  readonly select: string;
}

/** What the entity views of both runtimes share: its routes, the generated CRUD among them, its table and columns. */
export interface EntityBase {
  readonly name: string;
  /** `/order-lines` */
  readonly path: string;
  readonly table: string;
  readonly columns: readonly ColumnView[];
  readonly selectList: string;
  readonly insertColumns: string;
  /** The generated CRUD routes, without those a declared endpoint overrides. */
  readonly crud: { readonly create: boolean; readonly list: boolean; readonly get: boolean; readonly update: boolean; readonly remove: boolean };
  readonly hasCrud: boolean;
  /** `a` or `an`, for comments. */
  readonly article: string;
}

export function entityBase(entity: Entity, overrides: ReadonlySet<string>): EntityBase {
  const path = `/${entity.resource}`;
  const columns = entity.fields.map(columnView);
  const open = (method: HttpMethod, p: string): boolean => !overrides.has(endpointKey({ method, path: p }));
  const crud = {
    create: open('POST', path),
    list: open('GET', path),
    get: open('GET', `${path}/{id}`),
    update: open('PUT', `${path}/{id}`),
    remove: open('DELETE', `${path}/{id}`),
  };
  return {
    name: entity.name,
    path,
    table: tableName(entity.name),
    columns,
    selectList: ['"id"', ...columns.map((c) => c.select)].join(', '),
    insertColumns: ['"id"', ...columns.map((c) => c.column)].join(', '),
    crud,
    hasCrud: Object.values(crud).some(Boolean),
    article: /^[AEIOU]/.test(entity.name) ? 'an' : 'a',
  };
}

function columnView(field: Field): ColumnView {
  const column = columnName(field.name);
  return { name: field.name, column, select: snake(field.name) === field.name ? column : `${column} AS ${sqlName(field.name)}` };
}

/** The JSON Schema of what POST and PUT take: every field; the optional ones may be left out or null, one with a default may be left out and gets it. */
export function inputSchemaOf(entity: Entity): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: entity.fields.filter((f) => !f.optional && f.default === undefined).map((f) => f.name),
    properties: Object.fromEntries(entity.fields.map((f) => [f.name, f.default === undefined ? jsonSchema(f) : { ...jsonSchema(f), default: f.default }])),
  };
}

/** The JSON Schema of a stored entity as served: its id and every field (null when optional and unset). */
export function schemaOf(entity: Entity): Record<string, unknown> {
  return {
    type: 'object',
    required: ['id', ...entity.fields.map((f) => f.name)],
    properties: { id: uuidSchema, ...Object.fromEntries(entity.fields.map((f) => [f.name, jsonSchema(f)])) },
  };
}

/** `METHOD path` keys of a service's overridden CRUD endpoints. */
export function overrideKeys(overrides: readonly Endpoint[]): Set<string> {
  return new Set(overrides.map(endpointKey));
}

const samples: Record<Field['type'], unknown> = {
  string: 'example',
  text: 'Some longer text.',
  integer: 3,
  number: 9.5,
  boolean: true,
  date: '2026-01-31',
  datetime: '2026-01-31T12:00:00.000Z',
  uuid: '3f1c6a4e-2b7d-4c8e-9a10-5d2e8f7b6c41',
  json: { example: true },
};

/** A valid value of a field: what the generated services' own tests send. */
export function sampleOf(field: Field): unknown {
  const value = field.enum ? field.enum[0] : samples[field.type];
  return field.list && field.type !== 'json' ? [value] : value;
}

/** A regular expression matching exactly one of `values` (the contract tests' matcher of an enum field). */
export function enumPattern(values: readonly string[]): string {
  return `^(${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}
