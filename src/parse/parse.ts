import { CORE_SCHEMA, EVENT_ID, SCALAR_STYLE, YAMLException, constructFromEvents, getScalarValue, parseEvents, type DocumentEvent, type Event, type ScalarEvent } from 'js-yaml';
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

/** Node kinds in {@link SourceTree}: only collections have children. */
const SCALAR = 0;
const MAPPING = 1;
const SEQUENCE = 2;

/** Collections with more children than this get a lookup table on their first lookup; smaller ones are scanned. */
const scanLimit = 8;

/**
 * Where every node of the YAML tree was written, in flat arrays indexed by
 * node (in document order): a system of thousands of services has hundreds
 * of thousands of nodes, and one object each would cost more than the parse.
 * Children are linked as first child and next sibling; a mapping's children
 * are its values, each carrying the offsets of its key.
 */
class SourceTree {
  readonly kind: Uint8Array;
  readonly key: Int32Array;
  readonly value: Int32Array;
  readonly first: Int32Array;
  readonly next: Int32Array;
  readonly size: Int32Array;
  /** A mapping child's key as a range of the text; `keyEnd` is -1 when the key is not plain text (see `keyTexts`). */
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  readonly keyTexts = new Map<number, string>();
  private readonly tables = new Map<number, Map<string, number> | number[]>();

  constructor(
    readonly text: string,
    capacity: number,
  ) {
    this.kind = new Uint8Array(capacity);
    this.key = new Int32Array(capacity);
    this.value = new Int32Array(capacity);
    this.first = new Int32Array(capacity).fill(-1);
    this.next = new Int32Array(capacity).fill(-1);
    this.size = new Int32Array(capacity);
    this.keyStart = new Int32Array(capacity);
    this.keyEnd = new Int32Array(capacity);
  }

  /** The child of `node` at `segment`, or -1. */
  child(node: number, segment: string | number): number {
    const kind = this.kind[node];
    if (kind === SCALAR) return -1;
    if (this.size[node]! <= scanLimit) return kind === MAPPING ? this.scanKey(node, String(segment)) : this.scanIndex(node, Number(segment));
    let table = this.tables.get(node);
    if (table === undefined) this.tables.set(node, (table = this.table(node)));
    return Array.isArray(table) ? (table[Number(segment)] ?? -1) : (table.get(String(segment)) ?? -1);
  }

  private scanKey(node: number, key: string): number {
    for (let c = this.first[node]!; c >= 0; c = this.next[c]!) if (this.keyIs(c, key)) return c;
    return -1;
  }

  private scanIndex(node: number, index: number): number {
    let c = this.first[node]!;
    for (let i = 0; i < index && c >= 0; i++) c = this.next[c]!;
    return Number.isInteger(index) && index >= 0 ? c : -1;
  }

  private keyIs(node: number, key: string): boolean {
    const start = this.keyStart[node]!;
    const end = this.keyEnd[node]!;
    return end < 0 ? this.keyTexts.get(node) === key : end - start === key.length && this.text.startsWith(key, start);
  }

  private keyOf(node: number): string {
    const end = this.keyEnd[node]!;
    return end < 0 ? (this.keyTexts.get(node) ?? '') : this.text.slice(this.keyStart[node]!, end);
  }

  private table(node: number): Map<string, number> | number[] {
    if (this.kind[node] === SEQUENCE) {
      const items: number[] = [];
      for (let c = this.first[node]!; c >= 0; c = this.next[c]!) items.push(c);
      return items;
    }
    const keys = new Map<string, number>();
    // A repeated key is a YAML error before this is built; the first one would win.
    for (let c = this.first[node]!; c >= 0; c = this.next[c]!) {
      const key = this.keyOf(c);
      if (!keys.has(key)) keys.set(key, c);
    }
    return keys;
  }
}

