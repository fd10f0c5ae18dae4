import type { K8sObject } from './kubernetes.js';

/**
 * A small NetworkPolicy evaluator, following the semantics of the Kubernetes
 * docs (networking.k8s.io/v1): a pod is isolated for a direction when any
 * policy selecting it lists that direction; an isolated pod allows a
 * connection when some rule of a selecting policy matches both the peer and
 * the port; a connection happens when the source's egress AND the
 * destination's ingress allow it. Unsupported constructs (ipBlock, named
 * policy ports) throw, so a policy this cannot judge fails the test.
 */

export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly protocol: string }[];
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: unknown;
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string; protocol?: string; endPort?: number }[];
}

interface Policy {
  readonly namespace: string;
  readonly podSelector: Selector;
  readonly types: readonly ('Ingress' | 'Egress')[];
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

/** The pods the Deployments and StatefulSets of a namespace run, labelled as their templates say. */
export function podsOf(objects: readonly K8sObject[], namespace: string): Pod[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map((o) => ({
      name: o.metadata.name,
      namespace,
      labels: o.spec.template.metadata.labels as Record<string, string>,
      ports: (o.spec.template.spec.containers as { ports?: { containerPort: number; protocol?: string }[] }[]).flatMap((c) =>
        (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })),
      ),
    }));
}

export function policiesOf(objects: readonly K8sObject[], namespace: string): Policy[] {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((o) => {
      const spec = o.spec as { podSelector: Selector; policyTypes?: ('Ingress' | 'Egress')[]; ingress?: Rule[]; egress?: Rule[] };
      const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      return { namespace, podSelector: spec.podSelector, types, ingress: spec.ingress ?? [], egress: spec.egress ?? [] };
    });
}

export function selects(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    const ok =
      operator === 'In' ? has && values.includes(labels[key]!) :
      operator === 'NotIn' ? !has || !values.includes(labels[key]!) :
      operator === 'Exists' ? has :
      operator === 'DoesNotExist' ? !has :
      fail(`unknown selector operator ${operator}`);
    if (!ok) return false;
  }
  return true;
}

function fail(message: string): never {
  throw new Error(message);
}

/** Labels of each namespace, as the API server sets them (kubernetes.io/metadata.name). */
function namespaceLabels(namespace: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': namespace };
}

function peerMatches(peer: Peer, policyNamespace: string, pod: Pod): boolean {
  if (peer.ipBlock !== undefined) fail('ipBlock peers are not supported by this evaluator');
  if (peer.namespaceSelector === undefined && peer.podSelector === undefined) fail('a peer needs a selector');
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(pod.namespace)) : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? selects(peer.podSelector, pod.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(rule: Rule, port: { port: number; protocol: string }): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    if (typeof p.port === 'string') fail('named ports in policies are not supported by this evaluator');
    if ((p.protocol ?? 'TCP') !== port.protocol) return false;
    if (p.port === undefined) return true;
    return p.endPort !== undefined ? port.port >= p.port && port.port <= p.endPort : port.port === p.port;
  });
}

function allowed(policies: readonly Policy[], subject: Pod, peer: Pod, port: { port: number; protocol: string }, direction: 'Ingress' | 'Egress'): boolean {
  const selecting = policies.filter((p) => p.namespace === subject.namespace && p.types.includes(direction) && selects(p.podSelector, subject.labels));
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (direction === 'Ingress' ? policy.ingress : policy.egress).some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, policy.namespace, peer));
      return peerOk && portMatches(rule, port);
    }),
  );
}

/**
 * Every connection the policies allow between the given pods, as
 * `source -> destination:port/protocol`, for each port the destination
 * listens on. Pairs where neither end is in `governed` (no policy of ours
 * applies) are left out, and so are connections of a pod to itself.
 */
export function allowedConnections(policies: readonly Policy[], pods: readonly Pod[], governed: string): string[] {
  const found: string[] = [];
  for (const source of pods) {
    for (const destination of pods) {
      if (source === destination || (source.namespace !== governed && destination.namespace !== governed)) continue;
      for (const port of destination.ports) {
        if (allowed(policies, source, destination, port, 'Egress') && allowed(policies, destination, source, port, 'Ingress')) {
          found.push(`${source.name} -> ${destination.name}:${port.port}/${port.protocol}`);
        }
      }
    }
  }
  return found.sort();
}
