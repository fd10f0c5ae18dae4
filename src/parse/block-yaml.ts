/** Where a node of the YAML tree was written (offsets into the text), and its children by key or index. */
export interface SourceNode {
  readonly key: number;
  readonly value: number;
  readonly children?: Map<string, SourceNode> | SourceNode[];
}

/** Thrown inside the reader when the text leaves the subset it reads; never escapes {@link readBlockYaml}. */
const outside = new Error('outside the block subset');

/**
 * Reads the plain block style most large system.yaml files are written in
 * (block mappings and sequences, one-line plain or simply quoted scalars,
 * comments) into the value and the tree of positions, in one pass over the
 * text. Anything else (flow collections, anchors, tags, block scalars,
 * multi-line scalars, escapes, duplicate keys, scalars whose type is not
 * plainly a string, a decimal number, a boolean or null, non-ASCII text, ...) gives
 * undefined, and the caller reads the text with js-yaml, which reads it all.
 * What it accepts it reads exactly as js-yaml does (a test compares both).
 */
export function readBlockYaml(text: string): { value: unknown; root: SourceNode } | undefined {
  if (/[^\n\x20-\x7e]/.test(text)) return undefined;
  try {
    return new BlockReader(text).document();
  } catch (error) {
    if (error === outside) return undefined;
    throw error;
  }
}

const space = 0x20;
const hash = 0x23;
const dash = 0x2d;
const colon = 0x3a;
const quote = 0x27;
const doubleQuote = 0x22;
const percent = 0x25;