/** Per open collection while indexing: its node (-1 inside a key, where nothing is addressable), last child, and pending key. */
interface Frame {
  readonly node: number;
  /** The collection's value being built (see {@link indexEvents}). */
  readonly value: Record<string, unknown> | unknown[];
  last: number;
  /** Whether the mapping has read a key and waits for its value. */
  hasKey: boolean;
  keyOffset: number;
  keyStart: number;
  keyEnd: number;
  keyText: string | undefined;
  /** The pending key as the value's property name. */
  keyName: string;
}

interface Indexed {
  readonly tree: SourceTree;
  readonly root: number;
  /** The document's value, unless it uses anchors, aliases or tags (then js-yaml's constructor builds it). */
  readonly value: { readonly built: boolean; readonly value: unknown };
  readonly complexKeys: number[];
  /** Where a key repeats an earlier key of its mapping, in document order. */
  readonly repeatedKeys: number[];
  readonly secondDocument: number;
}

/**
 * Parses YAML text into a plain value plus a locator that places any path of
 * that value at its line and column. js-yaml's event stream gives both in one
 * fast pass, which matters for systems with thousands of services.
 */
export function parseSource(text: string, file: string): ParseResult {
  const lines = new LineIndex(text);
  const at = (offset: number, message: string, hint: string): Diagnostic => ({ file, ...lines.position(offset), message, hint });
  let indexed: Indexed;
  let value: unknown;
  try {
    const events = parseEvents(text, { filename: file });
    indexed = indexEvents(events, text);
    value = indexed.value.built ? indexed.value.value : constructFromEvents(events, { source: text, filename: file, maxAliases })[0];
  } catch (error) {
    return { ok: false, diagnostics: [syntaxDiagnostic(error, text, file)] };
  }
  if (indexed.secondDocument >= 0) {
    return { ok: false, diagnostics: [at(indexed.secondDocument, 'system.yaml holds more than one YAML document', 'keep one document: remove this line and everything after it')] };
  }
  if (indexed.complexKeys.length > 0) {
    return { ok: false, diagnostics: indexed.complexKeys.map((offset) => at(offset, 'a key must be a plain name, not a list or mapping', 'write the key as a single word followed by ":"')) };
  }
  if (indexed.repeatedKeys.length > 0) {
    return { ok: false, diagnostics: indexed.repeatedKeys.map((offset) => at(offset, 'invalid YAML: duplicated mapping key', syntaxHint('duplicated mapping key', text, 0))) };
  }
  const { tree, root } = indexed;
  if (root < 0) {
    const start: Locator = { key: () => ({ line: 1, column: 1 }), value: () => ({ line: 1, column: 1 }), within: () => start };
    return { ok: true, source: { file, value, locate: start } };
  }
  return { ok: true, source: { file, value, locate: new NodeLocator(tree, lines, undefined, [], root) } };
}

/**
 * A locator rooted at one node of the tree. Nothing is looked up until a
 * position is read: normalizing a large system asks for hundreds of thousands
 * of positions, and lint reads a few of them (those of its findings).
 */
class NodeLocator implements Locator {
  /** The node this locator is rooted at; -1 until a position inside it is read. */
  #from = -1;
  /** False for a part that is not written: every path inside it falls back to `#from`. */
  #written = true;

  constructor(
    readonly tree: SourceTree,
    readonly lines: LineIndex,
    /** The locator this one was made from (`within`), and the path to it from there; absent for the root. */
    private readonly parent: NodeLocator | undefined,
    private readonly parentPath: Path,
    root = -1,
  ) {
    this.#from = root;
  }

  key(path: Path): Position {
    return new LazyPosition(this, path, 'key');
  }

  value(path: Path): Position {
    return new LazyPosition(this, path, 'value');
  }

  within(path: Path): Locator {
    return new NodeLocator(this.tree, this.lines, this, path);
  }

  /** The offset where the key or value at `path` is written (or its deepest written ancestor). */
  offset(path: Path, side: 'key' | 'value'): number {
    const node = deepest(this.walk(path));
    return side === 'key' ? this.tree.key[node]! : this.tree.value[node]!;
  }

