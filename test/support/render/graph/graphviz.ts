import { Graphviz } from '@hpcc-js/wasm-graphviz';

let loaded: Promise<Graphviz> | undefined;

/** Real Graphviz compiled to wasm, loaded once per test file. */
export function graphviz(): Promise<Graphviz> {
  loaded ??= Graphviz.load();
  return loaded;
}

/** A node, edge or cluster group of Graphviz's SVG. */
export interface SvgGroup {
  readonly kind: 'node' | 'edge' | 'cluster';
  /** Node id, `tail->head` or cluster name. */
  readonly title: string;
  readonly texts: readonly string[];
  readonly body: string;
}

/** Graphviz writes one flat `<g class="node|edge|cluster">` with a `<title>` per element; this reads them. */
export function svgGroups(svg: string): SvgGroup[] {
  const groups: SvgGroup[] = [];
  const pattern = /<g id="[^"]*" class="(node|edge|cluster)">\s*<title>([^<]*)<\/title>([\s\S]*?)<\/g>/g;
  for (const [, kind, title, body] of svg.matchAll(pattern)) {
    const texts = [...body!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => xmlText(m[1]!));
    groups.push({ kind: kind as SvgGroup['kind'], title: xmlText(title!), texts, body: body! });
  }
  return groups;
}

function xmlText(text: string): string {
  const named: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
    return named[code] ?? whole;
  });
}

/** Graphviz's `json` output: the graph as it parsed it, with every attribute. */
export interface GvJson {
  readonly objects?: readonly { readonly name: string; readonly nodes?: readonly number[]; readonly label?: string; readonly shape?: string; readonly _gvid: number }[];
  readonly edges?: readonly { readonly tail: number; readonly head: number; readonly label?: string; readonly style?: string; readonly color?: string }[];
}