/** Plain scalars read as a string: starting with a letter, `_` or `/`, and none of the words YAML reads as something else. */
const plainString = /^[A-Za-z_/]/;
const specialWords = /^(?:true|false|null|yes|no|on|off|y|n)$/i;
const digitFirst = /^[0-9]/;
const number = /^(?:0|-?[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;
/** Keys as system.yaml writes them; anything else (quoted, `<<`, `?`, numbers, ...) is left to js-yaml. */
const plainKey = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

class BlockReader {
  /** The current content line: its indentation, where its content starts and where it ends (before the newline). */
  private indent = -1;
  private start = 0;
  private end = 0;
  /** Where the next line starts. */
  private next = 0;

  constructor(private readonly text: string) {
    this.advance();
  }

  document(): { value: unknown; root: SourceNode } {
    if (this.indent !== 0 || this.keyEnd() < 0) throw outside;
    const children = new Map<string, SourceNode>();
    const root: SourceNode = { key: this.start, value: this.start, children };
    const value = this.mapping(0, children);
    if (this.indent >= 0) throw outside;
    return { value, root };
  }

  /** Moves to the next line holding content (not blank, not only a comment); indent -1 at the end of the text. */
  private advance(): void {
    const text = this.text;
    while (this.next < text.length) {
      const lineStart = this.next;
      let end = text.indexOf('\n', lineStart);
      if (end < 0) end = text.length;
      this.next = end + 1;
      let at = lineStart;
      while (at < end && text.charCodeAt(at) === space) at++;
      if (at === end || text.charCodeAt(at) === hash) continue;
      // Document markers and directives.
      if (at === lineStart && (text.startsWith('---', at) || text.startsWith('...', at) || text.charCodeAt(at) === percent)) throw outside;
      this.indent = at - lineStart;
      this.start = at;
      this.end = end;
      return;
    }
    this.indent = -1;
  }

  /** Where the key of a `key:` entry on the current line ends (its colon), or -1 when the line is no such entry. */
  private keyEnd(): number {
    const text = this.text;
    for (let at = this.start; at < this.end; at++) {
      const c = text.charCodeAt(at);
      if (c === colon) {
        const after = at + 1 < this.end ? text.charCodeAt(at + 1) : space;
        if (after === space) return at;
      } else if (c === space) {
        return -1;
      }
    }
    return -1;
  }

  /** Entries at `indent`, the first on the current line. */
  private mapping(indent: number, children: Map<string, SourceNode>): Record<string, unknown> {
    const value: Record<string, unknown> = {};
    const text = this.text;
    while (this.indent === indent) {
      const keyEnd = this.keyEnd();
      if (keyEnd < 0) throw outside;
      const keyStart = this.start;
      const key = text.slice(keyStart, keyEnd);
      if (!plainKey.test(key) || specialWords.test(key) || key === '__proto__' || Object.hasOwn(value, key)) throw outside;
      let at = keyEnd + 1;
      while (at < this.end && text.charCodeAt(at) === space) at++;
      if (at < this.end && text.charCodeAt(at) !== hash) {
        value[key] = this.scalar(at);
        children.set(key, { key: keyStart, value: at });
        this.advance();
        if (this.indent > indent) throw outside;
        continue;
      }
      this.advance();
      if (this.indent > indent || (this.indent === indent && this.isItem())) {
        const node = this.block(this.indent);
        value[key] = node.value;
        children.set(key, { key: keyStart, value: node.start, children: node.children });
        if (this.indent > indent) throw outside;
      } else {
        value[key] = null;
        children.set(key, { key: keyStart, value: keyStart });
      }
    }
    return value;
  }

  /** Whether the current line is a sequence item (`- ...` or a lone `-`). */
  private isItem(): boolean {
    return this.text.charCodeAt(this.start) === dash && (this.start + 1 === this.end || this.text.charCodeAt(this.start + 1) === space);
  }

  /** The mapping or sequence starting on the current line, at `indent`. */
  private block(indent: number): { value: unknown; start: number; children: Map<string, SourceNode> | SourceNode[] } {
    const start = this.start;
    if (this.isItem()) {
      const children: SourceNode[] = [];
      return { value: this.sequence(indent, children), start, children };
    }
    const children = new Map<string, SourceNode>();
    return { value: this.mapping(indent, children), start, children };
  }

  /** Items at `indent`, the first on the current line. */
  private sequence(indent: number, children: SourceNode[]): unknown[] {
    const value: unknown[] = [];
    const text = this.text;
    while (this.indent === indent && this.isItem()) {
      let at = this.start + 1;
      while (at < this.end && text.charCodeAt(at) === space) at++;
      if (at === this.end || text.charCodeAt(at) === hash) {
        // `-` alone: the item is the block below it.
        this.advance();
        if (this.indent <= indent) throw outside;
        const node = this.block(this.indent);
        value.push(node.value);
        children.push({ key: node.start, value: node.start, children: node.children });
      } else if (text.charCodeAt(at) === dash && (at + 1 === this.end || text.charCodeAt(at + 1) === space)) {
        throw outside;
      } else {
        // The rest of the line is read as a line of its own, indented to where it starts: `- key: value` opens a mapping there.
        const itemIndent = indent + (at - this.start);
        this.start = at;
        this.indent = itemIndent;
        if (this.keyEnd() >= 0) {
          const node = this.block(itemIndent);
          value.push(node.value);
          children.push({ key: at, value: at, children: node.children });
        } else {
          value.push(this.scalar(at));
          children.push({ key: at, value: at });
          this.advance();
        }
      }
      if (this.indent > indent) throw outside;
    }
    return value;
  }

  /** The scalar from `at` to the end of the current line (a comment after it allowed). */
  private scalar(at: number): unknown {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === quote || first === doubleQuote) {
      let close = at + 1;
      for (; ; close++) {
        if (close >= this.end) throw outside;
        if (text.charCodeAt(close) !== first) continue;
        // '' inside single quotes is one quote.
        if (first === quote && text.charCodeAt(close + 1) === quote) close++;
        else break;
      }
      let value = text.slice(at + 1, close);
      if (first === quote) value = value.replaceAll("''", "'");
      else if (value.includes('\\')) throw outside;
      let after = close + 1;
      while (after < this.end && text.charCodeAt(after) === space) after++;
      if (after < this.end && text.charCodeAt(after) !== hash) throw outside;
      return value;
    }
    let end = at + 1;
    while (end < this.end && !(text.charCodeAt(end) === hash && text.charCodeAt(end - 1) === space)) end++;
    while (text.charCodeAt(end - 1) === space) end--;
    const raw = text.slice(at, end);
    if (raw.includes(': ') || raw.endsWith(':')) throw outside;
    if (plainString.test(raw)) {
      if (!specialWords.test(raw)) return raw;
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      if (raw === 'null') return null;
      throw outside;
    }
    if (number.test(raw)) return Number(raw);
    // A digit first and a slash: no number of YAML's core schema holds a slash (`100/min`).
    if (digitFirst.test(raw) && raw.includes('/')) return raw;
    throw outside;
  }
}
