import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

/** Location of the JSON Schema of system.yaml inside the installed package. */
export const schemaUrl = new URL('../../schema/system.schema.json', import.meta.url);

/** Where the build writes the precompiled validator (absent when running from source). */
export const precompiledUrl = new URL('./system-validator.cjs', import.meta.url);

let cached: Record<string, unknown> | undefined;
let cachedText: string | undefined;

/** The schema file's text as shipped (generate copies it for editors). */
export function systemSchemaText(): string {
  cachedText ??= readFileSync(schemaUrl, 'utf8');
  return cachedText;
}

/** The JSON Schema of system.yaml v1: the single source of truth for its shape. */
export function systemSchema(): Record<string, unknown> {
  cached ??= JSON.parse(systemSchemaText()) as Record<string, unknown>;
  return cached;
}

/** The validator the build precompiled from the schema, if there is one. */
export function precompiledValidator(): ValidateFunction | undefined {
  if (!existsSync(precompiledUrl)) return undefined;
  const loaded = createRequire(import.meta.url)(precompiledUrl.pathname) as { validateSystem: ValidateFunction };
  return loaded.validateSystem;
}
