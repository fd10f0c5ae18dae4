import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idReverse, longestPaths, rootComponents, selfLoops, stronglyConnected, tangles, upstream, type Digraph } from './graph.js';

/** A graph from `a>b,c b>a` style text: every named node is a key, in order of first mention. */
function graphOf(text: string): Digraph {
  const graph = new Map<string, string[]>();
  const node = (n: string) => {
    if (!graph.has(n)) graph.set(n, []);
    return graph.get(n)!;
  };
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const [from, to = ''] = part.split('>');
    const targets = node(from!);
    for (const t of to.split(',').filter(Boolean)) {
      node(t);
      if (!targets.includes(t)) targets.push(t);
    }
  }
  return graph;
}

/** A path of `length` + 1 nodes p0 > p1 > … as graph text. */
const chain = (prefix: string, length: number) => Array.from({ length }, (_, i) => `${prefix}${i}>${prefix}${i + 1}`).join(' ');

function isSimplePathOf(graph: Digraph, path: readonly string[]): boolean {
  return new Set(path).size === path.length && path.slice(1).every((to, i) => (graph.get(path[i]!) ?? []).includes(to));
}

/** Longest simple path from `start`, by brute force (small graphs only). */
function bruteLongest(graph: Digraph, start: string): number {
  const seen = new Set([start]);
  const walk = (node: string): number => {
    let best = 0;
    for (const next of graph.get(node) ?? []) {
      if (seen.has(next) || !graph.has(next)) continue;
      seen.add(next);
      best = Math.max(best, 1 + walk(next));
      seen.delete(next);
    }
    return best;
  };
  return walk(start);
}

/** Random graphs on nodes n0…n(size-1), keys in that order. */
const arbitraryGraph = (acyclic: boolean) =>
  fc.integer({ min: 1, max: 8 }).chain((size) =>
    fc
      .array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 3 })
      .map((edges) => {
        const graph = new Map<string, string[]>(Array.from({ length: size }, (_, i) => [`n${i}`, []]));
        for (const [a, b] of edges) {
          if (acyclic && a >= b) continue;
          const targets = graph.get(`n${a}`)!;
          if (!targets.includes(`n${b}`)) targets.push(`n${b}`);
        }
        return graph as Digraph;
      }),
  );

describe('idReverse', () => {
  it('maps every node to its callers, in caller order, and is cached per graph', () => {
    const graph = graphOf('a>b,c b>c c>x');
    const { names, start, targets } = idReverse(graph);
    const callers = Object.fromEntries(names.map((name, i) => [name, Array.from(targets.subarray(start[i]!, start[i + 1]!), (j) => names[j]!)]));
    expect(callers).toEqual({ a: [], b: ['a'], c: ['a', 'b'], x: ['c'] });
    expect(idReverse(graph)).toBe(idReverse(graph));
  });
});

describe('stronglyConnected', () => {
  it('returns components in reverse topological order, and the same array on every call', () => {
    const graph = graphOf('a>b b>c c>b c>d d>e e>d');
    const found = stronglyConnected(graph);
    expect(found.map((members) => [...members].sort())).toEqual([['d', 'e'], ['b', 'c'], ['a']]);
    expect(stronglyConnected(graph)).toBe(found);
  });

  it('puts every component after all the components it reaches', () => {
    fc.assert(
      fc.property(arbitraryGraph(false), (graph) => {
        const found = stronglyConnected(graph);
        expect(found.flat().sort()).toEqual([...graph.keys()].sort());
        const componentOf = new Map<string, number>();
        found.forEach((members, i) => members.forEach((m) => componentOf.set(m, i)));
        for (const [from, targets] of graph) for (const to of targets) expect(componentOf.get(to)!).toBeLessThanOrEqual(componentOf.get(from)!);
      }),
    );
  });

  it('does not overflow the stack on a very deep graph', () => {
    const graph = graphOf(chain('n', 100_000));
    expect(stronglyConnected(graph)).toHaveLength(100_001);
  });
});

