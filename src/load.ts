import type { Diagnostic } from './diagnostics/diagnostic.js';
import { sortDiagnostics } from './diagnostics/diagnostic.js';
import { normalize } from './model/normalize.js';
import type { SystemModel } from './model/types.js';
import { parseSource } from './parse/parse.js';
import type { SystemDoc } from './validate/document.js';
import { validateSchema } from './validate/schema.js';
import { checkReferences } from './validate/semantic.js';

export type LoadResult = { ok: true; model: SystemModel } | { ok: false; diagnostics: Diagnostic[] };

/**
 * system.yaml text -> parse -> validate -> model. Pure: the caller reads the
 * file. Every problem found by a stage is reported at once; a later stage runs
 * only on what the earlier one accepted.
 */
export function loadSystem(text: string, file: string): LoadResult {
  const parsed = parseSource(text, file);
  if (!parsed.ok) return { ok: false, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const { source } = parsed;
  const schemaProblems = validateSchema(source);
  if (schemaProblems.length > 0) return { ok: false, diagnostics: sortDiagnostics(schemaProblems) };
  const doc = source.value as SystemDoc;
  const referenceProblems = checkReferences(doc, source);
  if (referenceProblems.length > 0) return { ok: false, diagnostics: sortDiagnostics(referenceProblems) };
  return { ok: true, model: normalize(doc, file, source.locate) };
}
