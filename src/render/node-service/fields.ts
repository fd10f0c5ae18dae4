import type { Field, FieldType } from '../../model/types.js';

const tsTypes: Record<FieldType, string> = {
  string: 'string',
  text: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  date: 'string',
  datetime: 'string',
  uuid: 'string',
  json: 'unknown',
};

/** TypeScript type of a field's value, `| null` when optional. */
export function tsType(field: Field): string {
  const base = field.enum ? field.enum.map((v) => `'${v.replaceAll("'", "\\'")}'`).join(' | ') : tsTypes[field.type];
  const value = field.list ? (field.enum ? `(${base})[]` : `${base}[]`) : base;
  return field.optional ? `${value} | null` : value;
}
