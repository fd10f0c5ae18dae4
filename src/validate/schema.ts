import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ParsedSource, Path } from '../parse/parse.js';
import { precompiledValidator, systemSchema } from './schema-file.js';
import { suggestion } from '../shared/suggest.js';

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
type SchemaNode = Record<string, unknown>;

let ajv: AjvClass | undefined;
let validateRoot: ValidateFunction | undefined;
const branchValidators = new Map<string, ValidateFunction>();

/**
 * The one Ajv configuration, shared by run-time compilation and by the build
 * step that precompiles the schema (scripts/build-validator.js).
 */
export function createAjv(options: Options = {}): AjvClass {
  // Loaded on first use: a valid system.yaml is checked by the precompiled validator, which needs only Ajv's runtime.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const instance = new Ajv({ allErrors: true, verbose: true, strict: true, strictTuples: false, allowUnionTypes: true, ...options });
  // Annotation understood by editors (vscode-json-languageservice); the CLI reuses it for its messages.
  instance.addKeyword('patternErrorMessage');
  instance.addSchema(systemSchema(), 'system');
  return instance;
}

function compiler(): AjvClass {
  ajv ??= createAjv();
  return ajv;
}

// Compiling the schema costs about as much as validating ten thousand services, so the build precompiles it.
function rootValidator(): ValidateFunction {
  validateRoot ??= precompiledValidator() ?? compiler().getSchema('system')!;
  return validateRoot;
}

/** Validates the parsed value against the JSON Schema and maps every error to a positioned diagnostic. */
export function validateSchema(source: ParsedSource): Diagnostic[] {
  const root = rootValidator();
  if (root(source.value)) return [];
  return mapErrors(root.errors ?? [], [], source);
}

function mapErrors(errors: readonly ErrorObject[], base: Path, source: ParsedSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const handled: string[] = [];
  const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(prefix + '/');
  // Alternatives (short form or long form) are resolved by the value's type: the
  // user meant the branch whose type matches, so only that branch's errors help.
  const alternatives = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const alt of alternatives) {
    if (handled.some((prefix) => under(alt.instancePath, prefix))) continue;
    handled.push(alt.instancePath);
    const path = [...base, ...splitPointer(alt.instancePath)];
    const branches = alt.schema as SchemaNode[];
    const actual = jsonType(alt.data);
    const index = branches.findIndex((branch) => branchTypes(branch).has(actual));
    if (index >= 0) {
      const validate = branchValidator(branches[index]!);
      if (!validate(alt.data)) out.push(...mapErrors(validate.errors ?? [], path, source));
    } else {
      const expected = [...new Set(branches.flatMap((b) => [...branchTypes(b)]))];
      out.push(diagnostic(source, path, 'value', `${describePath(path)} must be ${expected.map(typeName).join(' or ')}`, `found ${typeName(actual)}`));
    }
  }
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'propertyNames') continue;
    if (handled.some((prefix) => under(error.instancePath, prefix))) continue;
    out.push(mapError(error, base, source));
  }
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = `${d.line}:${d.column}:${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function mapError(error: ErrorObject, base: Path, source: ParsedSource): Diagnostic {
  const path = [...base, ...splitPointer(error.instancePath)];
  const where = describePath(path);
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  if (error.propertyName !== undefined) {
    const name = error.propertyName;
    const keyPath = [...path, name];
    const what = `'${name}' is not a valid name in ${where}`;
    if (error.keyword === 'enum') {
      return diagnostic(source, keyPath, 'key', `unknown rule '${name}' in ${where}`, suggestion(name, error.schema as string[]));
    }
    return diagnostic(source, keyPath, 'key', what, `it ${String(parent['patternErrorMessage'] ?? `must match ${String(error.schema)}`)}`);
  }
  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      return diagnostic(source, path, 'key', `${where} is missing the required property '${missing}'`, `add '${missing}:'`);
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const known = Object.keys((parent['properties'] ?? {}) as SchemaNode);
      return diagnostic(source, [...path, extra], 'key', `unknown property '${extra}' in ${where}`, known.length ? suggestion(extra, known) : 'remove it');
    }
    case 'type': {
      const expected = ([] as string[]).concat(error.schema as string | string[]);
      return diagnostic(source, path, 'value', `${where} must be ${expected.map((t) => typeName(t as JsonType)).join(' or ')}`, `found ${typeName(jsonType(error.data))}`);
    }
    case 'enum': {
      const allowed = (error.schema as unknown[]).map(String);
      return diagnostic(source, path, 'value', `${where} must be one of ${allowed.join(', ')}`, typeof error.data === 'string' ? suggestion(error.data, allowed) : `use one of: ${allowed.join(', ')}`);
    }
    case 'const':
      return diagnostic(source, path, 'value', `${where} must be ${JSON.stringify(error.schema)}`, `write ${JSON.stringify(error.schema)}; it is the only version of system.yaml`);
    case 'pattern':
      return diagnostic(source, path, 'value', `${where} ${JSON.stringify(error.data)} is not valid`, `it ${String(parent['patternErrorMessage'] ?? `must match ${String(error.schema)}`)}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' }[error.keyword];
      return diagnostic(source, path, 'value', `${where} must be ${bound} ${String(error.schema)}`, `found ${String(error.data)}`);
    }
    case 'uniqueItems':
      return diagnostic(source, [...path, Number(params['i'])], 'value', `${where} lists the same item twice`, 'remove the repeated item');
    case 'minProperties':
      return diagnostic(source, path, 'value', `${where} must not be empty`, 'declare at least one entry');
    case 'minItems':
      return diagnostic(source, path, 'value', `${where} must have at least ${String(error.schema)} item(s)`, 'add the missing items');
    case 'maxItems':
    case 'additionalItems':
      return diagnostic(source, path, 'value', `${where} has too many items`, 'write [severity] or [severity, { options }]');
    case 'minLength':
      return diagnostic(source, path, 'value', `${where} must not be empty`, 'write some text');
    default:
      return diagnostic(source, path, 'value', `${where} ${error.message ?? 'is not valid'}`, 'see the schema reference in the README');
  }
}

