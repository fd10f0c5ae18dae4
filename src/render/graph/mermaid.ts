import type { Finding } from '../../lint/rule.js';
import type { SystemModel } from '../../model/types.js';
import { buildScene, type SceneEdge, type SceneNode } from './scene.js';

const named: Readonly<Record<string, string>> = { '"': 'quot', '<': 'lt', '>': 'gt', '&': 'amp' };

/**
 * Text for a quoted Mermaid label. Everything outside a plain set becomes an
 * entity code (`#quot;`, `#35;`): quotes would end the label, `<`/`>`/`&`
 * would be read as HTML, and a bare `#` could start an entity of its own.
 */
export function mermaidText(text: string): string {
  return text.replace(/[^A-Za-z0-9 /{}._~:,()-]/gu, (c) => `#${named[c] ?? c.codePointAt(0)!.toString(10)};`);
}

function label(lines: readonly string[]): string {
  return `"${lines.map(mermaidText).join('<br/>')}"`;
}

function node(n: SceneNode): string {
  const text = label(n.lines);
  if (n.kind === 'database') return `${n.id}[(${text})]`;
  if (n.kind === 'gateway') return `${n.id}{{${text}}}`;
  return `${n.id}[${text}]`;
}

function edge(e: SceneEdge): string {
  const text = e.lines.length > 0 ? `|${label(e.lines)}|` : '';
  if (e.kind === 'owns') return `${e.from} --- ${e.to}`;
  if (e.kind === 'async') return `${e.from} -.->${text} ${e.to}`;
  return `${e.from} -->${text} ${e.to}`;
}

/** The service graph as a Mermaid flowchart; edges of error findings are styled red by link index. */
export function renderMermaid(model: SystemModel, findings: readonly Finding[]): string {
  const scene = buildScene(model, findings);
  const out = ['---', `title: ${JSON.stringify(scene.name)}`, '---', 'flowchart LR'];
  for (const cluster of scene.clusters) {
    out.push(`  subgraph ${cluster.id}[${label([cluster.label])}]`);
    for (const n of cluster.nodes) out.push(`    ${node(n)}`);
    out.push('  end');
  }
  for (const n of scene.nodes) out.push(`  ${node(n)}`);
  // One edge per statement, so a link's index is its position in scene.edges.
  for (const e of scene.edges) out.push(`  ${edge(e)}`);
  const red = scene.edges.flatMap((e, i) => (e.red ? [i] : []));
  if (red.length > 0) out.push(`  linkStyle ${red.join(',')} stroke:red,stroke-width:2px,color:red`);
  return out.join('\n') + '\n';
}
