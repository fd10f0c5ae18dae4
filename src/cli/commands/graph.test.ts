import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../lint/lint.js';
import { renderMermaid } from '../../render/graph/mermaid.js';
import { graphviz, svgGroups } from '../../../test/support/render/graph/graphviz.js';
import { loadModel, shopYaml } from '../../../test/support/render/graph/systems.js';
import { runCli } from '../../../test/support/cli.js';

const systemYaml = `version: 1\n${shopYaml}`;
const run = (cwd: string, args: readonly string[]) => runCli(args, { cwd });

describe('taskflow-gen graph (built CLI)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'taskflow-graph-'));
    writeFileSync(join(dir, 'system.yaml'), systemYaml);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes DOT that Graphviz renders, with the sync cycle in red', async () => {
    const result = run(dir, ['graph', 'system.yaml', '--format', 'dot']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const groups = svgGroups((await graphviz()).dot(result.stdout));
    const red = groups.filter((g) => g.kind === 'edge' && /stroke="red"/.test(g.body)).map((g) => g.title);
    expect(red).toEqual(expect.arrayContaining(['svc_order_service->svc_payment', 'svc_payment->svc_order_service']));
  });

  it('defaults to Mermaid and system.yaml, the same text the renderer gives', () => {
    const result = run(dir, ['graph']);
    expect(result.status).toBe(0);
    const model = loadModel(systemYaml);
    expect(result.stdout).toBe(renderMermaid(model, lint(model).findings));
  });

  it('writes to the file given by -o', async () => {
    const result = run(dir, ['graph', '-f', 'dot', '-o', 'graph.dot']);
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
    const svg = (await graphviz()).dot(readFileSync(join(dir, 'graph.dot'), 'utf8'));
    expect(svg).toContain('<svg');
  });

  it('exits 2 for an invalid system.yaml, a missing file or an unknown format', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nname: shop\nservices:\n  order:\n    calls: { nowhere: [GET /x] }\n');
    const bad = run(dir, ['graph', 'bad.yaml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:5');
    expect(run(dir, ['graph', 'missing.yaml']).status).toBe(2);
    expect(run(dir, ['graph', '--format', 'svg']).status).toBe(2);
  });
});
