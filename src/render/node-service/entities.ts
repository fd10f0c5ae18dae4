import { endpointKey } from '../../model/normalize.js';
import type { Endpoint, Entity, Field, HttpMethod } from '../../model/types.js';
import { isJson, jsonSchema, tsType, uuidSchema } from './fields.js';
import { columnName, sqlName, tableName } from '../migrations/sql.js';
import { kebab } from '../../shared/naming.js';
import { camel, snake } from './names.js';
import { tsLiteral } from './literal.js';

export interface FieldView {
  readonly name: string;
  readonly tsType: string;
  readonly optional: boolean;
  /** Column in a SELECT list, aliased to the field name. */
  readonly select: string;
  readonly column: string;
  /** Expression of the driver parameter for `input.<name>`. */
  readonly param: string;
}

export interface EntityView {
  readonly name: string;
  /** `order-line`: file name of its module under src/entities/ and src/routes/. */
  readonly file: string;
  /** `/order-lines` */
  readonly path: string;
  /** `orderLines`: property of the repository in the handlers' context. */
  readonly repository: string;
  readonly repositoryClass: string;
  readonly inputType: string;
  /** `orderLineSchema` / `orderLineInputSchema`: JSON Schemas exported by the entity module. */
  readonly schemaName: string;
  readonly inputSchemaName: string;
  readonly routesFunction: string;
  readonly table: string;
  readonly fields: readonly FieldView[];
  readonly selectList: string;
  readonly insertColumns: string;
  readonly insertValues: string;
  readonly updateSet: string;
  /** Driver parameters of INSERT and UPDATE: the id, then the fields (`input.email, input.phone ?? null`). */
  readonly createParams: string;
  readonly updateParams: string;
  /** `a` or `an`, for comments. */
  readonly article: string;
  readonly schema: string;
  /** A valid body for POST, as a TypeScript literal (the service's own tests send it). */
  readonly sample: string;
  readonly inputSchema: string;
  /** The generated CRUD routes, without those a declared endpoint overrides. */
  readonly crud: { readonly create: boolean; readonly list: boolean; readonly get: boolean; readonly update: boolean; readonly remove: boolean };
  readonly hasCrud: boolean;
  /** Names the routes module imports from the entity module and from routes/common. */
  readonly routeImports: { readonly entity: string; readonly common: string; readonly notFound: boolean };
  /** Whether an optional json field needs the `json()` helper that keeps null as null. */
  readonly needsJson: boolean;
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

export function entityView(entity: Entity, overrides: ReadonlySet<string>): EntityView {
  const file = kebab(entity.name);
  const path = `/${entity.resource}`;
  const name = camel(file);
  const fields = entity.fields.map(fieldView);
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
    file,
    path,
    repository: camel(entity.resource),
    repositoryClass: `${entity.name}Repository`,
    inputType: `${entity.name}Input`,
    schemaName: `${name}Schema`,
    inputSchemaName: `${name}InputSchema`,
    routesFunction: `${name}Routes`,
    table: tableName(entity.name),
    fields,
    selectList: ['"id"', ...fields.map((f) => f.select)].join(', '),
    insertColumns: ['"id"', ...fields.map((f) => f.column)].join(', '),
    insertValues: ['$1', ...fields.map((_, i) => `$${i + 2}`)].join(', '),
    updateSet: fields.map((f, i) => `${f.column} = $${i + 2}`).join(', '),
    createParams: ['id', ...fields.map((f) => f.param)].join(', '),
    updateParams: ['id', ...fields.map((f) => f.param)].join(', '),
    article: /^[AEIOU]/.test(entity.name) ? 'an' : 'a',
    schema: tsLiteral(schemaOf(entity)),
    sample: tsLiteral(Object.fromEntries(entity.fields.map((f) => [f.name, sampleOf(f)])), '  '),
    inputSchema: tsLiteral(inputSchemaOf(entity)),
    crud,
    hasCrud: Object.values(crud).some(Boolean),
    routeImports: routeImports(entity.name, crud),
    needsJson: entity.fields.some((f) => f.type === 'json' && f.optional),
  };
}

function fieldView(field: Field): FieldView {
  const column = columnName(field.name);
  const access = `input.${field.name}`;
  return {
    name: field.name,
    tsType: tsType(field),
    optional: field.optional,
    select: snake(field.name) === field.name ? column : `${column} AS ${sqlName(field.name)}`,
    column,
    param: isJson(field) ? (field.optional ? `json(${access})` : `JSON.stringify(${access})`) : field.optional ? `${access} ?? null` : access,
  };
}

/** `METHOD path` keys of a service's overridden CRUD endpoints. */
export function overrideKeys(overrides: readonly Endpoint[]): Set<string> {
  return new Set(overrides.map(endpointKey));
}

function routeImports(entity: string, crud: EntityView['crud']): EntityView['routeImports'] {
  const name = camel(kebab(entity));
  const item = crud.get || crud.update || crud.remove;
  const entityNames = [
    ...(crud.create || crud.update ? [`${name}InputSchema`] : []),
    ...(crud.create || crud.list || crud.get || crud.update ? [`${name}Schema`] : []),
    ...(crud.create || crud.update ? [`type ${entity}Input`] : []),
  ];
  const common = [...(item ? ['idParams'] : []), ...(crud.list ? ['pageQuery'] : []), ...(item ? ['type IdParams'] : []), ...(crud.list ? ['type PageQuery'] : [])];
  return { entity: entityNames.join(', '), common: common.join(', '), notFound: item };
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
