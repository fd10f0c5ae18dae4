/**
 * A JSON value as a TypeScript literal the way a person would write it:
 * identifier keys unquoted, single-quoted strings, short arrays and objects
 * on one line.
 */
export function tsLiteral(value: unknown, indent = ''): string {
  const inline = oneLine(value);
  if (inline.length + indent.length <= 100 || !isContainer(value)) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${tsLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (isContainer(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${key(k)}: ${oneLine(v)}`).join(', ')} }`;
  }
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function key(name: string): string {
  // `__proto__:` (quoted or not) in a literal sets the prototype; only a computed key makes it a property.
  if (name === '__proto__') return `['__proto__']`;
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replaceAll("\\\"", '"').replaceAll("'", "\\'")}'`;
}