  /** The node at `path`; when it is not written, the deepest ancestor of it that is, as `-1 - node`. */
  private walk(path: Path): number {
    if (this.#from < 0 && this.parent) {
      const found = this.parent.walk(this.parentPath);
      this.#from = deepest(found);
      this.#written = found >= 0;
    }
    let node = this.#from;
    if (!this.#written) return path.length === 0 ? node : -1 - node;
    // Indexed, not for-of: this runs for every position read, mostly before the JIT gets to it.
    for (let i = 0; i < path.length; i++) {
      const child = this.tree.child(node, path[i]!);
      if (child < 0) return -1 - node;
      node = child;
    }
    return node;
  }
}

/** A line and column looked up on first read (see {@link NodeLocator}); `toJSON` gives the plain pair. */
class LazyPosition implements Position {
  #line = 0;
  #column = 0;
  /** Until the position is read: where to look it up. */
  #locator: NodeLocator | undefined;
  /**
   * The path: held as up to two segments (nearly every path normalize asks
   * for), so the caller's array is not kept alive; longer paths as they are.
   */
  readonly #first: string | number | undefined;
  readonly #second: string | number | undefined;
  readonly #path: Path | undefined;
  readonly #side: 'key' | 'value';

  constructor(locator: NodeLocator, path: Path, side: 'key' | 'value') {
    this.#locator = locator;
    if (path.length > 2) this.#path = path;
    else {
      this.#first = path[0];
      this.#second = path[1];
    }
    this.#side = side;
  }

