import { readFileSync } from 'node:fs';

/** Location of the JSON Schema of system.yaml inside the installed package. */
export const schemaUrl = new URL('../../schema/system.schema.json', import.meta.url);

let cached: Record<string, unknown> | undefined;

/** The JSON Schema of system.yaml v1: the single source of truth for its shape. */
export function systemSchema(): Record<string, unknown> {
  cached ??= JSON.parse(readFileSync(schemaUrl, 'utf8')) as Record<string, unknown>;
  return cached;
}
