import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../lint/rule.js';
import { renderMermaid } from './mermaid.js';
import { parseFlowchart, shownLines, type FlowEdge, type ParsedFlowchart } from '../../../test/support/render/graph/mermaid-parse.js';
import { exampleSystems, isErrorEdge, loadModel, modelAndFindings, nastyEndpoint, shopYaml, withNastyEndpoints } from '../../../test/support/render/graph/systems.js';

const svc = (name: string): string => `svc_${name.replace(/-/g, '_')}`;
const between = (chart: ParsedFlowchart, from: string, to: string): FlowEdge[] => chart.edges.filter((e) => e.start === from && e.end === to);
const isRed = (edge: FlowEdge): boolean => (edge.style ?? []).includes('stroke:red');

describe('renderMermaid', () => {
  const { model, findings } = modelAndFindings(shopYaml);
  const text = renderMermaid(model, findings);
  let chart: ParsedFlowchart;

  // Also the check that Mermaid's parser accepts the output: it throws otherwise.
  beforeAll(async () => {
    chart = await parseFlowchart(text);
  });

  it('the parser check rejects broken Mermaid, so it can fail', async () => {
    const broken = [
      'flowchart LR\n  a[GET /p/{id}] --> b\n', // unquoted braces
      'flowchart LR\n  a -->|say "hi"| b\n', // unescaped quotes
      'flowchart LR\n  end --> b\n', // a keyword as node id
      'flowchart LR\n  a --> b\n  linkStyle 1 stroke:red\n', // no link 1
      text.replace(/\n {2}end\n/, '\n'), // an unclosed subgraph
    ];
    for (const source of broken) await expect(parseFlowchart(source), source).rejects.toThrow();
  });

  it('draws each service with its name and runtime, and the gateway as its own node routing to services', () => {
    expect(shownLines(chart.vertices.get(svc('order-service'))?.text)).toEqual(['order-service', 'node']);
    expect(shownLines(chart.vertices.get(svc('payment'))?.text)).toEqual(['payment', 'python']);
    expect(chart.vertices.get('gateway')?.type).toBe('hexagon');
    expect(chart.edges.filter((e) => e.start === 'gateway').map((e) => [e.end, shownLines(e.text)])).toEqual([
      [svc('order-service'), ['/orders']],
      [svc('product'), ['/products']],
    ]);
  });

  it('draws a shared database once, as a cylinder connected to every owner', () => {
    const databases = [...chart.vertices.values()].filter((v) => v.type === 'cylinder');
    expect(databases.map((d) => shownLines(d.text))).toEqual([
      ['orders', 'postgres'],
      ['payments', 'mysql'],
    ]);
    expect(chart.edges.filter((e) => e.end === 'db_orders').map((e) => e.start)).toEqual([svc('order-service'), svc('product')]);
    expect(chart.edges.filter((e) => e.end === 'db_payments').map((e) => e.start)).toEqual([svc('payment')]);
  });

  it('puts each team in a subgraph holding its services', () => {
    const teams = chart.subgraphs.map((s) => [shownLines(s.title)[0], [...s.nodes].sort()]);
    expect(teams).toEqual([
      ['checkout', [svc('order-service'), svc('payment')]],
      ['catalog', [svc('product')]],
    ]);
  });

  it('draws sync calls solid, labelled with the endpoints called', () => {
    const [call] = between(chart, svc('order-service'), svc('product'));
    expect(call).toMatchObject({ stroke: 'normal', type: 'arrow_point' });
    expect(shownLines(call!.text)).toEqual(['GET /products/{id}', 'GET /products']);
  });

  it('draws one dashed edge per event and publisher-subscriber pair, labelled with the event', () => {
    const async = chart.edges.filter((e) => e.stroke === 'dotted');
    expect(async.map((e) => [e.start, e.end, shownLines(e.text).join()])).toEqual([
      [svc('order-service'), svc('payment'), 'OrderPlaced'],
      [svc('order-service'), svc('product'), 'OrderPlaced'],
      [svc('order-service'), svc('search'), 'OrderPlaced'],
      [svc('payment'), svc('order-service'), 'PaymentConfirmed'],
    ]);
  });

  it('styles red exactly the edges of error findings, by their link index', () => {
    const red = chart.edges.filter(isRed).map((e) => [e.start, e.end, e.stroke]);
    expect(red).toEqual([
      [svc('order-service'), svc('payment'), 'normal'],
      [svc('payment'), svc('order-service'), 'normal'],
    ]);
  });

  it('styles red every edge of every loop of a tangle', async () => {
    const tangled = modelAndFindings('services:\n  a: { calls: { b: [GET /x], c: [GET /x] } }\n  b: { calls: { a: [GET /x] } }\n  c: { calls: { a: [GET /x] } }\n');
    const parsed = await parseFlowchart(renderMermaid(tangled.model, tangled.findings));
    expect(parsed.edges.filter(isRed).map((e) => [e.start, e.end])).toEqual([
      [svc('a'), svc('b')],
      [svc('a'), svc('c')],
      [svc('b'), svc('a')],
      [svc('c'), svc('a')],
    ]);
  });

  it('leaves edges of warnings uncoloured', async () => {
    const warned = modelAndFindings(`${shopYaml}\nlint:\n  rules:\n    sync-cycle: warn\n`);
    expect(warned.findings.some((f) => f.ruleId === 'sync-cycle' && f.severity === 'warn')).toBe(true);
    const parsed = await parseFlowchart(renderMermaid(warned.model, warned.findings));
    expect(parsed.edges.filter(isRed)).toEqual([]);
  });

  it('colours only the named event of an async finding', async () => {
    const finding: Finding = {
      ruleId: 'async-cycle', severity: 'error', message: 'm', services: ['order-service', 'payment'], line: 1, column: 1,
      edges: [{ from: 'payment', to: 'order-service', kind: 'async', event: 'PaymentConfirmed' }],
    };
    const parsed = await parseFlowchart(renderMermaid(model, [finding]));
    expect(parsed.edges.filter(isRed).map((e) => [e.start, e.end, e.stroke, shownLines(e.text).join()])).toEqual([
      [svc('payment'), svc('order-service'), 'dotted', 'PaymentConfirmed'],
    ]);
  });

  it('escapes quotes, <, >, &, # and backticks in labels', async () => {
    const nasty = renderMermaid(withNastyEndpoints(model), findings);
    const parsed = await parseFlowchart(nasty);
    const [call] = between(parsed, svc('order-service'), svc('product'));
    expect(shownLines(call!.text)).toEqual([nastyEndpoint, nastyEndpoint]);
  });

  it('draws a system without teams, gateway, databases or findings', async () => {
    const parsed = await parseFlowchart(renderMermaid(loadModel('services:\n  end: {}\n'), []));
    expect([...parsed.vertices.keys()]).toEqual(['svc_end']);
    expect(parsed.edges).toEqual([]);
  });

  it('is deterministic', () => {
    const again = modelAndFindings(shopYaml);
    expect(renderMermaid(again.model, again.findings)).toBe(text);
  });
});

describe.each(exampleSystems())('renderMermaid of $name with every lint rule', ({ model, findings }) => {
  it('parses, and is red exactly on the edges of error findings', async () => {
    const parsed = await parseFlowchart(renderMermaid(model, findings));
    const kinds = ['sync', 'async'] as const;
    for (const edge of parsed.edges) {
      if (!edge.start.startsWith('svc_') || !edge.end.startsWith('svc_')) continue;
      const kind = kinds[edge.stroke === 'dotted' ? 1 : 0];
      const expected = isErrorEdge(findings, { from: edge.start, to: edge.end, kind, event: shownLines(edge.text).join() });
      expect(isRed(edge), `${edge.start} -> ${edge.end}`).toBe(expected);
    }
    expect(parsed.edges.some(isRed)).toBe(findings.some((f) => f.severity === 'error' && f.edges.length > 0));
  });
});
