import type { Finding } from '../../lint/rule.js';
import type { SystemModel } from '../../model/types.js';
import { buildScene, type SceneEdge, type SceneNode } from './scene.js';

/** A DOT quoted string; backslashes are doubled so `\n`-style label escapes only come from line breaks. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function label(lines: readonly string[]): string {
  return `"${lines.map((line) => dotString(line).slice(1, -1)).join('\\n')}"`;
}

const nodeShapes: Readonly<Record<SceneNode['kind'], string>> = {
  service: 'shape=box, style=rounded',
  database: 'shape=cylinder',
  gateway: 'shape=hexagon',
};

const edgeStyles: Readonly<Record<SceneEdge['kind'], string>> = {
  sync: 'style=solid',
  async: 'style=dashed',
  owns: 'dir=none, color=gray40',
  route: 'style=solid, color=gray40',
};

function node(n: SceneNode): string {
  return `${n.id} [${nodeShapes[n.kind]}, label=${label(n.lines)}];`;
}

function edge(e: SceneEdge): string {
  const attributes = [edgeStyles[e.kind]];
  if (e.lines.length > 0) attributes.push(`label=${label(e.lines)}`);
  if (e.red) attributes.push('color=red, fontcolor=red, penwidth=2');
  return `${e.from} -> ${e.to} [${attributes.join(', ')}];`;
}

/** The service graph as a Graphviz digraph; edges of error findings are red. */
export function renderDot(model: SystemModel, findings: readonly Finding[]): string {
  const scene = buildScene(model, findings);
  const out = [
    `digraph ${dotString(scene.name)} {`,
    '  rankdir=LR;',
    '  node [fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const cluster of scene.clusters) {
    out.push(`  subgraph cluster_${cluster.id} {`, `    label=${dotString(cluster.label)};`);
    for (const n of cluster.nodes) out.push(`    ${node(n)}`);
    out.push('  }');
  }
  for (const n of scene.nodes) out.push(`  ${node(n)}`);
  for (const e of scene.edges) out.push(`  ${edge(e)}`);
  out.push('}');
  return out.join('\n') + '\n';
}
