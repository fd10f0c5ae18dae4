import { beforeAll, describe, expect, it } from 'vitest';
import type { Graphviz } from '@hpcc-js/wasm-graphviz';
import { renderDot } from './dot.js';
import { graphviz, svgGroups, type GvJson, type SvgGroup } from '../../../test/support/render/graph/graphviz.js';
import { exampleSystems, isErrorEdge, loadModel, modelAndFindings, nastyEndpoint, shopYaml, withNastyEndpoints } from '../../../test/support/render/graph/systems.js';

const svc = (name: string): string => `svc_${name.replace(/-/g, '_')}`;
const isRedEdge = (g: SvgGroup): boolean => /stroke="red"/.test(g.body);
/** Graphviz draws a cylinder as its body plus the rim of its top: two paths, no ellipse or polygon. */
const isCylinder = (g: SvgGroup): boolean => (g.body.match(/<path /g) ?? []).length === 2 && !/<(ellipse|polygon) /.test(g.body);

describe('renderDot', () => {
  const { model, findings } = modelAndFindings(shopYaml);
  const text = renderDot(model, findings);
  let gv: Graphviz;
  let groups: SvgGroup[];
  let json: GvJson;
  const group = (kind: SvgGroup['kind'], title: string): SvgGroup[] => groups.filter((g) => g.kind === kind && g.title === title);
  const edges = (from: string, to: string): SvgGroup[] => group('edge', `${from}->${to}`);

  // Rendering with Graphviz is also the check that the DOT is valid: it throws on a syntax error.
  beforeAll(async () => {
    gv = await graphviz();
    groups = svgGroups(gv.dot(text));
    json = JSON.parse(gv.layout(text, 'json')) as GvJson;
  });

  it('the Graphviz check rejects broken DOT, so it can fail', () => {
    expect(() => gv.dot('digraph { a -> }')).toThrow();
    expect(() => gv.dot('digraph { a [label="say "hi""] }')).toThrow();
    expect(() => gv.dot(text.replace(/\}\n$/, ''))).toThrow();
  });

  it('draws each service with its name and runtime, and the gateway routing to services', () => {
    expect(group('node', svc('order-service'))[0]?.texts).toEqual(['order-service', 'node']);
    expect(group('node', svc('payment'))[0]?.texts).toEqual(['payment', 'python']);
    expect(group('node', 'gateway')[0]?.texts).toEqual(['gateway', 'node :8080']);
    expect(groups.filter((g) => g.kind === 'edge' && g.title.startsWith('gateway->')).map((g) => [g.title, g.texts])).toEqual([
      [`gateway->${svc('order-service')}`, ['/orders']],
      [`gateway->${svc('product')}`, ['/products']],
    ]);
  });

  it('draws each database once, as a cylinder, connected to every owner', () => {
    const cylinders = groups.filter((g) => g.kind === 'node' && isCylinder(g));
    expect(cylinders.map((g) => [g.title, g.texts])).toEqual([
      ['db_orders', ['orders', 'postgres']],
      ['db_payments', ['payments', 'mysql']],
    ]);
    expect(json.objects?.filter((o) => o.shape === 'cylinder').map((o) => o.name)).toEqual(['db_orders', 'db_payments']);
    expect(groups.filter((g) => g.kind === 'edge' && g.title.endsWith('->db_orders')).map((g) => g.title)).toEqual([
      `${svc('order-service')}->db_orders`,
      `${svc('product')}->db_orders`,
    ]);
  });

  it('puts each team in a cluster holding its services', () => {
    const objects = json.objects ?? [];
    const clusters = objects.filter((o) => o.name.startsWith('cluster_'));
    expect(clusters.map((c) => [c.name, c.label, (c.nodes ?? []).map((i) => objects[i]?.name).sort()])).toEqual([
      ['cluster_team_checkout', 'checkout', [svc('order-service'), svc('payment')]],
      ['cluster_team_catalog', 'catalog', [svc('product')]],
    ]);
    expect(groups.filter((g) => g.kind === 'cluster').map((g) => g.texts)).toEqual([['checkout'], ['catalog']]);
  });

  it('draws sync calls solid, labelled with the endpoints called', () => {
    const [call] = edges(svc('order-service'), svc('product'));
    expect(call?.texts).toEqual(['GET /products/{id}', 'GET /products']);
    expect(call?.body).not.toMatch(/stroke-dasharray/);
  });

  it('draws one dashed edge per event and publisher-subscriber pair, labelled with the event', () => {
    const dashed = groups.filter((g) => g.kind === 'edge' && /stroke-dasharray/.test(g.body));
    expect(dashed.map((g) => [g.title, g.texts])).toEqual([
      [`${svc('order-service')}->${svc('payment')}`, ['OrderPlaced']],
      [`${svc('order-service')}->${svc('product')}`, ['OrderPlaced']],
      [`${svc('order-service')}->${svc('search')}`, ['OrderPlaced']],
      [`${svc('payment')}->${svc('order-service')}`, ['PaymentConfirmed']],
    ]);
  });

  it('draws red exactly the edges of error findings', () => {
    const red = groups.filter((g) => g.kind === 'edge' && isRedEdge(g)).map((g) => [g.title, g.texts]);
    expect(red).toEqual([
      [`${svc('order-service')}->${svc('payment')}`, ['POST /payments']],
      [`${svc('payment')}->${svc('order-service')}`, ['GET /orders/{id}']],
    ]);
  });

  it('leaves edges of warnings uncoloured', () => {
    const warned = modelAndFindings(`${shopYaml}\nlint:\n  rules:\n    sync-cycle: warn\n`);
    const svg = gv.dot(renderDot(warned.model, warned.findings));
    expect(svgGroups(svg).filter((g) => g.kind === 'edge' && isRedEdge(g))).toEqual([]);
  });

  it('escapes quotes and backslashes; <, >, & and # come through as text', () => {
    const svg = gv.dot(renderDot(withNastyEndpoints(model), findings));
    const [call] = svgGroups(svg).filter((g) => g.title === `${svc('order-service')}->${svc('product')}`);
    expect(call?.texts).toEqual([nastyEndpoint, nastyEndpoint]);
  });

  it('draws a system without teams, gateway, databases or findings', () => {
    const minimal = svgGroups(gv.dot(renderDot(loadModel('services:\n  node: {}\n'), [])));
    expect(minimal.map((g) => [g.kind, g.title])).toEqual([['node', 'svc_node']]);
  });

  it('is deterministic', () => {
    const again = modelAndFindings(shopYaml);
    expect(renderDot(again.model, again.findings)).toBe(text);
  });
});

describe.each(exampleSystems())('renderDot of $name with every lint rule', ({ model, findings }) => {
  it('renders, and is red exactly on the edges of error findings', async () => {
    const gv = await graphviz();
    const svg = svgGroups(gv.dot(renderDot(model, findings)));
    for (const edge of svg.filter((g) => g.kind === 'edge')) {
      const [from = '', to = ''] = edge.title.split('->');
      if (!from.startsWith('svc_') || !to.startsWith('svc_')) continue;
      const kind = /stroke-dasharray/.test(edge.body) ? 'async' : 'sync';
      expect(isRedEdge(edge), edge.title).toBe(isErrorEdge(findings, { from, to, kind, event: edge.texts.join() }));
    }
    expect(svg.some(isRedEdge)).toBe(findings.some((f) => f.severity === 'error' && f.edges.length > 0));
  });
});
