import { serviceIndex } from './lookup.js';
import type { SystemModel } from './types.js';

/** Directed graph over service names; neighbours in file order, without repeats. */
export type Digraph = ReadonlyMap<string, readonly string[]>;

/**
 * A {@link Digraph} on integer ids, which the graph algorithms below walk:
 * node `i` is the graph's `i`-th key, and its targets (those that are nodes of
 * the graph, in list order) are `targets[start[i]]` up to `targets[start[i + 1]]`
 * (excluded). A large system has tens of thousands of nodes and edges; walking
 * string-keyed maps and arrays costs several times more, much of it garbage.
 */
export interface IdGraph {
  readonly names: readonly string[];
  readonly id: ReadonlyMap<string, number>;
  readonly start: Int32Array;
  readonly targets: Int32Array;
}

/** Strongly connected components with their members as ids: those of component `c` are `members[first[c]]` up to `members[first[c + 1]]`. */
interface Condensation {
  readonly components: string[][];
  /** Node id -> its component's position in `components`. */
  readonly of: Int32Array;
  readonly members: Int32Array;
  readonly first: Int32Array;
}

// Several lint rules ask for the same graphs of the same (immutable) model.
const syncGraphs = new WeakMap<SystemModel, Digraph>();
const asyncGraphs = new WeakMap<SystemModel, Digraph>();
const idGraphs = new WeakMap<Digraph, IdGraph>();
const idReversed = new WeakMap<Digraph, IdGraph>();
const condensations = new WeakMap<Digraph, Condensation>();

/** caller -> callees of the synchronous (HTTP) calls. */
export function syncGraph(model: SystemModel): Digraph {
  let graph = syncGraphs.get(model);
  if (!graph) {
    // Calls are keyed by callee in system.yaml, so a service's callees never repeat.
    const idOf = ids(model);
    graph = new Map(model.services.map((service) => [service.name, service.calls.map((c) => c.callee)]));
    idGraphs.set(graph, fromLists([...graph.keys()], serviceIndex(model), model.services.map((s) => s.calls.map((c) => idOf(c.callee)))));
    syncGraphs.set(model, graph);
  }
  return graph;
}

/** publisher -> subscribers, through any event. */
export function asyncGraph(model: SystemModel): Digraph {
  let graph = asyncGraphs.get(model);
  if (!graph) {
    const lists = asyncTargets(model, ids(model));
    const names = model.services.map((s) => s.name);
    graph = new Map(names.map((name, i) => [name, lists[i]!.map((j) => names[j]!)]));
    idGraphs.set(graph, fromLists(names, serviceIndex(model), lists));
    asyncGraphs.set(model, graph);
  }
  return graph;
}

/** A service's id (its position in the file); a loaded model names no other service (references are checked before). */
function ids(model: SystemModel): (name: string) => number {
  const index = serviceIndex(model);
  return (name) => {
    const id = index.get(name);
    if (id === undefined) throw new Error(`the model names unknown service '${name}'`);
    return id;
  };
}

/** Per service (by id): the subscribers of the events it publishes, in the order events and their subscribers are met, without repeats. */
function asyncTargets(model: SystemModel, idOf: (name: string) => number): number[][] {
  // Per publisher, the events it publishes in the order of `events`; then its subscribers, each marked once.
  const eventsOf: number[][] = model.services.map(() => []);
  const subscribers = model.events.map((event, e) => {
    for (const publisher of event.publishers) eventsOf[idOf(publisher)]!.push(e);
    return event.subscribers.map(idOf);
  });
  const mark = new Int32Array(model.services.length).fill(-1);
  return eventsOf.map((events, p) => {
    const out: number[] = [];
    for (const e of events) {
      for (const s of subscribers[e]!) {
        if (mark[s] === p) continue;
        mark[s] = p;
        out.push(s);
      }
    }
    return out;
  });
}

/** The graph on integer ids (see {@link IdGraph}); built once per graph. */
export function idGraph(graph: Digraph): IdGraph {
  let found = idGraphs.get(graph);
  if (!found) idGraphs.set(graph, (found = indexGraph(graph)));
  return found;
}

function indexGraph(graph: Digraph): IdGraph {
  const names = [...graph.keys()];
  const id = new Map(names.map((n, i) => [n, i]));
  const lists = names.map((n) => {
    const out: number[] = [];
    for (const t of graph.get(n)!) {
      const i = id.get(t);
      if (i !== undefined) out.push(i);
    }
    return out;
  });
  return fromLists(names, id, lists);
}

