import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';

/**
 * src/ holds the product, laid out by pipeline stage; test support lives under
 * test/. These checks keep it that way (dependency-cruiser style, without the tool).
 */

const src = join(repoRoot, 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

const product = filesUnder(src).filter((f) => !f.endsWith('.test.ts'));

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function resolved(file: string, specifier: string): string {
  return relative(repoRoot, join(file, '..', specifier));
}

describe('layering of src/', () => {
  it('has no test support: helpers for tests live under test/', () => {
    const folders = filesUnder(src).map((f) => relative(repoRoot, f)).filter((f) => /test-support|fixtures/.test(f));
    expect(folders).toEqual([]);
  });

  it('product modules never import from test/', () => {
    const offenders = product.flatMap((file) => imports(file).filter((s) => s.startsWith('.') && resolved(file, s).startsWith('test/')).map((s) => `${relative(repoRoot, file)} -> ${s}`));
    expect(offenders).toEqual([]);
  });

  it('only cli/ imports cli/: the pipeline stages never reach up into the command line', () => {
    const offenders = product
      .filter((file) => !relative(src, file).startsWith('cli/'))
      .flatMap((file) => imports(file).filter((s) => s.startsWith('.') && resolved(file, s).startsWith('src/cli/')).map((s) => `${relative(repoRoot, file)} -> ${s}`));
    expect(offenders).toEqual([]);
  });

  it('the pure stages (parse, validate, model, lint, render, dev) do not write files', () => {
    const pure = /^(parse|validate|model|lint|render|dev)\//;
    const offenders = product
      .filter((file) => pure.test(relative(src, file)))
      .filter((file) => /\b(writeFile|writeFileSync|mkdirSync|rmSync|renameSync|appendFile)\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });
});
