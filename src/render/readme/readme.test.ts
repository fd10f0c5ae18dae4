import type { Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { lint } from '../../lint/lint.js';
import { renderMermaid } from '../graph/mermaid.js';
import { parseFlowchart, shownLines } from '../../../test/support/render/graph/mermaid-parse.js';
import { generatedNotice } from '../header.js';
import { renderSystem } from '../render.js';
import { loadTemplates } from '../templates.js';
import { exampleNames, exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import { edgeSystems } from '../../../test/support/render/workflows/edge-systems.js';
import target from './index.js';
import { codeBlocks, lintSummaryProblems, parseReadme, plain, servicesTableProblems, tablesOf, type ParsedReadme } from '../../../test/support/render/readme/readme-check.js';
import { cell, code, codeCell, text } from './view.js';
import { toolVersion } from '../../cli/version.js';
import type { Runtime } from '../../model/types.js';

const readmeOf = (yaml: string, systemFile = 'system.yaml'): string => {
  if (systemFile === 'system.yaml') return renderYaml(yaml, [target]).get('README.md')!.content;
  const model = modelOf(yaml);
  return renderSystem({ model, lint: lint(model), templates: loadTemplates(), systemFile, toolVersion: toolVersion() }, [target]).get('README.md')!.content;
};
const section = (readme: ParsedReadme, heading: string) => readme.sections.get(heading) ?? [];
const paragraphs = (readme: ParsedReadme, heading: string): string[] => section(readme, heading).filter((t) => t.type === 'paragraph').map((t) => plain([t]));

/** Free text in every place the README prints it: title paragraph, a table cell, a list item. */
const oddText = "1. Not a list | *not bold* <b>not html</b> & [not](a-link) `not code` # no_heading ~no~ \\ back!slash";
const oddSystem = `
version: 1
name: odd
description: ${JSON.stringify(oddText)}
services:
  a: { description: ${JSON.stringify(`- ${oddText}`)}, entities: { A: { x: string } }, publishes: [Happened] }
events:
  Happened: { id: uuid }
`;
const noRoutes = `
version: 1
name: quiet
gateway: {}
broker: none
services:
  worker: { database: none }
`;

describe('readme target', () => {
  const systems: [string, string][] = [
    ...exampleNames.map((name): [string, string] => [`example ${name}`, exampleYaml(name)]),
    ['example anti-patterns', exampleYaml('anti-patterns')],
    ...Object.entries(edgeSystems),
    ['free text full of Markdown', oddSystem],
    ['a gateway with nothing to route', noRoutes],
  ];

  describe.each(systems)('%s', (_, yaml) => {
    const model = modelOf(yaml);
    const result = lint(model);
    const markdown = readmeOf(yaml);
    const readme = parseReadme(markdown);

    it('is one generated README.md at the root, titled with the system name and its description', () => {
      const files = renderYaml(yaml, [target]).files();
      expect(files.map((f) => [f.path, f.owner])).toEqual([['README.md', 'generator']]);
      expect(markdown.split('\n')[0]).toBe(`<!-- ${generatedNotice} -->`);
      expect(readme.tokens.find((t) => t.type === 'heading')).toMatchObject({ depth: 1, text: model.name });
      const intro = section(readme, '').filter((t) => t.type === 'paragraph').map((t) => plain([t]));
      expect(intro[0]).toBe(model.description ?? intro[0]);
      expect(intro.at(-1)).toMatch(/^\d+ services? \(/);
    });

    it('embeds the system graph as a mermaid block that Mermaid’s parser accepts', async () => {
      const blocks = codeBlocks(readme.tokens, 'mermaid');
      expect(blocks).toEqual([renderMermaid(model, result.findings).trimEnd()]);
      const chart = await parseFlowchart(blocks[0]!);
      const services = [...chart.vertices.values()].filter((v) => v.id.startsWith('svc_'));
      expect(services.map((v) => shownLines(v.text)[0]).sort()).toEqual(model.services.map((s) => s.name).sort());
    });

    it('lists every service in the services table', () => {
      expect(servicesTableProblems(readme, model)).toEqual([]);
    });

    it('summarises exactly what lint(model) finds', () => {
      expect(lintSummaryProblems(readme, result, 'system.yaml')).toEqual([]);
    });

    it('shows the gateway and its routes when there is one', () => {
      if (!model.gateway) {
        expect(readme.sections.has('Gateway')).toBe(false);
        return;
      }
      const [summary] = paragraphs(readme, 'Gateway');
      expect(summary).toContain(`listens on port ${model.gateway.port}`);
      expect(summary).toContain(model.gateway.auth === 'jwt' ? 'JWT_SECRET' : 'without authentication');
      const routes = model.gateway.routes.map((r) => [r.path, r.service]);
      if (routes.length === 0) expect(paragraphs(readme, 'Gateway')[1]).toBe('No service exposes an API yet, so it routes nothing.');
      else expect(tablesOf(section(readme, 'Gateway'))).toEqual([{ header: ['Path', 'Service'], rows: routes }]);
    });

    it('names the broker and who publishes and consumes each event', () => {
      const [summary] = paragraphs(readme, 'Broker');
      if (model.broker === 'none') {
        expect(summary).toBe('None: the services talk only over HTTP.');
        return;
      }
      expect(summary).toContain({ rabbitmq: 'RabbitMQ', nats: 'NATS', kafka: 'Kafka' }[model.broker]);
      const rows = model.events.map((e) => [e.name, e.publishers.join(', ') || '—', e.subscribers.join(', ') || '—']);
      expect(tablesOf(section(readme, 'Broker'))).toEqual(rows.length === 0 ? [] : [{ header: ['Event', 'Published by', 'Consumed by'], rows }]);
    });

    it('says how to run it with docker compose and .env, and how to keep it honest', () => {
      expect(codeBlocks(section(readme, 'Run it'), 'sh')).toEqual(['docker compose up --build']);
      expect(paragraphs(readme, 'Run it').find((p) => p.startsWith('The secrets come from'))).toContain('.env');
      expect(markdown).not.toMatch(/taskflow-gen dev\b/);
      const honest = plain(section(readme, 'Keeping it honest'));
      expect(honest).toContain('taskflow-gen generate --check system.yaml');
      expect(honest).toContain('taskflow-gen lint system.yaml');
    });

    it('is deterministic', () => {
      expect(readmeOf(yaml)).toBe(markdown);
    });
  });

  it('prints free text exactly as written: nothing in it becomes Markdown', () => {
    const readme = parseReadme(readmeOf(oddSystem));
    const intro = section(readme, '').filter((t) => t.type === 'paragraph');
    expect(intro[0]!.type).toBe('paragraph'); // not a list
    expect(plain([intro[0]!])).toBe(oddText);
    const items = section(readme, 'Services').flatMap((t) => (t.type === 'list' ? (t as Tokens.List).items : []));
    expect(items.map((i) => plain(i.tokens))).toEqual([`a: - ${oddText}`]);
  });

  it('quotes an unusual system file name in the commands it shows', () => {
    const readme = parseReadme(readmeOf(noRoutes, 'arch/the `odd` | file.yaml'));
    const honest = plain(section(readme, 'Keeping it honest'));
    expect(honest).toContain("taskflow-gen generate --check 'arch/the `odd` | file.yaml' --out .");
    expect(honest).toContain("taskflow-gen lint 'arch/the `odd` | file.yaml'");
    expect(plain([section(readme, '').filter((t) => t.type === 'paragraph').at(-1)!])).toContain('generated from arch/the `odd` | file.yaml:');
  });

  it('keeps free text and code literal in paragraphs and in table cells', () => {
    const samples = [oddText, '|', 'a\\|b', '\\', '`', '``x``', 'x `y` z', '<!-- c -->', '&amp;', '-> | <-'];
    for (const sample of samples) {
      const markdown = `${text(sample)} ${code(sample)}\n\n| text | code |\n| --- | --- |\n| ${cell(text(sample))} | ${codeCell(sample)} |\n`;
      const readme = parseReadme(markdown);
      expect(plain(readme.tokens.slice(0, 1)), markdown).toBe(`${sample} ${sample}`);
      expect(tablesOf(readme.tokens)[0]?.rows, markdown).toEqual([[sample, sample]]);
    }
  });
});

describe('the README checks fail on a broken README', () => {
  const yaml = exampleYaml('anti-patterns');
  const model = modelOf(yaml);
  const result = lint(model);
  const markdown = readmeOf(yaml);

  it('passes the generated one', () => {
    const readme = parseReadme(markdown);
    expect(servicesTableProblems(readme, model)).toEqual([]);
    expect(lintSummaryProblems(readme, result, 'system.yaml')).toEqual([]);
  });

  it('Mermaid rejects a graph with an unclosed subgraph', async () => {
    const [graph] = codeBlocks(parseReadme(markdown).tokens, 'mermaid');
    await expect(parseFlowchart(graph!.replace(/\n {2}end\n/, '\n'))).rejects.toThrow();
  });

  it.each([
    ['a missing service row', markdown.replace(/^\| `pricing` .*\n/m, '')],
    ['a service out of file order', markdown.replace(/^(\| `storefront` .*\n)(\| `order` .*\n)/m, '$2$1')],
    ['an unescaped | splitting a cell', markdown.replace('`shop` (postgres, shared with `customer-data`)', '`shop` | (postgres)')],
    ['a wrong port', markdown.replace('| `catalog` | node | 3003 |', '| `catalog` | node | 3033 |')],
  ])('the services check rejects %s', (_, broken) => {
    expect(broken).not.toBe(markdown);
    expect(servicesTableProblems(parseReadme(broken), model)).not.toEqual([]);
  });

  it.each([
    ['a wrong count', markdown.replace(/reports \d+ errors/, 'reports 0 errors')],
    ['a missing finding', markdown.replace(/^\| error \| `sync-cycle` .*\n/m, '')],
    ['a changed message', markdown.replace('each service should own its data', 'that is fine')],
    ['"no findings" for a system with findings', markdown.replace(/`taskflow-gen lint` reports [^\n]*:\n\n(\|[^\n]*\n)+/, '`taskflow-gen lint` reports no findings.\n')],
  ])('the lint check rejects %s', (_, broken) => {
    expect(broken).not.toBe(markdown);
    expect(lintSummaryProblems(parseReadme(broken), result, 'system.yaml')).not.toEqual([]);
  });
});

describe('a service of a runtime no target generates code for', () => {
  const yaml = exampleYaml('taskflow');
  const model = modelOf(yaml);
  const readmeWith = (runtimes: readonly Runtime[]): ParsedReadme =>
    parseReadme(
      renderSystem({ model, lint: lint(model), templates: loadTemplates(), systemFile: 'system.yaml', toolVersion: toolVersion(), codeRuntimes: new Set(runtimes) }, [target]).get('README.md')!
        .content,
    );

  it('is said to be not generated yet, and no way to run its folder is promised', () => {
    const readme = readmeWith(['node']);
    expect(paragraphs(readme, 'Run it')[0]).toBe(
      'taskflow-gen does not generate Python service code yet, so services/notification/ is not generated: write that service there yourself (with a Dockerfile) before starting the system, or change its runtime in system.yaml to one that is generated.',
    );
    expect(plain(readme.tokens)).not.toMatch(/pip install|python -m app/);
    expect(plain(section(readme, 'Run it'))).toContain('Node.js: npm install && npm start');
  });

  it('is shown like any other once its runtime is generated', () => {
    const readme = readmeWith(['node', 'python']);
    expect(plain(readme.tokens)).not.toContain('not generated');
    expect(plain(section(readme, 'Run it'))).toContain('Python: pip install -r requirements.txt && python -m app');
  });
});
