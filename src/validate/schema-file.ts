import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

/** Location of the JSON Schema of system.yaml inside the installed package. */
export const schemaUrl = new URL('../../schema/system.schema.json', import.meta.url);

/** Where the build writes the precompiled validator (absent when running from source). */
export const precompiledUrl = new URL('./system-validator.cjs', import.meta.url);

let cached: Record<string, unknown> | undefined;

/** The JSON Schema of system.yaml v1: the single source of truth for its shape. */
export function systemSchema(): Record<string, unknown> {
  cached ??= JSON.parse(readFileSync(schemaUrl, 'utf8')) as Record<string, unknown>;
  return cached;
}

/** The validator the build precompiled from the schema, if there is one. */
export function precompiledValidator(): ValidateFunction | undefined {
  if (!existsSync(precompiledUrl)) return undefined;
  const loaded = createRequire(import.meta.url)(precompiledUrl.pathname) as { validateSystem: ValidateFunction };
  return loaded.validateSystem;
}
