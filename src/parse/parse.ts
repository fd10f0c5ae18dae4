import { EVENT_ID, SCALAR_STYLE, YAMLException, constructFromEvents, getScalarValue, parseEvents, type Event } from 'js-yaml';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.js';

/** A path into the parsed value, as in `['services', 'order', 'calls']`. */
export type Path = readonly (string | number)[];

/** Maps paths of the parsed value back to where they were written. */
export interface Locator {
  /** Where the key naming `path` starts (the value's position for list items); falls back to the nearest ancestor. */
  key(path: Path): Position;
  /** Where the value at `path` starts; falls back to the nearest ancestor. */
  value(path: Path): Position;
  /** The locator of the part at `path`: its paths are relative to it (the walk to it is done once). */
  within(path: Path): Locator;
}

export interface ParsedSource {
  readonly file: string;
  readonly value: unknown;
  readonly locate: Locator;
}

export type ParseResult = { ok: true; source: ParsedSource } | { ok: false; diagnostics: Diagnostic[] };

/** Anchors and aliases beyond this are refused: a small file must not expand into a huge one. */
const maxAliases = 100;

/** Where a node of the YAML tree was written, and its children by key or index. */
interface SourceNode {
  readonly key: number;
  readonly value: number;
  readonly children?: Map<string, SourceNode> | SourceNode[];
}

/**
 * Parses YAML text into a plain value plus a locator that places any path of
 * that value at its line and column. js-yaml's event stream gives both in one
 * fast pass, which matters for systems with thousands of services.
 */
export function parseSource(text: string, file: string): ParseResult {
  const lines = new LineIndex(text);
  const at = (offset: number, message: string, hint: string): Diagnostic => ({ file, ...lines.position(offset), message, hint });
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { filename: file });
    documents = constructFromEvents(events, { source: text, filename: file, maxAliases });
  } catch (error) {
    return { ok: false, diagnostics: [syntaxDiagnostic(error, text, file)] };
  }
  const indexed = indexEvents(events, text);
  if (documents.length > 1) {
    return { ok: false, diagnostics: [at(indexed.secondDocument, 'system.yaml holds more than one YAML document', "keep one document: remove the '---' separator and what follows it")] };
  }
  if (indexed.complexKeys.length > 0) {
    return { ok: false, diagnostics: indexed.complexKeys.map((offset) => at(offset, 'a key must be a plain name, not a list or mapping', 'write the key as a single word followed by ":"')) };
  }
  return { ok: true, source: { file, value: documents[0], locate: locatorOf(indexed.root, lines) } };
}

function locatorOf(root: SourceNode | undefined, lines: LineIndex): Locator {
  if (!root) {
    const start = { key: () => ({ line: 1, column: 1 }), value: () => ({ line: 1, column: 1 }), within: () => start };
    return start;
  }
  return new NodeLocator(root, lines);
}

/** The node at `path` below `from`, or the deepest ancestor of it that exists; `complete` when it is the node itself. */
function walk(from: SourceNode, path: Path): { node: SourceNode; complete: boolean } {
  let node = from;
  for (const segment of path) {
    const children = node.children;
    const child: SourceNode | undefined = children instanceof Map ? children.get(String(segment)) : children?.[Number(segment)];
    if (!child) return { node, complete: false };
    node = child;
  }
  return { node, complete: true };
}

/** A locator rooted at one node of the tree (a class: one small object per `within`). */
class NodeLocator implements Locator {
  constructor(
    private readonly from: SourceNode,
    private readonly lines: LineIndex,
  ) {}

  key(path: Path): Position {
    return this.lines.position(walk(this.from, path).node.key);
  }

  value(path: Path): Position {
    return this.lines.position(walk(this.from, path).node.value);
  }

  within(path: Path): Locator {
    const { node, complete } = walk(this.from, path);
    // A part that is not written: every path inside it falls back to the same ancestor.
    return new NodeLocator(complete ? node : { key: node.key, value: node.value }, this.lines);
  }
}

interface Frame {
  /** Children of the collection; `undefined` inside a key that is itself a collection, where nothing is addressable. */
  readonly children: Map<string, SourceNode> | SourceNode[] | undefined;
  key: string | undefined;
  keyOffset: number;
}