function diagnostic(source: ParsedSource, path: Path, at: 'key' | 'value', message: string, hint: string): Diagnostic {
  const pos = at === 'key' ? source.locate.key(path) : source.locate.value(path);
  return { file: source.file, line: pos.line, column: pos.column, message, hint };
}

/** A validator for one alternative; it carries the root's definitions so its local `$ref`s resolve. */
function branchValidator(branch: SchemaNode): ValidateFunction {
  const key = JSON.stringify(branch);
  let validate = branchValidators.get(key);
  if (!validate) {
    validate = compiler().compile({ ...branch, definitions: systemSchema()['definitions'] });
    branchValidators.set(key, validate);
  }
  return validate;
}

function branchTypes(branch: SchemaNode): Set<JsonType> {
  const types = new Set<JsonType>();
  const resolved = resolve(branch);
  const declared = resolved['type'];
  if (declared !== undefined) for (const t of ([] as JsonType[]).concat(declared as JsonType)) types.add(t);
  for (const value of (resolved['enum'] as unknown[] | undefined) ?? []) types.add(jsonType(value));
  if ('const' in resolved) types.add(jsonType(resolved['const']));
  for (const inner of (resolved['anyOf'] as SchemaNode[] | undefined) ?? []) for (const t of branchTypes(inner)) types.add(t);
  if (types.has('number')) types.add('integer');
  return types;
}

function resolve(node: SchemaNode): SchemaNode {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  let target: unknown = systemSchema();
  for (const segment of ref.replace(/^#\//, '').split('/')) target = (target as SchemaNode)[segment];
  return resolve(target as SchemaNode);
}

function jsonType(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  const t = typeof value;
  return t === 'number' || t === 'string' || t === 'boolean' ? t : 'object';
}

function typeName(type: JsonType): string {
  switch (type) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'null':
      return 'empty';
    case 'integer':
      return 'an integer';
    default:
      return `a ${type}`;
  }
}

function splitPointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `services.order.calls.product`, or `the file` for the root. */
export function describePath(path: Path): string {
  if (path.length === 0) return 'the file';
  return path.map((s, i) => (typeof s === 'number' || /^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
