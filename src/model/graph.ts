import type { SystemModel } from './types.js';

/** Directed graph over service names; neighbours in file order, without repeats. */
export type Digraph = ReadonlyMap<string, readonly string[]>;

// Several lint rules ask for the same graphs of the same (immutable) model.
const syncGraphs = new WeakMap<SystemModel, Digraph>();
const asyncGraphs = new WeakMap<SystemModel, Digraph>();
const components = new WeakMap<Digraph, string[][]>();
const componentIndexes = new WeakMap<Digraph, Map<string, number>>();
const reversed = new WeakMap<Digraph, Digraph>();

/** caller -> callees of the synchronous (HTTP) calls. */
export function syncGraph(model: SystemModel): Digraph {
  let graph = syncGraphs.get(model);
  if (!graph) {
    // Calls are keyed by callee in system.yaml, so a service's callees never repeat.
    graph = new Map(model.services.map((service) => [service.name, service.calls.map((c) => c.callee)]));
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
  // Sets keep insertion order: subscribers in the order events and their subscribers are met, without repeats.
  const targets = new Map<string, Set<string>>(model.services.map((s) => [s.name, new Set()]));
  for (const event of model.events) {
    for (const publisher of event.publishers) {
      const set = targets.get(publisher)!;
      for (const subscriber of event.subscribers) set.add(subscriber);
    }
  }
  return new Map([...targets].map(([name, set]) => [name, [...set]]));
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

/** Node -> its component's position in {@link stronglyConnected}. */
function componentIndex(graph: Digraph): Map<string, number> {
  let found = componentIndexes.get(graph);
  if (!found) {
    const built = new Map<string, number>();
    stronglyConnected(graph).forEach((members, i) => members.forEach((m) => built.set(m, i)));
    componentIndexes.set(graph, (found = built));
  }
  return found;
}

function tarjan(graph: Digraph): string[][] {
  // On integer ids and typed arrays: a large system has tens of thousands of nodes and edges.
  const names = [...graph.keys()];
  const id = new Map(names.map((n, i) => [n, i]));
  const targets = names.map((n) => {
    const out: number[] = [];
    for (const t of graph.get(n)!) {
      const i = id.get(t);
      if (i !== undefined) out.push(i);
    }
    return out;
  });
  const count = names.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack = new Int32Array(count);
  let stackSize = 0;
  // The depth-first walk: each frame's node and how many of its targets it has tried.
  const workNode = new Int32Array(count);
  const workNext = new Int32Array(count);
  const components: string[][] = [];
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    workNode[0] = root;
    workNext[0] = 0;
    index[root] = low[root] = counter++;
    stack[stackSize++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const node = workNode[depth]!;
      const out = targets[node]!;
      if (workNext[depth]! < out.length) {
        const target = out[workNext[depth]!++]!;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack[stackSize++] = target;
          onStack[target] = 1;
          depth++;
          workNode[depth] = target;
          workNext[depth] = 0;
        } else if (onStack[target]) {
          low[node] = Math.min(low[node]!, index[target]!);
        }
        continue;
      }
      depth--;
      if (depth >= 0) {
        const parent = workNode[depth]!;
        low[parent] = Math.min(low[parent]!, low[node]!);
      }
      if (low[node] === index[node]) {
        const component: string[] = [];
        let member: number;
        do {
          member = stack[--stackSize]!;
          onStack[member] = 0;
          component.push(names[member]!);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}

/** Every node that calls itself, in the graph's key order. */
export function selfLoops(graph: Digraph): string[] {
  return [...graph.keys()].filter((node) => (graph.get(node) ?? []).includes(node));
}

/** A strongly connected component of two or more nodes, with its elementary loops. */
export interface Tangle {
  /** Members in the graph's key order. */
  readonly members: readonly string[];
  /**
   * Elementary loops of two or more nodes (self-loops are not counted), each
   * listed from its member first in key order, in call order (the edge back
   * to the first node is implied); shortest first, then in key order.
   */
  readonly loops: readonly string[][];
  /** How many loops the tangle has: exact when `complete`, otherwise a lower bound. */
  readonly total: number;
  readonly complete: boolean;
}

/**
 * The tangles of a graph (components of two or more nodes), ordered by their
 * first member in key order, each with up to `limit` of its loops. Loops are
 * enumerated with Johnson's algorithm, stopping after `limit` of them or once
 * they hold {@link loopNodesBudget} nodes, so the work stays bounded however
 * tangled the graph is. When a tangle has more loops than that, the shortest loop through
 * each member (breadth-first, within a budget of edge visits) joins the loops
 * found, so the shortest loops are still among those listed.
 */
export function tangles(graph: Digraph, limit: number): Tangle[] {
  const found: Tangle[] = [];
  // Key order, built only when there is a tangle: most large systems have none.
  let order: Map<string, number> | undefined;
  for (const component of stronglyConnected(graph)) {
    if (component.length < 2) continue;
    order ??= new Map([...graph.keys()].map((n, i) => [n, i]));
    const members = [...component].sort((a, b) => order!.get(a)! - order!.get(b)!);
    // Local indices in key order; inner edges without self-loops, file order kept.
    const local = new Map(members.map((m, i) => [m, i]));
    const edges = members.map((m) => (graph.get(m) ?? []).flatMap((t) => (local.has(t) && t !== m ? [local.get(t)!] : [])));
    const { cycles: loops, stopped } = johnson(edges, limit + 1, loopNodesBudget);
    const complete = !stopped && loops.length <= limit;
    if (!complete) {
      const seen = new Set(loops.map((l) => l.join()));
      for (const loop of shortestLoops(edges, 4 * (members.length + edges.length) + 2_000_000)) {
        if (!seen.has(loop.join())) loops.push(loop);
      }
    }
    loops.sort((a, b) => a.length - b.length || compareIndices(a, b));
    found.push({
      members,
      loops: loops.slice(0, limit).map((loop) => loop.map((i) => members[i]!)),
      total: loops.length,
      complete,
    });
  }
  return found.sort((a, b) => order!.get(a.members[0]!)! - order!.get(b.members[0]!)!);
}

function compareIndices(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Loops are enumerated until their lengths add up to this many nodes: very long loops in a huge tangle stay cheap. */
const loopNodesBudget = 100_000;

/**
 * Elementary cycles of a strongly connected graph on nodes 0..n-1 (Johnson
 * 1975, iterative, in the shape of networkx's simple_cycles): each cycle
 * starts at its smallest node. Stops after `max` cycles, or once the cycles
 * found hold `budget` nodes in all (then `stopped`).
 */
function johnson(edges: readonly (readonly number[])[], max: number, budget: number): { cycles: number[][]; stopped: boolean } {
  const cycles: number[][] = [];
  let held = 0;
  const blocked = new Uint8Array(edges.length);
  const closed = new Uint8Array(edges.length);
  const blockers: Set<number>[] = edges.map(() => new Set());
  const pending: number[][] = [edges.map((_, i) => i)];
  while (pending.length > 0 && cycles.length < max && held < budget) {
    const component = pending.pop()!;
    const start = Math.min(...component);
    const inside = new Uint8Array(edges.length);
    for (const node of component) inside[node] = 1;
    const next = (node: number): number[] => edges[node]!.filter((t) => inside[t] === 1);
    for (const node of component) {
      blocked[node] = 0;
      closed[node] = 0;
      blockers[node]!.clear();
    }
    const path = [start];
    const stack: { node: number; targets: number[]; at: number }[] = [{ node: start, targets: next(start), at: 0 }];
    blocked[start] = 1;
    while (stack.length > 0 && cycles.length < max && held < budget) {
      const frame = stack[stack.length - 1]!;
      if (frame.at < frame.targets.length) {
        const target = frame.targets[frame.at++]!;
        if (target === start) {
          cycles.push([...path]);
          held += path.length;
          for (const node of path) closed[node] = 1;
        } else if (!blocked[target]) {
          path.push(target);
          stack.push({ node: target, targets: next(target), at: 0 });
          closed[target] = 0;
          blocked[target] = 1;
        }
        continue;
      }
      if (closed[frame.node]) {
        const unblock = [frame.node];
        while (unblock.length > 0) {
          const node = unblock.pop()!;
          if (!blocked[node]) continue;
          blocked[node] = 0;
          unblock.push(...blockers[node]!);
          blockers[node]!.clear();
        }
      } else {
        for (const target of frame.targets) blockers[target]!.add(frame.node);
      }
      stack.pop();
      path.pop();
    }
    // The rest of the component without `start`: its tangles hold the remaining cycles.
    const rest = new Map<string, string[]>();
    for (const node of component) {
      if (node !== start) rest.set(String(node), edges[node]!.filter((t) => inside[t] === 1 && t !== start).map(String));
    }
    for (const sub of tarjan(rest)) if (sub.length > 1) pending.push(sub.map(Number));
  }
  return { cycles, stopped: held >= budget };
}

/**
 * The shortest cycle through each node of a strongly connected graph
 * (breadth-first), each starting at its smallest node, until `budget` edge
 * visits are spent.
 */
function shortestLoops(edges: readonly (readonly number[])[], budget: number): number[][] {
  const loops: number[][] = [];
  const previous = new Int32Array(edges.length);
  const queue = new Int32Array(edges.length);
  for (let start = 0; start < edges.length && budget > 0; start++) {
    previous.fill(-1);
    queue[0] = start;
    let closing = -1;
    for (let head = 0, tail = 1; head < tail && closing < 0; head++) {
      const at = queue[head]!;
      for (const target of edges[at]!) {
        budget--;
        if (target === start) {
          closing = at;
          break;
        }
        if (previous[target]! >= 0) continue;
        previous[target] = at;
        queue[tail++] = target;
      }
    }
    if (closing < 0) continue;
    const loop: number[] = [];
    for (let at = closing; at !== start; at = previous[at]!) loop.push(at);
    loop.push(start);
    loop.reverse();
    const first = loop.indexOf(Math.min(...loop));
    loops.push([...loop.slice(first), ...loop.slice(0, first)]);
  }
  return loops;
}

/**
 * Components up to this size are crossed along shortest inner paths (one
 * breadth-first search per member); larger ones only by their direct exits,
 * which keeps the work near-linear however tangled a system is.
 */
const crossingLimit = 64;

/** The answer of {@link longestPaths}. */
export interface LongestPaths {
  /** Calls (edges) on the longest path from `node`; 0 for a node not in the graph. */
  length(node: string): number;
  /** That path, `node` first; a fresh array on every call. */
  path(node: string): string[];
}

/**
 * For every node, one longest simple path starting there over the
 * condensation of the graph: inside its strongly connected component the path
 * may run, along a shortest (breadth-first, hence simple) inner path, from the
 * node to a member that calls out of the component, then it leaves and never
 * comes back. A path never ends inside a cycle it could not leave (cycles as
 * such are another rule's business). On an acyclic graph this is plainly the
 * longest path; ties go to the first callee in file order, and inside a
 * component to the nearest exit. Linear in the size of the graph, plus the
 * searches inside components of at most {@link crossingLimit} members; a path
 * is only spelled out when asked for, as spelling out every one of them would
 * be quadratic on a long chain.
 */
export function longestPaths(graph: Digraph): LongestPaths {
  const components = stronglyConnected(graph);
  const componentOf = componentIndex(graph);
  // Per node: the total length, the node outside its component the path goes to next, and (only when the path
  // first runs inside the component) the inner path from the node to the member it leaves from, both included.
  const length = new Map<string, number>();
  const exitTo = new Map<string, string>();
  const inner = new Map<string, string[]>();
  // Reverse topological order: every target outside a component is answered before the component.
  components.forEach((members, c) => {
    // Direct exits first: the first callee in file order among the longest.
    for (const node of members) {
      let best: string | undefined;
      let bestLength = 0;
      for (const target of graph.get(node) ?? []) {
        const other = componentOf.get(target);
        if (other === undefined || other === c) continue;
        const candidate = 1 + length.get(target)!;
        if (candidate > bestLength) {
          best = target;
          bestLength = candidate;
        }
      }
      if (best !== undefined) exitTo.set(node, best);
      length.set(node, bestLength);
    }
    if (members.length === 1 || members.length > crossingLimit) return;
    // Members by local index, inner edges as local indices (file order kept), one breadth-first search per member.
    const local = new Map(members.map((m, i) => [m, i]));
    const innerEdges = members.map((m) => (graph.get(m) ?? []).flatMap((t) => (local.has(t) && t !== m ? [local.get(t)!] : [])));
    const exitLength = members.map((m) => length.get(m)!);
    const exitTarget = members.map((m) => exitTo.get(m));
    const distance = new Int32Array(members.length);
    const previous = new Int32Array(members.length);
    const queue = new Int32Array(members.length);
    members.forEach((source, s) => {
      // The first member reached with the longest total wins: the nearest exit among equals.
      distance.fill(-1);
      distance[s] = 0;
      queue[0] = s;
      let leaveFrom = -1;
      let bestLength = 0;
      for (let head = 0, tail = 1; head < tail; head++) {
        const at = queue[head]!;
        if (exitLength[at]! > 0 && distance[at]! + exitLength[at]! > bestLength) {
          leaveFrom = at;
          bestLength = distance[at]! + exitLength[at]!;
        }
        for (const next of innerEdges[at]!) {
          if (distance[next]! >= 0) continue;
          distance[next] = distance[at]! + 1;
          previous[next] = at;
          queue[tail++] = next;
        }
      }
      // No exit at all, or its own direct exit: already recorded.
      if (leaveFrom < 0 || leaveFrom === s) return;
      const path: string[] = [];
      for (let at = leaveFrom; at !== s; at = previous[at]!) path.push(members[at]!);
      path.push(source);
      inner.set(source, path.reverse());
      exitTo.set(source, exitTarget[leaveFrom]!);
      length.set(source, bestLength);
    });
  });
  return {
    length: (node) => length.get(node) ?? 0,
    path(node) {
      if (!graph.has(node)) return [node];
      const path: string[] = [];
      for (let at: string | undefined = node; at !== undefined; at = exitTo.get(at)) {
        const run = inner.get(at);
        if (run) path.push(...run);
        else path.push(at);
      }
      return path;
    },
  };
}

/**
 * The components no other component calls (a node's calls to its own
 * component, self-loops included, do not count), in the order of
 * {@link stronglyConnected}; members in the graph's key order.
 */
export function rootComponents(graph: Digraph): string[][] {
  const components = stronglyConnected(graph);
  const componentOf = componentIndex(graph);
  const called = new Uint8Array(components.length);
  for (const [from, targets] of graph) {
    const own = componentOf.get(from);
    for (const to of targets) {
      const c = componentOf.get(to);
      if (c !== undefined && c !== own) called[c] = 1;
    }
  }
  let order: Map<string, number> | undefined;
  const roots: string[][] = [];
  components.forEach((members, i) => {
    if (called[i]) return;
    if (members.length === 1) return void roots.push([...members]);
    order ??= new Map([...graph.keys()].map((n, k) => [n, k]));
    roots.push([...members].sort((a, b) => order!.get(a)! - order!.get(b)!));
  });
  return roots;
}

/** The answer of {@link upstream}. */
export interface Upstream {
  /** How many other nodes reach `node`; 0 for a node not in the graph. */
  count(node: string): number;
  /** Those nodes (the first `limit` of them when given), in the graph's key order; a fresh array on every call. */
  nodes(node: string, limit?: number): string[];
}

/**
 * For every node, the other nodes that can reach it: the services that stop
 * working, directly or through a chain, when it is down. One bitset per
 * component of the condensation, each the union of its callers' sets, keeps
 * this near-linear for large systems; counting and listing read the bitset.
 * A set spans only the words between its lowest and highest member (nodes
 * are numbered in the graph's key order, and callers tend to sit together),
 * which on a large system halves the words to join and count.
 */
export function upstream(graph: Digraph): Upstream {
  // The components of the graph are those of its reverse; walked from the last, callers come before their callees.
  const components = stronglyConnected(graph);
  const componentOf = componentIndex(graph);
  const nodes = [...graph.keys()];
  const bit = new Map(nodes.map((n, i) => [n, i]));
  const incoming = reverse(graph);
  // Per component: its set's words, and the index of its first word.
  const reach: Uint32Array[] = [];
  const first = new Int32Array(components.length);
  for (let i = components.length - 1; i >= 0; i--) {
    const members = components[i]!;
    let low = Infinity;
    let high = -1;
    for (const member of members) {
      const word = bit.get(member)! >>> 5;
      low = Math.min(low, word);
      high = Math.max(high, word + 1);
      for (const caller of incoming.get(member) ?? []) {
        const c = componentOf.get(caller)!;
        if (c === i) continue;
        low = Math.min(low, first[c]!);
        high = Math.max(high, first[c]! + reach[c]!.length);
      }
    }
    const set = new Uint32Array(high - low);
    for (const member of members) {
      const b = bit.get(member)!;
      set[(b >>> 5) - low]! |= 1 << (b & 31);
      for (const caller of incoming.get(member) ?? []) {
        const c = componentOf.get(caller)!;
        if (c === i) continue;
        const other = reach[c]!;
        const offset = first[c]! - low;
        for (let w = 0; w < other.length; w++) set[offset + w]! |= other[w]!;
      }
    }
    reach[i] = set;
    first[i] = low;
  }
  return {
    count(node) {
      const c = componentOf.get(node);
      return c === undefined ? 0 : popcount(reach[c]!) - 1;
    },
    nodes(node, limit = Infinity) {
      const c = componentOf.get(node);
      const found: string[] = [];
      if (c === undefined) return found;
      const set = reach[c]!;
      for (let w = 0; w < set.length && found.length < limit; w++) {
        for (let bits = set[w]!; bits !== 0 && found.length < limit; bits &= bits - 1) {
          const name = nodes[(first[c]! + w) * 32 + 31 - Math.clz32(bits & -bits)]!;
          if (name !== node) found.push(name);
        }
      }
      return found;
    },
  };
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
