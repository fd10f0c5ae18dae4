import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';
import { exampleNames, exampleYaml, renderYaml } from './support/render/render.js';
import { edgeSystems } from './support/render/workflows/edge-systems.js';

/**
 * Generated code is read by people who have the system's folder, not this
 * tool's design documents: no template and no generated file may send them to
 * PRODUCT.md or ../shared.
 */
const internal = /PRODUCT\.md|\.\.\/shared\b/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('what generated files point their readers at', () => {
  it('no template mentions PRODUCT.md or ../shared', () => {
    const templates = files(join(repoRoot, 'templates'));
    expect(templates.length).toBeGreaterThan(20);
    expect(templates.filter((f) => internal.test(readFileSync(f, 'utf8'))).map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it.each([...exampleNames.map((name): [string, string] => [`example ${name}`, exampleYaml(name)]), ...Object.entries(edgeSystems)])(
    'no file generated for %s mentions PRODUCT.md or ../shared',
    (_, yaml) => {
      const rendered = renderYaml(yaml).files();
      expect(rendered.length).toBeGreaterThan(5);
      expect(rendered.filter((f) => internal.test(f.content)).map((f) => f.path)).toEqual([]);
    },
  );
});