/** One pass over the events: the tree of key and value offsets that the locator walks. */
function indexEvents(events: readonly Event[], text: string): { root: SourceNode | undefined; complexKeys: number[]; secondDocument: number } {
  const complexKeys: number[] = [];
  const stack: Frame[] = [];
  let root: SourceNode | undefined;
  let documents = 0;
  let secondDocument = 0;
  let lastOffset = 0;
  // Attaches a node that starts at `start` to its parent; undefined when it is a key or sits inside one.
  const place = (start: number, children: SourceNode['children'], scalarKey: () => string | undefined): SourceNode | undefined => {
    const top = stack[stack.length - 1];
    // An empty value has no offset of its own: it is where its key is.
    const offset = start >= 0 ? start : top?.key !== undefined ? top.keyOffset : lastOffset;
    lastOffset = offset;
    if (!top) return (root = { key: offset, value: offset, ...(children && { children }) });
    const siblings = top.children;
    if (siblings === undefined) return undefined;
    if (Array.isArray(siblings)) {
      const node: SourceNode = { key: offset, value: offset, ...(children && { children }) };
      siblings.push(node);
      return node;
    }
    if (top.key === undefined) {
      const key = scalarKey();
      if (key === undefined) complexKeys.push(offset);
      top.key = key ?? '';
      top.keyOffset = offset;
      return undefined;
    }
    const node: SourceNode = { key: top.keyOffset, value: offset, ...(children && { children }) };
    siblings.set(top.key, node);
    top.key = undefined;
    return node;
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1) {
          secondDocument = lastOffset;
          return { root, complexKeys, secondDocument };
        }
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const children = event.type === EVENT_ID.MAPPING ? new Map<string, SourceNode>() : [];
        const node = place(event.start, children, () => undefined);
        stack.push({ children: node ? children : undefined, key: undefined, keyOffset: 0 });
        break;
      }
      case EVENT_ID.SCALAR: {
        const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
        const start = event.anchorStart >= 0 ? event.anchorStart - 1 : event.tagStart >= 0 ? event.tagStart : quoted ? event.valueStart - 1 : event.valueStart;
        place(start, undefined, () => (event.fast ? text.slice(event.valueStart, event.valueEnd) : getScalarValue(text, event)));
        break;
      }
      case EVENT_ID.ALIAS:
        place(event.anchorStart - 1, undefined, () => undefined);
        break;
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return { root, complexKeys, secondDocument };
}

/** Offset -> 1-based line and column, by binary search over line starts. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

function syntaxDiagnostic(error: unknown, text: string, file: string): Diagnostic {
  if (!(error instanceof YAMLException)) {
    return { file, line: 1, column: 1, message: `cannot read the YAML: ${String((error as Error)?.message ?? error)}`, hint: 'check the file is UTF-8 text in YAML syntax' };
  }
  const line = (error.mark?.line ?? 0) + 1;
  const column = (error.mark?.column ?? 0) + 1;
  const reason = error.reason;
  return { file, line, column, message: `invalid YAML: ${reason}`, hint: syntaxHint(reason, text, line) };
}

const bracedPathHint =
  "a path with {parameters} inside [ ] or { } must be quoted, e.g. ['GET /products/{id}'], or written as a block list item: - GET /products/{id}";

function syntaxHint(reason: string, text: string, line: number): string {
  const lines = text.split('\n');
  // The parser often notices a flow-list slip one line late, so look at the line before too.
  if ([lines[line - 1], lines[line - 2]].some((l) => l !== undefined && /[[{,][^'"]*\b(GET|POST|PUT|PATCH|DELETE) \/[^\s,\]'"]*\{/.test(l))) return bracedPathHint;
  if (/duplicated mapping key/.test(reason)) return 'each key may appear once in a mapping; remove or rename the repeated one';
  if (/tab/i.test(reason)) return 'indent with spaces, not tabs';
  if (/indentation/.test(reason)) return 'check the indentation: keys of one mapping must line up, nested ones go further right';
  if (/alias|anchor/.test(reason)) return 'use fewer anchors and aliases, or write the values out';
  if (/unknown tag/.test(reason)) return "remove the '!' tag: system.yaml needs plain values";
  if (/flow|comma|\]|\}/.test(reason)) return 'check the brackets and commas of the inline list or mapping on this line';
  if (/quot|escape/.test(reason)) return 'check the quotes on this line are closed and escapes are valid';
  return 'fix the YAML syntax here';
}
