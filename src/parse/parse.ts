import { LineCounter, parseDocument, isMap, isSeq, isScalar, visit, type Node } from 'yaml';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.js';

/** A path into the parsed value, as in `['services', 'order', 'calls']`. */
export type Path = readonly (string | number)[];

/** Maps paths of the parsed value back to where they were written. */
export interface Locator {
  /** Where the key naming `path` starts (the value's position for list items); falls back to the nearest ancestor. */
  key(path: Path): Position;
  /** Where the value at `path` starts; falls back to the nearest ancestor. */
  value(path: Path): Position;
}

export interface ParsedSource {
  readonly file: string;
  readonly value: unknown;
  readonly locate: Locator;
}

export type ParseResult = { ok: true; source: ParsedSource } | { ok: false; diagnostics: Diagnostic[] };

interface Offsets {
  key: number;
  value: number;
}

/** Parses YAML text, keeping enough of the syntax tree to place later diagnostics at line and column. */
export function parseSource(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((error) => {
        const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          message: `invalid YAML: ${firstLine(error.message)}`,
          hint: bracedPathInFlow(text, pos.line) ? bracedPathHint : yamlHint(error.code),
        };
      }),
    };
  }
  const complexKeys: Diagnostic[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) || pair.key === null) return;
      const pos = lineCounter.linePos((pair.key as Node).range?.[0] ?? 0);
      complexKeys.push({ file, line: pos.line, column: pos.col, message: 'a key must be a plain name, not a list or mapping', hint: 'write the key as a single word followed by ":"' });
    },
  });
  if (complexKeys.length > 0) return { ok: false, diagnostics: complexKeys };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return {
      ok: false,
      diagnostics: [{ file, line: 1, column: 1, message: `invalid YAML: ${firstLine(String((error as Error).message))}`, hint: 'simplify anchors and aliases' }],
    };
  }
  let index: Map<string, Offsets> | undefined;
  const lookup = (path: Path, which: keyof Offsets): Position => {
    index ??= buildIndex(doc.contents);
    for (let depth = path.length; depth >= 0; depth--) {
      const hit = index.get(pointer(path.slice(0, depth)));
      if (hit) {
        const pos = lineCounter.linePos(hit[which]);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };
  return {
    ok: true,
    source: { file, value, locate: { key: (path) => lookup(path, 'key'), value: (path) => lookup(path, 'value') } },
  };
}

/** JSON Pointer of a path: the same form ajv reports as `instancePath`. */
export function pointer(path: Path): string {
  let out = '';
  for (const segment of path) out += '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
  return out;
}

function buildIndex(root: unknown): Map<string, Offsets> {
  const index = new Map<string, Offsets>();
  const visit = (node: unknown, at: string, keyOffset: number): void => {
    if (!node || typeof node !== 'object' || !('range' in node)) return;
    const range = (node as Node).range;
    if (!range) return;
    index.set(at, { key: keyOffset, value: range[0] });
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || !key.range) continue;
        const child = at + '/' + String(key.value).replaceAll('~', '~0').replaceAll('/', '~1');
        const value = pair.value;
        if (value && typeof value === 'object' && 'range' in value && (value as Node).range) {
          visit(value, child, key.range[0]);
        } else {
          index.set(child, { key: key.range[0], value: key.range[0] });
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const range = (item as Node | null)?.range;
        if (range) visit(item, `${at}/${i}`, range[0]);
      });
    }
  };
  if (root && typeof root === 'object' && 'range' in root) visit(root, '', (root as Node).range?.[0] ?? 0);
  return index;
}

const bracedPathHint =
  "a path with {parameters} inside [ ] or { } must be quoted, e.g. ['GET /products/{id}'], or written as a block list item: - GET /products/{id}";

/** YAML reads `{` inside a flow list as the start of a mapping: the most common slip when writing endpoints. */
function bracedPathInFlow(text: string, line: number): boolean {
  const source = text.split('\n', line)[line - 1] ?? '';
  return /[[{,][^'"]*\b(GET|POST|PUT|PATCH|DELETE) \/[^\s,\]'"]*\{/.test(source);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping; remove or rename the repeated one';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and punctuation on this line';
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key must fit on one line; check for a missing ":" or a misplaced quote';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'check the indentation: a nested block may be attached to the wrong key';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    default:
      return 'fix the YAML syntax here';
  }
}
