import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseSource } from './parse.js';

/** What js-yaml's own loader makes of the text: the value parseSource must give. */
const reference = (text: string): unknown => load(text);

const valueOf = (text: string): unknown => {
  const parsed = parseSource(text, 'system.yaml');
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
  return parsed.source.value;
};

describe('parseSource: the value', () => {
  it("reads plain, quoted and block scalars as js-yaml's core schema does", () => {
    const text = [
      'version: 1',
      'hex: 0x1F',
      'octal: 0o17',
      'float: 1.50',
      'exponent: -2e3',
      'infinity: -.Inf',
      'nothing: ~',
      'empty:',
      'yes: True',
      'no: false',
      'quoted: "1\\t2"',
      "single: 'it''s'",
      'literal: |',
      '  one',
      '  two',
      'folded: >-',
      '  three',
      '  four',
      '"7": quoted key',
      '8.0: number key',
      'null: null key',
      'list: [1, a, "b", {c: d}, [e]]',
      'block:',
      '  - x: 1',
      '    y: [2]',
      '  -',
      '  - z',
    ].join('\n');
    expect(valueOf(text)).toStrictEqual(reference(text));
  });

  it('keeps __proto__ as an own key, never as the prototype', () => {
    const value = valueOf('__proto__: { polluted: true }\nok: 1\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'ok']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('gives what js-yaml gives for anchors, aliases and tags', () => {
    const text = 'base: &base { timeoutMs: 100 }\ncopy: *base\nname: !!str 12\nlist: &l [1, 2]\nagain: *l\n';
    expect(valueOf(text)).toStrictEqual(reference(text));
    expect(valueOf(text)).toMatchObject({ copy: { timeoutMs: 100 }, name: '12', again: [1, 2] });
  });

  it('gives undefined for an empty document', () => {
    expect(valueOf('')).toBeUndefined();
    expect(valueOf('# only a comment\n')).toBeUndefined();
  });
});

describe('parseSource: repeated keys', () => {
  it('reports every repeated key of a mapping at the repeated key', () => {
    const parsed = parseSource('services:\n  a: {}\n  b:\n    port: 1\n    port: 2\n  a: {}\n', 'system.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [5, 5, 'invalid YAML: duplicated mapping key'],
      [6, 3, 'invalid YAML: duplicated mapping key'],
    ]);
    expect(parsed.diagnostics[0]!.hint).toMatch(/each key may appear once/);
  });

  it('counts keys that read the same as the same key ("1" and 1)', () => {
    const parsed = parseSource('"1": a\n1: b\n', 'system.yaml');
    expect(parsed.ok ? [] : parsed.diagnostics.map((d) => [d.line, d.column])).toEqual([[2, 1]]);
  });

  it('reports a repeated key in a document with anchors too', () => {
    const parsed = parseSource('a: &x 1\nb: *x\nb: 2\n', 'system.yaml');
    expect(parsed.ok ? [] : parsed.diagnostics.map((d) => [d.line, d.message])).toEqual([[3, 'invalid YAML: duplicated mapping key']]);
  });
});

describe('parseSource: more than one document', () => {
  const where = (text: string): unknown => {
    const parsed = parseSource(text, 'system.yaml');
    return parsed.ok ? 'accepted' : parsed.diagnostics.map((d) => [d.line, d.column, d.message]);
  };
  const refused = (line: number, column: number): unknown => [[line, column, 'system.yaml holds more than one YAML document']];

  it("is refused at the '---' line that starts the second document, not where the first one ends", () => {
    expect(where('version: 1\nname: shop\n\n# the next one\n---\nname: other\n')).toEqual(refused(5, 1));
    expect(where('version: 1\nnotes: |\n  one\n  two\n--- # a comment\n- x\n')).toEqual(refused(5, 1));
  });

  it("skips the first document's own '---' (with a byte order mark, too, and when the first document is empty)", () => {
    expect(where('---\nversion: 1\n---\nversion: 2\n')).toEqual(refused(3, 1));
    expect(where('\uFEFF--- \nversion: 1\n\n---\n')).toEqual(refused(4, 1));
    expect(where('%YAML 1.2\n---\n---\nversion: 2\n')).toEqual(refused(3, 1));
    expect(where('version: 1\n...\n---\nversion: 2\n')).toEqual(refused(3, 1));
  });

  it("is refused where the second document's content starts when it has no '---' (after '...')", () => {
    expect(where('version: 1\n...\n# more\n  - x\n')).toEqual(refused(4, 3));
    expect(where('version: 1\n...\n"quoted"\n')).toEqual(refused(3, 1));
  });

  it("takes neither a '---' inside a line nor '---x' for a second document", () => {
    expect(where('name: a---b\nlist:\n- ---x\n')).toBe('accepted');
  });
});
