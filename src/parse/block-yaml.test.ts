import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { lintBenchSystem, syntheticSystem } from '../../bench/synthetic.js';
import { readBlockYaml } from './block-yaml.js';
import { parseAnySource, parseSource, type Path } from './parse.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every path of a value, containers included. */
function paths(value: unknown, base: Path = []): Path[] {
  const found: Path[] = [base];
  if (Array.isArray(value)) value.forEach((item, i) => found.push(...paths(item, [...base, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...base, key]));
  return found;
}

/** parseSource gives what js-yaml gives: the same value (or the same errors) and every path at the same key and value position. */
function expectSameAsJsYaml(text: string): void {
  const fast = parseSource(text, 'system.yaml');
  const general = parseAnySource(text, 'system.yaml');
  if (!general.ok || !fast.ok) {
    expect(fast).toEqual(general);
    return;
  }
  expect(fast.source.value).toStrictEqual(general.source.value);
  for (const path of paths(general.source.value)) {
    expect({ path, key: fast.source.locate.key(path), value: fast.source.locate.value(path) }).toEqual({
      path,
      key: general.source.locate.key(path),
      value: general.source.locate.value(path),
    });
  }
}

const sampleFiles = [...yamlFiles('examples'), ...yamlFiles('test/fixtures')];

/** Block-style texts the reader must read itself (so the comparison above is about it, not about js-yaml twice). */
const blockTexts: [string, string][] = [
  ['lint bench system, 100 services', lintBenchSystem(100)],
  ['synthetic system, 30 services', syntheticSystem(30)],
  ...sampleFiles.filter((file) => file.endsWith('system.yaml')).flatMap((file) =>
    loadAll(readFileSync(file, 'utf8')).flatMap((value, i): [string, string][] => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
      // Written again in block style, both ways of indenting lists, with the quotes js-yaml chooses.
      const name = `${file.slice(repo.length)} #${i}`;
      return [
        [`${name} in block style`, dump(value, { flowLevel: -1, noRefs: true, lineWidth: -1 })],
        [`${name} in block style, lists not indented`, dump(value, { flowLevel: -1, noRefs: true, lineWidth: -1, seqNoIndent: true })],
      ];
    }),
  ),
  [
    'comments, nulls, compact lists, mappings in lists, quotes, numbers',
    `# a system
version: 1   # the format
name: 'it''s'
description: "plain # not a comment"
gateway:
  rateLimit: 100/min
  port: 8080
  routes:
  - path: /orders
    service: order   # after a value

  -   path: /users
      service: user
defaults:
services:
  order:
    calls:
      user:
        - GET /users/{id}
        -
          - nested
# a comment less indented
    ratio: 0.5
    enabled: true
    off-by: false
    nothing: null
    empty:
  user:
`,
  ],
];

describe('readBlockYaml', () => {
  it.each(blockTexts)('reads %s itself, as js-yaml reads it', (_, text) => {
    expect(readBlockYaml(text)).toBeDefined();
    expectSameAsJsYaml(text);
  });

  // Other YAML (Kubernetes, compose, workflows, OpenAPI) as written and in block style: read by either reader, the same.
  it.each(sampleFiles.map((file) => [file.slice(repo.length), file]))('reads %s as js-yaml reads it', (_, file) => {
    const text = readFileSync(file, 'utf8');
    expectSameAsJsYaml(text);
    for (const value of loadAll(text)) expectSameAsJsYaml(dump(value, { flowLevel: -1, noRefs: true, lineWidth: -1 }));
  });

  it('reads the 10,000-service benchmark system itself', () => {
    expect(readBlockYaml(lintBenchSystem(10_000))).toBeDefined();
  });

  // What it leaves to js-yaml must still come out the same (or with js-yaml's error).
  it.each([
    ['flow collections', 'a: [b, c]\nd: { e: f }\n'],
    ['flow collections with slashes', "api: [POST /payments, 'GET /payments/{id}']\ncalls: { b: [GET /b] }\nc: [1/2]\n"],
    ['a slash in a scalar that is no string', 'a: -1/2\nb: .5/1\n'],
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n'],
    ['a multi-line plain scalar', 'a: one\n  two\nb: 3\n'],
    ['a block scalar', 'a: |\n  text\nb: 3\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a tab', 'a:\n\t- b\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['non-ASCII text', 'a: café\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a key at the wrong depth after a value', 'a: 1\n  b: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a mapping value on one line', 'a: b: c\n'],
    ['words YAML 1.2 reads as values', 'a: True\nb: NULL\nc: ~\nd: yes\ne: 012\nf: -0\ng: 1e3\nh: .5\ni: 0x1f\nj: 1_000\n'],
    ['special keys', 'true: 1\nnull: 2\n1: 3\n"q": 4\n'],
    ['a key named __proto__', '__proto__: 1\n'],
    ['an empty list item', 'a:\n  -\n  - b\n'],
    ['a list inside a list item', 'a:\n  - - b\n'],
    ['a top-level list', '- a\n- b\n'],
    ['a scalar document', 'just text\n'],
    ['an empty document', '# nothing\n'],
    ['escapes in double quotes', 'a: "x\\ty"\n'],
    ['an unterminated quote', "a: 'x\n"],
    ['text after a quoted scalar', "a: 'x' y\n"],
    ['a key with a space', 'a b: 1\n'],
    ['a colon without space in a key', 'a:b: 1\n'],
  ])('leaves %s to js-yaml, with the same result', (_, text) => {
    expectSameAsJsYaml(text);
  });
});