describe('selfLoops', () => {
  it('lists the nodes that call themselves, in key order', () => {
    expect(selfLoops(graphOf('a>b b>c,a c>a,c d>d e>f'))).toEqual(['c', 'd']);
  });
});

/** Every elementary cycle of two or more nodes, by brute force, each from its smallest node in key order. */
function bruteCycles(graph: Digraph): string[][] {
  const keys = [...graph.keys()];
  const rank = new Map(keys.map((k, i) => [k, i]));
  const found: string[][] = [];
  const walk = (path: string[]): void => {
    for (const next of graph.get(path[path.length - 1]!) ?? []) {
      if (next === path[0] && path.length > 1) found.push([...path]);
      else if (!path.includes(next) && rank.get(next)! > rank.get(path[0]!)!) walk([...path, next]);
    }
  };
  for (const start of keys) walk([start]);
  return found;
}

describe('tangles', () => {
  it('names every loop of a tangle, shortest first, each from its first member in key order', () => {
    const [tangle, ...others] = tangles(graphOf('a>b,c b>a c>a'), 10);
    expect(others).toEqual([]);
    expect(tangle).toEqual({ members: ['a', 'b', 'c'], loops: [['a', 'b'], ['a', 'c']], total: 2, complete: true });
  });

  it('orders tangles by their first member, loops by length then key order, and ignores self-loops', () => {
    const found = tangles(graphOf('z>y y>z a>b,c,a b>c,a c>a,c'), 10);
    expect(found.map((t) => [t.members, t.loops])).toEqual([
      [['z', 'y'], [['z', 'y']]],
      [['a', 'b', 'c'], [['a', 'b'], ['a', 'c'], ['a', 'b', 'c']]],
    ]);
  });

  it('finds nothing in an acyclic graph', () => {
    expect(tangles(graphOf('a>b,c b>c c>d'), 10)).toEqual([]);
  });

  it('finds exactly the elementary cycles brute force finds', () => {
    fc.assert(
      fc.property(arbitraryGraph(false), (graph) => {
        const found = tangles(graph, 1000).flatMap((t) => t.loops);
        expect(found.map((c) => c.join('>')).sort()).toEqual(bruteCycles(graph).map((c) => c.join('>')).sort());
        for (const t of tangles(graph, 1000)) {
          expect(t.complete).toBe(true);
          expect(t.total).toBe(t.loops.length);
          expect(t.loops.map((l) => l.length)).toEqual([...t.loops.map((l) => l.length)].sort((a, b) => a - b));
        }
      }),
    );
  });

  it('stops counting at the limit and still lists the shortest loops first', () => {
    // A complete graph on 9 nodes has thousands of loops; Johnson's first 51 from n0 are mostly long ones.
    const names = Array.from({ length: 9 }, (_, i) => `n${i}`);
    const complete = new Map(names.map((n) => [n, names.filter((m) => m !== n)]));
    const [tangle] = tangles(complete, 50);
    expect(tangle!.complete).toBe(false);
    expect(tangle!.total).toBeGreaterThan(50);
    expect(tangle!.loops).toHaveLength(50);
    const short = tangle!.loops.filter((l) => l.length === 2);
    expect(tangle!.loops.slice(0, short.length)).toEqual(short);
    expect(new Set(short.flat())).toEqual(new Set(names));
    expect(tangle!.loops[0]).toEqual(['n0', 'n1']);
  });

  it('stays fast on a large tangle with many loops', () => {
    // A ring of 20,000 nodes with a chord every 10: too many loops to count, none of which may take long to find.
    const size = 20_000;
    const graph = new Map(Array.from({ length: size }, (_, i) => [`n${i}`, [`n${(i + 1) % size}`, ...(i % 10 === 0 ? [`n${(i + 5) % size}`] : [])]]));
    const [tangle] = tangles(graph, 1000);
    expect(tangle!.members).toHaveLength(size);
    expect(tangle!.complete).toBe(false);
  });
});

