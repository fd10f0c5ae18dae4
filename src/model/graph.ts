import type { SystemModel } from './types.js';

/** Directed graph over service names; neighbours in file order, without repeats. */
export type Digraph = ReadonlyMap<string, readonly string[]>;

// Several lint rules ask for the same graphs of the same (immutable) model.
const syncGraphs = new WeakMap<SystemModel, Digraph>();
const asyncGraphs = new WeakMap<SystemModel, Digraph>();
const components = new WeakMap<Digraph, string[][]>();
const reversed = new WeakMap<Digraph, Digraph>();

/** caller -> callees of the synchronous (HTTP) calls. */
export function syncGraph(model: SystemModel): Digraph {
  let graph = syncGraphs.get(model);
  if (!graph) {
    graph = new Map(model.services.map((service) => [service.name, [...new Set(service.calls.map((c) => c.callee))]]));
    syncGraphs.set(model, graph);
  }
  return graph;
}

/** publisher -> subscribers, through any event. */
export function asyncGraph(model: SystemModel): Digraph {
  let graph = asyncGraphs.get(model);
  if (!graph) {
    graph = buildAsyncGraph(model);
    asyncGraphs.set(model, graph);
  }
  return graph;
}

function buildAsyncGraph(model: SystemModel): Digraph {
  const graph = new Map<string, string[]>(model.services.map((s) => [s.name, []]));
  for (const event of model.events) {
    for (const publisher of event.publishers) {
      const targets = graph.get(publisher)!;
      for (const subscriber of event.subscribers) if (!targets.includes(subscriber)) targets.push(subscriber);
    }
  }
  return graph;
}

/** The reverse graph: callee -> callers. */
export function reverse(graph: Digraph): Digraph {
  let out = reversed.get(graph);
  if (!out) {
    const built = new Map<string, string[]>([...graph.keys()].map((n) => [n, []]));
    for (const [from, targets] of graph) for (const to of targets) built.get(to)?.push(from);
    reversed.set(graph, (out = built));
  }
  return out;
}

/**
 * Strongly connected components (Tarjan, iterative so deep graphs cannot
 * overflow the stack), in reverse topological order: a component comes before
 * every component that reaches it.
 */
export function stronglyConnected(graph: Digraph): string[][] {
  let found = components.get(graph);
  if (!found) components.set(graph, (found = tarjan(graph)));
  return found;
}

function tarjan(graph: Digraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = graph.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * One cycle through `start` inside its component, as the list of nodes in
 * call order (the edge back to `start` is implied). Breadth-first, so it is a
 * shortest such cycle.
 */
export function cycleThrough(graph: Digraph, start: string, component: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next) || (next === node && component.size > 1)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

/**
 * The cycles of a graph: every self-loop, and one shortest cycle of two or
 * more nodes per strongly connected component that has one.
 */
export function cycles(graph: Digraph): string[][] {
  const found: string[][] = [];
  const order = [...graph.keys()];
  const position = new Map(order.map((n, i) => [n, i]));
  for (const node of order) if ((graph.get(node) ?? []).includes(node)) found.push([node]);
  for (const component of stronglyConnected(graph)) {
    if (component.length === 1) continue;
    const start = component.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
    found.push(cycleThrough(graph, start, new Set(component)));
  }
  return found.sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)! || a.length - b.length);
}

/**
 * For every node, one longest simple path starting there, following edges
 * whose target is not in the same strongly connected component (cycles are
 * another rule's business) — linear in the size of the graph.
 */
export function longestPaths(graph: Digraph): Map<string, string[]> {
  const components = stronglyConnected(graph);
  const componentOf = new Map<string, number>();
  components.forEach((members, i) => members.forEach((m) => componentOf.set(m, i)));
  const next = new Map<string, string | undefined>();
  const length = new Map<string, number>();
  // Reverse topological order: every target's answer is known before its sources.
  for (const members of components) {
    for (const node of members) {
      let best: string | undefined;
      let bestLength = 0;
      for (const target of graph.get(node) ?? []) {
        if (!graph.has(target) || componentOf.get(target) === componentOf.get(node)) continue;
        const candidate = 1 + length.get(target)!;
        if (candidate > bestLength) {
          best = target;
          bestLength = candidate;
        }
      }
      next.set(node, best);
      length.set(node, bestLength);
    }
  }
  const paths = new Map<string, string[]>();
  for (const node of graph.keys()) {
    const path = [node];
    for (let at = next.get(node); at !== undefined; at = next.get(at)) path.push(at);
    paths.set(node, path);
  }
  return paths;
}

/**
 * For every node, how many other nodes can reach it: the services that stop
 * working, directly or through a chain, when it is down. Bitsets over the
 * condensation keep this near-linear for large systems.
 */
export function upstreamCounts(graph: Digraph): Map<string, number> {
  const components = stronglyConnected(reverse(graph));
  const componentOf = new Map<string, number>();
  components.forEach((members, i) => members.forEach((m) => componentOf.set(m, i)));
  const nodes = [...graph.keys()];
  const bit = new Map(nodes.map((n, i) => [n, i]));
  const words = Math.ceil(nodes.length / 32);
  const reach: Uint32Array[] = [];
  const incoming = reverse(graph);
  // In the reversed graph, reverse topological order means a component's callers' sets are complete before it.
  components.forEach((members, i) => {
    const set = new Uint32Array(words);
    for (const member of members) {
      const b = bit.get(member)!;
      set[b >>> 5]! |= 1 << (b & 31);
      for (const caller of incoming.get(member) ?? []) {
        const c = componentOf.get(caller)!;
        if (c === i) continue;
        const other = reach[c]!;
        for (let w = 0; w < words; w++) set[w]! |= other[w]!;
      }
    }
    reach[i] = set;
  });
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node, popcount(reach[componentOf.get(node)!]!) - 1);
  return counts;
}

function popcount(set: Uint32Array): number {
  let total = 0;
  for (let v of set) {
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return total;
}
