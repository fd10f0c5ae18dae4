import type { Mermaid } from 'mermaid';
import { builtinEnvironments } from 'vitest/runtime';

/** The parts of Mermaid's flowchart database the tests read. */
export interface FlowVertex {
  readonly id: string;
  readonly text?: string;
  readonly type?: string;
}
export interface FlowEdge {
  readonly start: string;
  readonly end: string;
  readonly text: string;
  readonly stroke: string;
  readonly type: string;
  readonly style?: readonly string[];
}
export interface FlowSubGraph {
  readonly id: string;
  readonly title: string;
  readonly nodes: readonly string[];
}
interface FlowDb {
  getVertices(): Map<string, FlowVertex>;
  getEdges(): FlowEdge[];
  getSubGraphs(): FlowSubGraph[];
}

export interface ParsedFlowchart {
  readonly vertices: ReadonlyMap<string, FlowVertex>;
  readonly edges: readonly FlowEdge[];
  readonly subgraphs: readonly FlowSubGraph[];
}

let loaded: Promise<Mermaid> | undefined;

/**
 * Mermaid (through DOMPurify) needs a DOM when it is imported. The file-level
 * `@vitest-environment jsdom` would also make Vite rewrite
 * `new URL('…', import.meta.url)` in src/validate/schema-file.ts into an http
 * URL, breaking loadSystem; so the tests stay in Node and only get jsdom's
 * globals, installed before Mermaid is imported.
 */
function loadMermaid(): Promise<Mermaid> {
  loaded ??= (async () => {
    await builtinEnvironments.jsdom.setup(globalThis, {});
    return (await import('mermaid')).default;
  })();
  return loaded;
}

/**
 * Parses with Mermaid's own parser (rejecting what Mermaid rejects) and
 * returns the flowchart it built. Needs a DOM: run under jsdom.
 */
export async function parseFlowchart(text: string): Promise<ParsedFlowchart> {
  const mermaid = await loadMermaid();
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  if (diagram.type !== 'flowchart-v2') throw new Error(`expected a flowchart, got ${diagram.type}`);
  const db = diagram.db as unknown as FlowDb;
  return { vertices: db.getVertices(), edges: db.getEdges(), subgraphs: db.getSubGraphs() };
}

const named: Readonly<Record<string, string>> = { quot: '"', lt: '<', gt: '>', amp: '&' };

/**
 * Label text as it will be shown, one entry per line. Mermaid keeps entity
 * codes as private markers (ﬂ°…¶ß) until it draws; this undoes them.
 */
export function shownLines(text: string | undefined): string[] {
  const decoded = (text ?? '')
    .replace(/ﬂ°°(\d+)¶ß/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/ﬂ°(\w+)¶ß/g, (whole, name: string) => named[name] ?? whole);
  return decoded.split(/<br\s*\/?>/);
}
