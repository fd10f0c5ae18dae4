import { Document, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * Minimal, format-preserving edits of a YAML text. The `yaml` Document is used
 * only to find where things are (node ranges); every change is a textual
 * insertion or deletion at those offsets, so every line the edit does not
 * touch stays byte-identical (comments, blank lines, quoting, flow/block style).
 */

/** The outcome of an edit: the new text, or positioned problems. */
export type EditResult = { readonly ok: true; readonly text: string; readonly summary: string } | { readonly ok: false; readonly diagnostics: Diagnostic[] };

export type Path = readonly (string | number)[];

/** A value to be written in flow style (`{ a: b }` / `[a, b]`) even where block style is used. */
export class Flow {
  constructor(readonly value: unknown) {}
}

export class EditError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const dnsLabel = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const typeName = /^[A-Z][A-Za-z0-9]{0,63}$/;
export const fieldName = /^[a-z][A-Za-z0-9]{0,63}$/;
export const endpointPattern = /^(GET|POST|PUT|PATCH|DELETE) \/(([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})(\/([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))*)?$/;

/** A text being edited; each operation re-parses, so operations compose without offset bookkeeping. */
export class YamlEditor {
  constructor(
    public text: string,
    readonly file: string,
  ) {}

  doc(): Document.Parsed {
    const doc = parseDocument(this.text, { keepSourceTokens: false, prettyErrors: false });
    const error = doc.errors[0];
    if (error) throw new EditError(`is not valid YAML: ${error.message.split('\n')[0] ?? ''}`, error.pos[0]);
    return doc;
  }

  /** The plain JavaScript value of the document. */
  value(): Record<string, unknown> {
    const v = this.doc().toJS() as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }

  node(path: Path): Node | undefined {
    const doc = this.doc();
    if (path.length === 0) return (doc.contents ?? undefined) as Node | undefined;
    const n = doc.getIn(path, true) as unknown;
    return isNode(n) ? n : undefined;
  }

  /** 1-based line and column of an offset, for diagnostics. */
  position(offset: number): { line: number; column: number } {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const line = before.split('\n').length;
    return { line, column: before.length - before.lastIndexOf('\n') };
  }

  /** Offset of the key (or list item) `path` or, when absent, of the nearest present ancestor. */
  offsetOf(path: Path): number {
    for (let n = path.length; n > 0; n--) {
      if (typeof path[n - 1] === 'number') {
        const item = this.node(path.slice(0, n));
        if (item) return range(item)[0];
        continue;
      }
      const pair = this.pair(path.slice(0, n));
      if (pair) return range(pair.key as Node)[0];
    }
    return 0;
  }

  diagnostic(message: string, path: Path, hint?: string): Diagnostic {
    return { file: this.file, ...this.position(this.offsetOf(path)), message, ...(hint !== undefined && { hint }) };
  }

  /** The pair of the map at path[:-1] whose key is path[-1]. */
  pair(path: Path): Pair | undefined {
    const parent = this.node(path.slice(0, -1));
    const key = path[path.length - 1];
    if (!isMap(parent)) return undefined;
    return parent.items.find((p) => isScalar(p.key) && p.key.value === key);
  }

  /** Adds `key: value` at the end of the map at `path`; creates missing parent maps on the way. */
  setKey(path: Path, key: string, value: unknown): void {
    const map = this.node(path);
    if (map === undefined || (isScalar(map) && map.value === null)) {
      if (map !== undefined && path.length > 0) throw new EditError(`${path.join('.')} is empty: give it a value or remove the key`, range(map)[0]);
      if (path.length === 0) throw new EditError('the file is empty', 0);
      this.setKey(path.slice(0, -1), String(path[path.length - 1]), { [key]: value });
      return;
    }
    if (!isMap(map)) throw new EditError(`${path.join('.')} is not a mapping`, range(map)[0]);
    if (map.flow) {
      const close = range(map)[1] - 1;
      const sep = map.items.length > 0 ? ', ' : '';
      this.splice(close, close, `${sep}${flowText({ [key]: unwrap(value) }).slice(1, -1).trim()}`);
      return;
    }
    const items = map.items;
    const last = items[items.length - 1];
    if (!last) throw new EditError(`${path.join('.')} is empty`, range(map)[0]);
    const column = this.column(range(last.key as Node)[0]);
    const end = this.lineEnd(contentEnd(last));
    const blank = items.length >= 2 && this.blankBetween(contentEnd(items[items.length - 2]!), range(last.key as Node)[0]) ? '\n' : '';
    const step = this.indentStep();
    this.splice(end, end, `\n${blank}${blockLines(key, value, column, step).join('\n')}`);
  }

  /** Appends items to the sequence at `path`; creates `key: [items]` when it is absent. */
  addItems(path: Path, items: readonly unknown[]): void {
    if (items.length === 0) return;
    const seq = this.node(path);
    if (seq === undefined || (isScalar(seq) && seq.value === null && this.pair(path) === undefined)) {
      this.setKey(path.slice(0, -1), String(path[path.length - 1]), new Flow(items));
      return;
    }
    if (!isSeq(seq)) throw new EditError(`${path.join('.')} is not a list`, range(seq)[0]);
    if (seq.flow) {
      const close = range(seq)[1] - 1;
      const text = items.map((i) => flowText(i)).join(', ');
      this.splice(close, close, seq.items.length > 0 ? `, ${text}` : text);
      return;
    }
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (!last) throw new EditError(`${path.join('.')} is empty`, range(seq)[0]);
    const start = range(last)[0];
    const dash = this.text.lastIndexOf('-', start);
    const column = this.column(dash);
    const end = this.lineEnd(contentEnd(last));
    this.splice(end, end, items.map((i) => `\n${' '.repeat(column)}- ${flowText(i)}`).join(''));
  }

  /** Removes the key at `path`; a map left empty is removed from its parent as well, up to `cascade` levels. */
  removeKey(path: Path, cascade = 0): void {
    const parent = this.node(path.slice(0, -1));
    const pair = this.pair(path);
    if (!pair || !isMap(parent)) return;
    if (parent.items.length === 1 && path.length > 1 && cascade > 0) {
      this.removeKey(path.slice(0, -1), cascade - 1);
      return;
    }
    const index = parent.items.indexOf(pair);
    if (parent.flow) {
      this.removeFlowItem(parent.items.map((p) => [range(p.key as Node)[0], pairEnd(p)] as const), index);
      return;
    }
    this.removeBlockLines(range(pair.key as Node)[0], contentEnd(pair), index === 0);
  }

  /** Removes item `index` of the sequence at `path`; a list left empty is removed with its key (see removeKey for `cascade`). */
  removeItem(path: Path, index: number, cascade = 0): void {
    const seq = this.node(path);
    if (!isSeq(seq)) return;
    const item = seq.items[index] as Node | undefined;
    if (!item) return;
    if (seq.items.length === 1) {
      this.removeKey(path, cascade);
      return;
    }
    if (seq.flow) {
      this.removeFlowItem(seq.items.map((i) => range(i as Node).slice(0, 2) as unknown as readonly [number, number]), index);
      return;
    }
    const dash = this.text.lastIndexOf('-', range(item)[0]);
    this.removeBlockLines(dash, contentEnd(item), index === 0);
  }

  private removeFlowItem(spans: readonly (readonly [number, number])[], index: number): void {
    const [start, end] = spans[index]!;
    const next = spans[index + 1];
    const previous = spans[index - 1];
    if (next) this.splice(start, next[0], '');
    else if (previous) this.splice(previous[1], end, '');
    else this.splice(start, end, '');
  }

  /** Deletes whole lines from the one holding `from` to the one holding `to - 1`, with comment lines attached above and one surplus blank line. */
  private removeBlockLines(from: number, to: number, first: boolean): void {
    const lines = this.text.split('\n');
    const startLine = this.position(from).line - 1;
    const endLine = this.position(Math.max(from, to - 1)).line - 1;
    const column = this.column(from);
    let top = startLine;
    if (!first) {
      while (top > 0 && /^\s*#/.test(lines[top - 1]!) && indentation(lines[top - 1]!) === column) top--;
    }
    let bottom = endLine + 1; // exclusive
    const blank = (i: number): boolean => i >= 0 && i < lines.length && lines[i]!.trim() === '';
    const afterIsBlankOrEnd = bottom >= lines.length || blank(bottom) || (bottom === lines.length - 1 && lines[bottom] === '');
    if (top > 0 && blank(top - 1) && afterIsBlankOrEnd) top--;
    else if (first && !blank(top - 1) && blank(bottom) && bottom < lines.length - 1) bottom++;
    const kept = [...lines.slice(0, top), ...lines.slice(bottom)];
    this.text = kept.join('\n');
  }

  private splice(start: number, end: number, insert: string): void {
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  /** Offset of the line break ending the line that holds `offset - 1` (or the end of the text). */
  private lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', Math.max(0, offset - 1));
    return i === -1 ? this.text.length : i;
  }

  private blankBetween(from: number, to: number): boolean {
    return /\n[ \t]*\n/.test(this.text.slice(from, to));
  }

  /** Indentation step used by the file: the column of the first key under `services` (2 when unknown). */
  private indentStep(): number {
    const services = this.node(['services']);
    if (isMap(services) && !services.flow && services.items[0]) {
      const c = this.column(range(services.items[0].key as Node)[0]);
      if (c > 0) return c;
    }
    return 2;
  }
}

function isNode(n: unknown): n is Node {
  return n !== null && typeof n === 'object' && 'range' in n;
}

function range(n: Node): [number, number, number] {
  const r = n.range;
  if (!r) throw new Error('yaml node without a source range');
  return r;
}

function pairEnd(p: Pair): number {
  const v = p.value as Node | null;
  return v && v.range ? Math.max(v.range[1], range(p.key as Node)[1]) : range(p.key as Node)[1];
}

/** End offset of the last character of content (not trailing comments) of a node or pair. */
function contentEnd(n: Node | Pair): number {
  if (isPair(n)) {
    const v = n.value as Node | null;
    const keyEnd = range(n.key as Node)[1];
    return v && v.range ? Math.max(keyEnd, contentEnd(v)) : keyEnd;
  }
  if ((isMap(n) || isSeq(n)) && !n.flow) {
    const items = (n as YAMLMap | YAMLSeq).items;
    const last = items[items.length - 1] as Node | Pair | undefined;
    return last ? contentEnd(last) : range(n)[1];
  }
  return range(n)[1];
}

function indentation(line: string): number {
  return line.length - line.trimStart().length;
}

function unwrap(value: unknown): unknown {
  return value instanceof Flow ? value.value : value;
}

/** A value as YAML flow text: scalars plain when possible, collections `{a: b}` / `[a, b]`. */
export function flowText(value: unknown): string {
  const doc = new Document(unwrap(value));
  visit(doc, {
    Map: (_, n) => void (n.flow = true),
    Seq: (_, n) => void (n.flow = true),
  });
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

/** `key: value` as block lines at `column`: plain objects nest as block maps, everything else inline. */
function blockLines(key: string, value: unknown, column: number, step: number): string[] {
  const pad = ' '.repeat(column);
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Flow)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}${flowText(key)}: {}`];
    return [`${pad}${flowText(key)}:`, ...entries.flatMap(([k, v]) => blockLines(k, v, column + step, step))];
  }
  return [`${pad}${flowText(key)}: ${flowText(value)}`];
}

/** Runs edit steps, turning EditErrors into positioned diagnostics. */
export function runEdit(text: string, file: string, steps: (editor: YamlEditor) => string | Diagnostic[]): EditResult {
  const editor = new YamlEditor(text, file);
  try {
    const outcome = steps(editor);
    if (typeof outcome !== 'string') return { ok: false, diagnostics: outcome };
    return { ok: true, text: editor.text, summary: outcome };
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    return { ok: false, diagnostics: [{ file, ...editor.position(error.offset), message: error.message, ...(error.hint !== undefined && { hint: error.hint }) }] };
  }
}

export type Plain = Record<string, unknown>;

export function asRecord(v: unknown): Plain {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Plain) : {};
}

export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Endpoints a `calls` entry lists: `[..]` or `{ endpoints: [..] }`. */
export function callEndpoints(entry: unknown): string[] {
  if (Array.isArray(entry)) return entry.map(String);
  return asList(asRecord(entry)['endpoints']).map(String);
}

/** Parses `name:type name:type` (commas or spaces) into an ordered record. */
export function parseFields(spec: string, what: string): Record<string, string> | string {
  const fields: Record<string, string> = {};
  for (const part of spec.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([^:]+):(.+)$/.exec(part);
    if (!m) return `${what}: '${part}' is not name:type (e.g. orderId:uuid)`;
    const [, name, type] = m as unknown as [string, string, string];
    if (!fieldName.test(name)) return `${what}: field name '${name}' must be camelCase (e.g. orderId)`;
    if (!/^(string|text|integer|number|boolean|date|datetime|uuid|json)(\[\])?\??$/.test(type)) {
      return `${what}: type '${type}' of '${name}' must be one of string, text, integer, number, boolean, date, datetime, uuid, json, optionally followed by [] and/or ?`;
    }
    if (name in fields) return `${what}: field '${name}' is given twice`;
    fields[name] = type;
  }
  return fields;
}