describe('longestPaths', () => {
  it('on an acyclic graph, the longest path from every node; ties go to the first callee', () => {
    const paths = longestPaths(graphOf('g>s,b,x s b>c c>d x>y y>z'));
    expect(paths.path('g')).toEqual(['g', 'b', 'c', 'd']);
    expect(paths.path('b')).toEqual(['b', 'c', 'd']);
    expect(paths.path('s')).toEqual(['s']);
  });

  it('ignores self-loops and callees that are not in the graph', () => {
    const graph = new Map([
      ['a', ['a', 'missing', 'b']],
      ['b', []],
    ]);
    expect(longestPaths(graph).path('a')).toEqual(['a', 'b']);
  });

  it('passes through a cycle from the node it enters to the node it leaves from', () => {
    const paths = longestPaths(graphOf('r>a a>b b>a,c c>d d>e'));
    expect(paths.path('r')).toEqual(['r', 'a', 'b', 'c', 'd', 'e']);
    expect(paths.path('a')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(paths.path('b')).toEqual(['b', 'c', 'd', 'e']);
  });

  it('starts inside a cycle', () => {
    const paths = longestPaths(graphOf('a>b b>a,c c>d d>e e>f'));
    expect(paths.path('a')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(paths.path('b')).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('crosses a cycle along a shortest inner path, to the exit with the longest chain after it', () => {
    // a→b→c→d→a with a shortcut a→c; b leaves for a short tail, d for a long one.
    const paths = longestPaths(graphOf('a>b,c b>c,s c>d d>a,t0 ' + chain('t', 4)));
    expect(paths.path('a')).toEqual(['a', 'c', 'd', 't0', 't1', 't2', 't3', 't4']);
    expect(paths.path('b')).toEqual(['b', 'c', 'd', 't0', 't1', 't2', 't3', 't4']);
  });

  it('prefers the nearest exit when two give the same length', () => {
    // From a: leaving at a itself (1 + 2) or at b (1 + 1 + 1): both 3 calls.
    const paths = longestPaths(graphOf('a>b,x0 b>a,y0 x0>x1 x1>x2 y0>y1'));
    expect(paths.path('a')).toEqual(['a', 'x0', 'x1', 'x2']);
  });

  it('does not end inside a cycle it cannot leave', () => {
    const paths = longestPaths(graphOf('r>a a>b b>c c>d d>a'));
    expect(paths.path('r')).toEqual(['r', 'a']);
    expect(paths.path('a')).toEqual(['a']);
  });

  it('crosses a component of more than 64 members only by direct exits', () => {
    const ring = Array.from({ length: 65 }, (_, i) => `k${i}>k${(i + 1) % 65}`).join(' ');
    const paths = longestPaths(graphOf(`${ring} k64>z0 ${chain('z', 2)}`));
    expect(paths.path('k0')).toEqual(['k0']);
    expect(paths.path('k64')).toEqual(['k64', 'z0', 'z1', 'z2']);
  });

  it('crosses a component of 64 members along its inner path', () => {
    const ring = Array.from({ length: 64 }, (_, i) => `k${i}>k${(i + 1) % 64}`).join(' ');
    const paths = longestPaths(graphOf(`${ring} k63>z0 ${chain('z', 2)}`));
    expect(paths.path('k0')).toHaveLength(64 + 3);
    expect(paths.length('k0')).toBe(63 + 3);
  });

  it('chains several cycles, each crossed once', () => {
    const paths = longestPaths(graphOf('a>b b>a,c c>d d>c,e e>f f>e,g'));
    expect(paths.path('a')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('stays linear on a long chain: lengths for every node, a path only when asked for', () => {
    const paths = longestPaths(graphOf(chain('n', 100_000)));
    expect(paths.length('n0')).toBe(100_000);
    expect(paths.length('n99999')).toBe(1);
    expect(paths.path('n0')).toHaveLength(100_001);
  });

  it('knows nothing of nodes outside the graph', () => {
    const paths = longestPaths(graphOf('a>b'));
    expect(paths.length('zz')).toBe(0);
    expect(paths.path('zz')).toEqual(['zz']);
  });

  it('always returns a simple path of real edges, the longest one on an acyclic graph', () => {
    fc.assert(
      fc.property(arbitraryGraph(false), (graph) => {
        const paths = longestPaths(graph);
        for (const node of graph.keys()) {
          const path = paths.path(node);
          expect(path.length - 1).toBe(paths.length(node));
          expect(path[0]).toBe(node);
          expect(isSimplePathOf(graph, path)).toBe(true);
          expect(path.length - 1).toBeLessThanOrEqual(bruteLongest(graph, node));
        }
      }),
    );
    fc.assert(
      fc.property(arbitraryGraph(true), (graph) => {
        const paths = longestPaths(graph);
        for (const node of graph.keys()) expect(paths.length(node)).toBe(bruteLongest(graph, node));
      }),
    );
  });
});

describe('rootComponents', () => {
  it('keeps the components no other component calls, members in key order', () => {
    expect(rootComponents(graphOf('r>a a>b b>a,c q>q,c x>y y>x'))).toEqual(expect.arrayContaining([['r'], ['q'], ['x', 'y']]));
    expect(rootComponents(graphOf('r>a a>b b>a,c q>q,c x>y y>x'))).toHaveLength(3);
  });

  it('is the whole graph for a single cycle, and every node of a graph without edges', () => {
    expect(rootComponents(graphOf('b>c c>a a>b'))).toEqual([['b', 'c', 'a']]);
    expect(rootComponents(graphOf('a b c'))).toEqual([['a'], ['b'], ['c']]);
  });
});

describe('upstream', () => {
  const all = (graph: Digraph, read: (node: string) => unknown) => Object.fromEntries([...graph.keys()].map((n) => [n, read(n)]));

  it('counts and lists, for every node, the other nodes that reach it, in key order', () => {
    const graph = graphOf('a>b b>c c>b,d e>d f');
    const found = upstream(graph);
    expect(all(graph, found.count)).toEqual({ a: 0, b: 2, c: 2, d: 4, e: 0, f: 0 });
    expect(found.nodes('d')).toEqual(['a', 'b', 'c', 'e']);
    expect(found.nodes('b')).toEqual(['a', 'c']);
    expect(found.nodes('d', 2)).toEqual(['a', 'b']);
    expect(found.count('missing')).toBe(0);
    expect(found.nodes('missing')).toEqual([]);
  });

  it('counts each member of a cycle as reaching the others', () => {
    const graph = graphOf('a>b b>c c>a');
    expect(all(graph, upstream(graph).count)).toEqual({ a: 2, b: 2, c: 2 });
  });

  it('agrees with a plain search on random graphs, across word boundaries of the bitsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }).chain((size) => fc.tuple(fc.constant(size), fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 2 }))),
        ([size, edges]) => {
          const graph = new Map<string, string[]>(Array.from({ length: size }, (_, i) => [`n${i}`, []]));
          for (const [a, b] of edges) if (!graph.get(`n${a}`)!.includes(`n${b}`)) graph.get(`n${a}`)!.push(`n${b}`);
          const found = upstream(graph);
          for (const target of graph.keys()) {
            const reaching: string[] = [];
            for (const source of graph.keys()) {
              if (source === target) continue;
              const seen = new Set([source]);
              const queue = [source];
              for (let i = 0; i < queue.length; i++) for (const next of graph.get(queue[i]!)!) if (!seen.has(next)) seen.add(next), queue.push(next);
              if (seen.has(target)) reaching.push(source);
            }
            expect(found.count(target)).toBe(reaching.length);
            expect(found.atMost(target)).toBeGreaterThanOrEqual(reaching.length);
            expect(found.nodes(target)).toEqual(reaching);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
