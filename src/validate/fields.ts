import type { Path } from '../parse/parse.js';
import type { EntityDoc, FieldDoc } from './document.js';

/** Reports one problem at the key or the value of a path. */
export type At = (path: Path, which: 'key' | 'value', message: string, hint: string) => void;

/**
 * Checks an entity's fields beyond their shape: a `default` must be a value the
 * field can hold (its type, list and enum), and `renamedFrom` must not name a
 * field the entity still declares.
 */
export function checkEntityFields(entity: string, doc: EntityDoc, base: Path, at: At): void {
  const renamedFrom = doc['renamedFrom'];
  if (typeof renamedFrom === 'string' && renamedFrom === entity) at([...base, 'renamedFrom'], 'value', `entity '${entity}' says it was renamed from itself`, 'remove renamedFrom, or name the entity it was called before');
  for (const name in doc) {
    const raw = doc[name]!;
    // Short forms (`title: string`) have nothing more to check; `renamedFrom` is the entity's own key.
    if (typeof raw === 'string' || name === 'renamedFrom') continue;
    const path = [...base, name];
    if (raw.renamedFrom !== undefined && raw.renamedFrom !== 'renamedFrom' && Object.hasOwn(doc, raw.renamedFrom)) {
      at([...path, 'renamedFrom'], 'value', `field '${name}' says it was renamed from '${raw.renamedFrom}', which entity '${entity}' still declares`, `remove renamedFrom, or remove or rename field '${raw.renamedFrom}'`);
    }
    if (raw.default !== undefined) {
      const problem = defaultProblem(raw, raw.default);
      if (problem) at([...path, 'default'], 'value', `default of field '${name}' ${problem}`, `give a default of type ${raw.enum ? `one of ${raw.enum.join(', ')}` : (raw.type ?? 'string').replace(/\?$/, '')}, or remove it`);
    }
  }
}

/** Why a value cannot be the default of a field, or undefined when it can. */
function defaultProblem(field: FieldDoc, value: unknown): string | undefined {
  const typeText = (field.type ?? 'string').replace(/\?$/, '');
  const list = typeText.endsWith('[]');
  const type = typeText.replace(/\[\]$/, '');
  if (value === null) return 'is null: a default is what rows get instead of null (leave it out for an optional field)';
  if (type === 'json') return undefined;
  if (list) {
    if (!Array.isArray(value)) return `must be a list, as the field is ${typeText}`;
    for (const item of value) {
      const problem = scalarProblem(type, field.enum, item);
      if (problem) return `has an item that ${problem}`;
    }
    return undefined;
  }
  return scalarProblem(type, field.enum, value);
}

function scalarProblem(type: string, allowed: readonly string[] | undefined, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  if (allowed) return typeof value === 'string' && allowed.includes(value) ? undefined : `${shown} is not one of ${allowed.join(', ')}`;
  switch (type) {
    case 'string':
    case 'text':
      return typeof value === 'string' ? undefined : `${shown} is not a string (quote it)`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${shown} is not an integer`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${shown} is not a number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${shown} is not true or false`;
    case 'uuid':
      return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? undefined : `${shown} is not a UUID`;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : `${shown} is not a date (YYYY-MM-DD, quoted)`;
    case 'datetime':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : `${shown} is not a date-time (e.g. '2026-01-31T12:00:00Z', quoted)`;
    default:
      return undefined;
  }
}
