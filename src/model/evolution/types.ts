import type { FieldType } from '../types.js';
import type { FieldSnapshot } from './snapshot.js';

/**
 * What a type change does to stored values:
 * - none: same type;
 * - lossless: every stored value converts exactly (widening: integer -> number,
 *   anything -> string/text or json, date -> datetime, a value -> a list of it);
 * - lossy: values may be cut, rounded or fail to convert (narrowing, text -> number, a list -> one value).
 */
export type TypeChange = 'none' | 'lossless' | 'lossy';

type Shape = Pick<FieldSnapshot, 'type' | 'list'>;

export function typeChange(before: Shape, after: Shape): TypeChange {
  if (before.type === after.type && before.list === after.list) return 'none';
  if (after.type === 'json') return 'lossless';
  if (before.type === 'json') return 'lossy';
  if (before.list && !after.list) return 'lossy';
  return before.type === after.type || widens(before.type, after.type) ? 'lossless' : 'lossy';
}

function widens(from: FieldType, to: FieldType): boolean {
  if (to === 'string' || to === 'text') return true;
  return (from === 'integer' && to === 'number') || (from === 'date' && to === 'datetime');
}
