import type { Field, FieldType } from '../../model/types.js';
import { snake } from '../service/names.js';

/** Annotations of the field types; those of app/models/types.py accept what the column stores, as the Node.js services' JSON Schemas do. */
const pyTypes: Record<FieldType, string> = {
  string: 'Text',
  text: 'Text',
  integer: 'Int32',
  number: 'Number',
  boolean: 'Boolean',
  date: 'date',
  datetime: 'Timestamp',
  uuid: 'UUID',
  json: 'Any',
};

// Names a pydantic field or a Python identifier cannot take as they are.
const reserved = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'copy', 'dict', 'json', 'schema', 'construct', 'validate',
]);

/** `assigneeId` -> `assignee_id`, with a trailing `_` when that is a keyword or a BaseModel attribute (`from_`, `json_`). */
export function pyName(name: string): string {
  const s = snake(name);
  return reserved.has(s) || s.startsWith('model_') ? `${s}_` : s;
}

// The annotations above that app/models/types.py defines, in the order they are imported.
const valueTypeNames: readonly string[] = ['Boolean', 'Int32', 'Number', 'Text', 'Timestamp'];

/** What the annotations of `fields` import from app/models/types.py: `Int32, Text`. */
export function valueTypesOf(fields: readonly Field[]): string {
  const used = new Set(fields.filter((f) => !f.enum).map((f) => pyTypes[f.type]));
  return valueTypeNames.filter((name) => used.has(name)).join(', ');
}

/** Python annotation of a field's value, `| None` when optional. */
export function pyType(field: Field): string {
  const base = field.enum ? `Literal[${field.enum.map(pyString).join(', ')}]` : pyTypes[field.type];
  const value = field.list && field.type !== 'json' ? `list[${base}]` : base;
  return field.optional && field.type !== 'json' ? `${value} | None` : value;
}

/** A JSON value as a Python literal on one line: `{"done": True, "tags": ["a"]}`. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return pyString(value);
  if (typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyString(k)}: ${pyLiteral(v)}`)
    .join(', ')}}`;
}

/** A double-quoted Python string (JSON's escapes are Python's). */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/** Where ruff format (and the services' pyproject.toml) wraps lines. */
export const lineLength = 130;

/**
 * The arguments of a call or the parameters of a def, bracketed, as ruff
 * format prints them: on one line when `lead` + they + `tail` fit in the line
 * length; else on one line of their own, indented 4 spaces deeper than
 * `indent`, when that fits; else one a line with a trailing comma.
 */
export function pyWrapped(open: string, items: readonly string[], close: string, indent: string, lead: string, tail = ''): string {
  const joined = items.join(', ');
  if (`${indent}${lead}${open}${joined}${close}${tail}`.length <= lineLength) return `${open}${joined}${close}`;
  const inner = `${indent}    `;
  if (`${inner}${joined}`.length <= lineLength) return `${open}\n${inner}${joined}\n${indent}${close}`;
  return exploded(open, items, close, indent);
}

/**
 * A dict, list or tuple literal as ruff format prints it: on one line when
 * `lead` + it + `tail` fit in the line length, else one item a line with a
 * trailing comma (unlike arguments, a split literal never keeps its items on
 * one line).
 */
export function pyCollection(open: string, items: readonly string[], close: string, indent: string, lead: string, tail = ''): string {
  const joined = items.join(', ');
  if (`${indent}${lead}${open}${joined}${close}${tail}`.length <= lineLength) return `${open}${joined}${close}`;
  return exploded(open, items, close, indent);
}

function exploded(open: string, items: readonly string[], close: string, indent: string): string {
  return `${open}\n${items.map((item) => `${indent}    ${item},\n`).join('')}${indent}${close}`;
}

/** `name = value` at module level, the value parenthesized on a line of its own when that is what makes it fit (ruff format). */
export function pyAssignment(name: string, value: string): string {
  const line = `${name} = ${value}`;
  return line.length <= lineLength || `    ${value}`.length > lineLength ? line : `${name} = (\n    ${value}\n)`;
}

/** The names after `from module import `, as ruff's isort writes them: on the line when they fit, else one a line in parentheses. */
export function pyImported(module: string, names: readonly string[]): string {
  const line = names.join(', ');
  return `from ${module} import ${line}`.length <= lineLength ? line : exploded('(', names, ')', '');
}

/** Names imported from one module in ruff's isort order: CONSTANTS, then Classes, then the rest, each by name. */
export function pyImportOrder(names: readonly string[]): string[] {
  const kind = (name: string): number => (name.length > 1 && /^[A-Z0-9_]+$/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2);
  return [...names].sort((a, b) => kind(a) - kind(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** `async def name(params) -> returns:` at `indent`, its parameters wrapped as ruff format wraps them. */
export function pyDef(name: string, params: readonly string[], returns: string, indent: string): string {
  const head = `async def ${name}`;
  return `${head}${pyWrapped('(', params, ')', indent, head, ` -> ${returns}:`)} -> ${returns}:`;
}

/** The call `fn(args)` at `indent`, after `lead` on its line: its arguments wrapped as ruff format wraps them. */
export function pyCall(fn: string, args: readonly string[], indent: string, lead = '', tail = ''): string {
  return `${fn}${pyWrapped('(', args, ')', indent, `${lead}${fn}`, tail)}`;
}