function fromLists(names: readonly string[], id: ReadonlyMap<string, number>, lists: readonly (readonly number[])[]): IdGraph {
  const start = new Int32Array(names.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = start[i]! + lists[i]!.length;
  const targets = new Int32Array(start[names.length]!);
  for (let i = 0; i < lists.length; i++) targets.set(lists[i]!, start[i]!);
  return { names, id, start, targets };
}

/** The reverse of {@link idGraph}: each node's sources, in key order. */
export function idReverse(graph: Digraph): IdGraph {
  let found = idReversed.get(graph);
  if (!found) {
    const { names, id, start, targets } = idGraph(graph);
    const into = new Int32Array(names.length + 1);
    for (let e = 0; e < targets.length; e++) into[targets[e]! + 1]!++;
    for (let i = 0; i < names.length; i++) into[i + 1]! += into[i]!;
    const sources = new Int32Array(targets.length);
    const at = into.slice(0, names.length);
    for (let from = 0; from < names.length; from++) {
      for (let e = start[from]!; e < start[from + 1]!; e++) sources[at[targets[e]!]!++] = from;
    }
    idReversed.set(graph, (found = { names, id, start: into, targets: sources }));
  }
  return found;
}

/**
 * Strongly connected components (Tarjan, iterative so deep graphs cannot
 * overflow the stack), in reverse topological order: a component comes before
 * every component that reaches it.
 */
export function stronglyConnected(graph: Digraph): string[][] {
  return condensation(graph).components;
}

function condensation(graph: Digraph): Condensation {
  let found = condensations.get(graph);
  if (!found) condensations.set(graph, (found = tarjan(idGraph(graph))));
  return found;
}

function tarjan({ names, start, targets }: IdGraph): Condensation {
  const count = names.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack = new Int32Array(count);
  let stackSize = 0;
  // The depth-first walk: each frame's node and the position of the next of its targets to try.
  const workNode = new Int32Array(count);
  const workNext = new Int32Array(count);
  const components: string[][] = [];
  const of = new Int32Array(count);
  const members = new Int32Array(count);
  const first = new Int32Array(count + 1);
  let placed = 0;
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    workNode[0] = root;
    workNext[0] = start[root]!;
    index[root] = low[root] = counter++;
    stack[stackSize++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const node = workNode[depth]!;
      if (workNext[depth]! < start[node + 1]!) {
        const target = targets[workNext[depth]!++]!;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack[stackSize++] = target;
          onStack[target] = 1;
          depth++;
          workNode[depth] = target;
          workNext[depth] = start[target]!;
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
        const c = components.length;
        let member: number;
        do {
          member = stack[--stackSize]!;
          onStack[member] = 0;
          component.push(names[member]!);
          of[member] = c;
          members[placed++] = member;
        } while (member !== node);
        components.push(component);
        first[c + 1] = placed;
      }
    }
  }
  return { components, of, members, first: first.subarray(0, components.length + 1) };
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
    for (const sub of tarjan(indexGraph(rest)).components) if (sub.length > 1) pending.push(sub.map(Number));
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
  const { names, id, start, targets } = idGraph(graph);
  const { of, members, first } = condensation(graph);
  // Per node: the total length, the node outside its component the path goes to next (-1: none), and (only when
  // the path first runs inside the component) the inner path from the node to the member it leaves from, both included.
  const length = new Int32Array(names.length);
  const exitTo = new Int32Array(names.length).fill(-1);
  const inner = new Map<number, number[]>();
  // Reverse topological order: every target outside a component is answered before the component.
  for (let c = 0; c + 1 < first.length; c++) {
    // Direct exits first: the first callee in file order among the longest.
    for (let k = first[c]!; k < first[c + 1]!; k++) {
      const node = members[k]!;
      let best = -1;
      let bestLength = 0;
      for (let e = start[node]!; e < start[node + 1]!; e++) {
        const target = targets[e]!;
        if (of[target] === c) continue;
        const candidate = 1 + length[target]!;
        if (candidate > bestLength) {
          best = target;
          bestLength = candidate;
        }
      }
      exitTo[node] = best;
      length[node] = bestLength;
    }
    const size = first[c + 1]! - first[c]!;
    if (size === 1 || size > crossingLimit) continue;
    // Members by local index, inner edges as local indices (file order kept), one breadth-first search per member.
    const component = Array.from(members.subarray(first[c]!, first[c + 1]!));
    const local = new Map(component.map((m, i) => [m, i]));
    const innerEdges = component.map((m) => {
      const out: number[] = [];
      for (let e = start[m]!; e < start[m + 1]!; e++) {
        const t = local.get(targets[e]!);
        if (t !== undefined && targets[e] !== m) out.push(t);
      }
      return out;
    });
    const exitLength = component.map((m) => length[m]!);
    const exitTarget = component.map((m) => exitTo[m]!);
    const distance = new Int32Array(size);
    const previous = new Int32Array(size);
    const queue = new Int32Array(size);
    component.forEach((source, s) => {
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
      const path: number[] = [];
      for (let at = leaveFrom; at !== s; at = previous[at]!) path.push(component[at]!);
      path.push(source);
      inner.set(source, path.reverse());
      exitTo[source] = exitTarget[leaveFrom]!;
      length[source] = bestLength;
    });
  }
  return {
    length(node) {
      const at = id.get(node);
      return at === undefined ? 0 : length[at]!;
    },
    path(node) {
      const from = id.get(node);
      if (from === undefined) return [node];
      const path: string[] = [];
      for (let at = from; at >= 0; at = exitTo[at]!) {
        const run = inner.get(at);
        if (run) for (const m of run) path.push(names[m]!);
        else path.push(names[at]!);
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
  const { names, start, targets } = idGraph(graph);
  const { components, of, members, first } = condensation(graph);
  const called = new Uint8Array(components.length);
  for (let from = 0; from < names.length; from++) {
    const own = of[from];
    for (let e = start[from]!; e < start[from + 1]!; e++) {
      const c = of[targets[e]!]!;
      if (c !== own) called[c] = 1;
    }
  }
  const roots: string[][] = [];
  components.forEach((component, i) => {
    if (called[i]) return;
    if (component.length === 1) return void roots.push([...component]);
    const ids = members.slice(first[i]!, first[i + 1]!).sort();
    roots.push(Array.from(ids, (m) => names[m]!));
  });
  return roots;
}

/** The answer of {@link upstream}. */
export interface Upstream {
  /** How many other nodes reach `node`; 0 for a node not in the graph. */
  count(node: string): number;
  /** A bound that {@link count} never exceeds, read without counting. */
  atMost(node: string): number;
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
  const { names, id } = idGraph(graph);
  const { components, of, members, first: firstMember } = condensation(graph);
  const incoming = idReverse(graph);
  const { start, targets } = incoming;
  // Per component: its set's words, and the index of its first word.
  const reach: Uint32Array[] = [];
  const first = new Int32Array(components.length);
  for (let i = components.length - 1; i >= 0; i--) {
    let low = Infinity;
    let high = -1;
    for (let k = firstMember[i]!; k < firstMember[i + 1]!; k++) {
      const member = members[k]!;
      const word = member >>> 5;
      low = Math.min(low, word);
      high = Math.max(high, word + 1);
      for (let e = start[member]!; e < start[member + 1]!; e++) {
        const c = of[targets[e]!]!;
        if (c === i) continue;
        low = Math.min(low, first[c]!);
        high = Math.max(high, first[c]! + reach[c]!.length);
      }
    }
    const set = new Uint32Array(high - low);
    for (let k = firstMember[i]!; k < firstMember[i + 1]!; k++) {
      const b = members[k]!;
      set[(b >>> 5) - low]! |= 1 << (b & 31);
      for (let e = start[b]!; e < start[b + 1]!; e++) {
        const c = of[targets[e]!]!;
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
      const at = id.get(node);
      return at === undefined ? 0 : popcount(reach[of[at]!]!) - 1;
    },
    atMost(node) {
      const at = id.get(node);
      // The set's words hold the node itself and at most 32 nodes each.
      return at === undefined ? 0 : reach[of[at]!]!.length * 32 - 1;
    },
    nodes(node, limit = Infinity) {
      const at = id.get(node);
      const found: string[] = [];
      if (at === undefined) return found;
      const c = of[at]!;
      const set = reach[c]!;
      for (let w = 0; w < set.length && found.length < limit; w++) {
        for (let bits = set[w]!; bits !== 0 && found.length < limit; bits &= bits - 1) {
          const other = (first[c]! + w) * 32 + 31 - Math.clz32(bits & -bits);
          if (other !== at) found.push(names[other]!);
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
