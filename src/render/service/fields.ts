import type { Field, FieldType } from '../../model/types.js';

/** A UUID (what the `uuid` format lets through and PostgreSQL does not read, `urn:uuid:...`, is a 400 from the database). */
export const uuidSchema = { type: 'string', format: 'uuid' } as const;

/**
 * What each type accepts is what its PostgreSQL column stores, so a valid
 * request never fails in the database: text without NUL characters, integers
 * in 32 bits, dates from year 1, time-zone offsets within ±15:59. Patterns only
 * refuse what the format lets through, so a malformed value still fails on the format.
 */
const jsonSchemas: Record<FieldType, Record<string, unknown>> = {
  string: { type: 'string', pattern: '^[^\\u0000]*$' },
  text: { type: 'string', pattern: '^[^\\u0000]*$' },
  integer: { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date', pattern: '^(?!0000)' },
  datetime: { type: 'string', format: 'date-time', pattern: '^(?!0000)(?!.*[+-](?:1[6-9]|[2-9][0-9]):[0-9]{2}$)' },
  uuid: uuidSchema,
  json: {},
};

/** JSON Schema of a field's value (request validation, response serialization, OpenAPI); null is allowed when optional. */
export function jsonSchema(field: Field): Record<string, unknown> {
  const item: Record<string, unknown> = field.enum ? { type: 'string', enum: [...field.enum] } : { ...jsonSchemas[field.type] };
  const value: Record<string, unknown> = field.list ? { type: 'array', items: item } : item;
  if (!field.optional || field.type === 'json') return value;
  if (value['enum']) return { ...value, type: ['string', 'null'], enum: [...(value['enum'] as string[]), null] };
  return { ...value, type: [value['type'] as string, 'null'] };
}

/** Whether a value must go to the driver as JSON (pg would turn a JS array, psycopg a Python list, into a PostgreSQL array). */
export function isJson(field: Field): boolean {
  return field.type === 'json';
}