  get line(): number {
    if (this.#locator) this.#resolve(this.#locator);
    return this.#line;
  }

  get column(): number {
    if (this.#locator) this.#resolve(this.#locator);
    return this.#column;
  }

  toJSON(): Position {
    return { line: this.line, column: this.column };
  }

  #resolve(locator: NodeLocator): void {
    const path = this.#path ?? (this.#first === undefined ? [] : this.#second === undefined ? [this.#first] : [this.#first, this.#second]);
    const { line, column } = locator.lines.position(locator.offset(path, this.#side));
    this.#line = line;
    this.#column = column;
    this.#locator = undefined;
  }
}

/** The node a walk ended at, whether or not it is the one asked for. */
const deepest = (found: number): number => (found >= 0 ? found : -1 - found);

/**
 * One pass over the events: the tree of key and value offsets that the
 * locator walks, and the document's value. A system.yaml uses no anchors,
 * aliases or tags as a rule; building its value here spares a second pass
 * (js-yaml's constructor) over hundreds of thousands of events. A document
 * that does use them is left to that constructor.
 */
function indexEvents(events: readonly Event[], text: string): Indexed {
  const tree = new SourceTree(text, events.length);
  const complexKeys: number[] = [];
  const repeatedKeys: number[] = [];
  const stack: Frame[] = [];
  let root = -1;
  let rootValue: unknown;
  let plain = true;
  let count = 0;
  let lastOffset = 0;
  const result = (secondDocument: number): Indexed => ({ tree, root, value: { built: plain && complexKeys.length === 0, value: rootValue }, complexKeys, repeatedKeys, secondDocument });
  // Attaches a node of `kind` and `value` that starts at `start` to its parent; -1 when it is a key or sits inside one.
  const place = (start: number, kind: number, event: Event | undefined, value: unknown): number => {
    const top = stack[stack.length - 1];
    // An empty value has no offset of its own: it is where its key is.
    const offset = start >= 0 ? start : top?.hasKey ? top.keyOffset : lastOffset;
    lastOffset = offset;
    if (top !== undefined && top.node < 0) return -1;
    if (top !== undefined && tree.kind[top.node] === MAPPING && !top.hasKey) {
      top.hasKey = true;
      top.keyOffset = offset;
      top.keyText = undefined;
      if (event?.type === EVENT_ID.SCALAR && event.fast) {
        top.keyStart = event.valueStart;
        top.keyEnd = event.valueEnd;
      } else {
        top.keyStart = top.keyEnd = -1;
        if (event?.type === EVENT_ID.SCALAR) top.keyText = getScalarValue(text, event);
        else complexKeys.push(offset);
      }
      if (plain) {
        top.keyName = String(value);
        if (Object.hasOwn(top.value, top.keyName)) repeatedKeys.push(offset);
      }
      return -1;
    }
    const node = count++;
    tree.kind[node] = kind;
    tree.value[node] = offset;
    tree.key[node] = offset;
    if (top === undefined) {
      rootValue = value;
      return (root = node);
    }
    if (top.hasKey) {
      top.hasKey = false;
      tree.key[node] = top.keyOffset;
      tree.keyStart[node] = top.keyStart;
      tree.keyEnd[node] = top.keyEnd;
      if (top.keyEnd < 0) tree.keyTexts.set(node, top.keyText ?? '');
      if (plain) setProperty(top.value as Record<string, unknown>, top.keyName, value);
    } else if (plain) (top.value as unknown[]).push(value);
    tree.size[top.node] = tree.size[top.node]! + 1;
    if (top.last < 0) tree.first[top.node] = node;
    else tree.next[top.last] = node;
    top.last = node;
    return node;
  };
  const open = (node: number, value: Record<string, unknown> | unknown[]): void => {
    stack.push({ node, value, last: -1, hasKey: false, keyOffset: 0, keyStart: -1, keyEnd: -1, keyText: undefined, keyName: '' });
  };
  let first: DocumentEvent | undefined;
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (first) return result(secondDocumentStart(text, first, event, events[index + 1]) ?? lastOffset);
        first = event;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (event.anchorStart >= 0 || event.tagStart >= 0) plain = false;
        const value = event.type === EVENT_ID.MAPPING ? {} : [];
        open(place(event.start, event.type === EVENT_ID.MAPPING ? MAPPING : SEQUENCE, event, value), value);
        break;
      }
      case EVENT_ID.SCALAR: {
        if (event.anchorStart >= 0 || event.tagStart >= 0) plain = false;
        place(scalarStart(event), SCALAR, event, plain ? scalarValue(text, event) : undefined);
        break;
      }
      case EVENT_ID.ALIAS:
        plain = false;
        place(event.anchorStart - 1, SCALAR, undefined, undefined);
        break;
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return result(-1);
}

/** Where a scalar is written: its anchor, tag or opening quote, else its value. */
function scalarStart(event: ScalarEvent): number {
  const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
  return event.anchorStart >= 0 ? event.anchorStart - 1 : event.tagStart >= 0 ? event.tagStart : quoted ? event.valueStart - 1 : event.valueStart;
}

/**
 * Where the second document of a stream begins: its `---` line, or, when it has none (it follows a `...`), its
 * first node. A line that starts with `---` and a blank is always a document marker in YAML that parsed (no scalar
 * may hold one), so the second document's marker is the first such line, or the second when the first document has one.
 */
function secondDocumentStart(text: string, first: DocumentEvent, second: DocumentEvent, next: Event | undefined): number | undefined {
  if (second.explicitStart) {
    let skip = first.explicitStart ? 1 : 0;
    for (const marker of text.matchAll(/^\uFEFF?---(?=[ \t\r\n]|$)/gm)) if (skip-- === 0) return marker.index + marker[0].length - 3;
    return undefined;
  }
  if (next?.type === EVENT_ID.MAPPING || next?.type === EVENT_ID.SEQUENCE) return next.start;
  if (next?.type === EVENT_ID.SCALAR && next.valueStart >= 0) return scalarStart(next);
  if (next?.type === EVENT_ID.ALIAS) return next.anchorStart - 1;
  return undefined;
}

/** An untagged scalar's value, as js-yaml's core schema reads it: plain ones may be null, booleans or numbers. */
function scalarValue(text: string, event: ScalarEvent): unknown {
  const source = getScalarValue(text, event);
  return event.style === SCALAR_STYLE.PLAIN ? CORE_SCHEMA.resolveImplicitScalarTag(source).value : source;
}

/** Sets a key of a mapping's value; `__proto__` becomes an own property, not the object's prototype. */
function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  else target[key] = value;
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
