import type { Entity, Field } from '../../model/types.js';
import { kebab } from '../../shared/naming.js';
import { entityBase, inputSchemaOf, schemaOf, sampleOf, type ColumnView, type EntityBase } from '../service/entities.js';
import { isJson } from '../service/fields.js';
import { camel } from '../service/names.js';
import { tsType } from './fields.js';
import { tsLiteral } from './literal.js';

export interface FieldView extends ColumnView {
  readonly tsType: string;
  readonly optional: boolean;
  /** Expression of the driver parameter for `input.<name>`. */
  readonly param: string;
}

export interface EntityView extends EntityBase {
  /** `order-line`: file name of its module under src/entities/ and src/routes/. */
  readonly file: string;
  /** `orderLines`: property of the repository in the handlers' context. */
  readonly repository: string;
  readonly repositoryClass: string;
  readonly inputType: string;
  /** `orderLineSchema` / `orderLineInputSchema`: JSON Schemas exported by the entity module. */
  readonly schemaName: string;
  readonly inputSchemaName: string;
  readonly routesFunction: string;
  readonly fields: readonly FieldView[];
  readonly insertValues: string;
  readonly updateSet: string;
  /** Driver parameters of INSERT and UPDATE: the id, then the fields (`input.email, input.phone ?? null`). */
  readonly createParams: string;
  readonly updateParams: string;
  readonly schema: string;
  /** A valid body for POST, as a TypeScript literal (the service's own tests send it). */
  readonly sample: string;
  readonly inputSchema: string;
  /** Names the routes module imports from the entity module and from routes/common. */
  readonly routeImports: { readonly entity: string; readonly common: string; readonly notFound: boolean };
  /** Whether an optional json field needs the `json()` helper that keeps null as null. */
  readonly needsJson: boolean;
}

export function entityView(entity: Entity, overrides: ReadonlySet<string>): EntityView {
  const base = entityBase(entity, overrides);
  const name = camel(kebab(entity.name));
  const fields = entity.fields.map((field, i) => fieldView(field, base.columns[i]!));
  return {
    ...base,
    file: kebab(entity.name),
    repository: camel(entity.resource),
    repositoryClass: `${entity.name}Repository`,
    inputType: `${entity.name}Input`,
    schemaName: `${name}Schema`,
    inputSchemaName: `${name}InputSchema`,
    routesFunction: `${name}Routes`,
    fields,
    insertValues: ['$1', ...fields.map((_, i) => `$${i + 2}`)].join(', '),
    updateSet: fields.map((f, i) => `${f.column} = $${i + 2}`).join(', '),
    createParams: ['id', ...fields.map((f) => f.param)].join(', '),
    updateParams: ['id', ...fields.map((f) => f.param)].join(', '),
    schema: tsLiteral(schemaOf(entity)),
    sample: tsLiteral(Object.fromEntries(entity.fields.map((f) => [f.name, sampleOf(f)])), '  '),
    inputSchema: tsLiteral(inputSchemaOf(entity)),
    routeImports: routeImports(entity.name, base.crud),
    needsJson: entity.fields.some((f) => f.type === 'json' && f.optional),
  };
}

function fieldView(field: Field, column: ColumnView): FieldView {
  const access = `input.${field.name}`;
  return {
    ...column,
    tsType: tsType(field),
    optional: field.optional,
    param: isJson(field) ? (field.optional ? `json(${access})` : `JSON.stringify(${access})`) : field.optional ? `${access} ?? null` : access,
  };
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
