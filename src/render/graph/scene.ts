import type { Finding, FindingEdge } from '../../lint/rule.js';
import type { Service, SystemModel } from '../../model/types.js';

export type SceneNodeKind = 'service' | 'database' | 'gateway';
/** `owns`: service to its database; `route`: gateway to a routed service. */
export type SceneEdgeKind = 'sync' | 'async' | 'owns' | 'route';

export interface SceneNode {
  /** Safe identifier in both Mermaid and DOT. */
  readonly id: string;
  readonly kind: SceneNodeKind;
  /** Label lines; the renderer escapes them and joins them with its line break. */
  readonly lines: readonly string[];
}

export interface SceneCluster {
  readonly id: string;
  readonly label: string;
  readonly nodes: readonly SceneNode[];
}

export interface SceneEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: SceneEdgeKind;
  readonly lines: readonly string[];
  /** Part of a lint finding of severity error. */
  readonly red: boolean;
}

/** The drawing both renderers share, in a fixed order so output is deterministic. */
export interface Scene {
  readonly name: string;
  readonly clusters: readonly SceneCluster[];
  /** Nodes outside every cluster. */
  readonly nodes: readonly SceneNode[];
  readonly edges: readonly SceneEdge[];
}

/** `order-service` with prefix `svc` -> `svc_order_service`; other unsafe characters become their code point. */
export function safeId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, (c) => (c === '-' ? '_' : `_${c.codePointAt(0)!.toString(16)}_`))}`;
}

const gatewayId = 'gateway';

/** Lays out the model as nodes, team clusters and edges; edges of error findings are marked red. */
export function buildScene(model: SystemModel, findings: readonly Finding[]): Scene {
  const isRed = redEdges(findings);
  const serviceNode = (s: Service): SceneNode => ({ id: safeId('svc', s.name), kind: 'service', lines: [s.name, s.runtime] });
  const clustered = new Set<string>();
  const clusters: SceneCluster[] = [];
  for (const team of model.teams) {
    const members = model.services.filter((s) => s.team === team.name);
    if (members.length === 0) continue;
    members.forEach((s) => clustered.add(s.name));
    clusters.push({ id: safeId('team', team.name), label: team.name, nodes: members.map(serviceNode) });
  }
  const nodes: SceneNode[] = [];
  const edges: SceneEdge[] = [];
  if (model.gateway) {
    const gateway = model.gateway;
    nodes.push({ id: gatewayId, kind: 'gateway', lines: ['gateway', `${gateway.kind} :${gateway.port}`] });
    for (const service of model.services) {
      const paths = gateway.routes.filter((r) => r.service === service.name).map((r) => r.path);
      if (paths.length > 0) edges.push({ from: gatewayId, to: safeId('svc', service.name), kind: 'route', lines: paths, red: false });
    }
  }
  nodes.push(...model.services.filter((s) => !clustered.has(s.name)).map(serviceNode));

  const databases = new Map<string, { engines: string[]; owners: string[] }>();
  for (const service of model.services) {
    if (!service.database) continue;
    const entry = databases.get(service.database.name) ?? { engines: [], owners: [] };
    if (!entry.engines.includes(service.database.engine)) entry.engines.push(service.database.engine);
    entry.owners.push(service.name);
    databases.set(service.database.name, entry);
  }
  for (const [name, { engines, owners }] of databases) {
    const id = safeId('db', name);
    nodes.push({ id, kind: 'database', lines: [name, engines.join(' / ')] });
    for (const owner of owners) edges.push({ from: safeId('svc', owner), to: id, kind: 'owns', lines: [], red: false });
  }

  for (const service of model.services) {
    for (const call of service.calls) {
      const red = isRed({ from: call.caller, to: call.callee, kind: 'sync' });
      edges.push({ from: safeId('svc', call.caller), to: safeId('svc', call.callee), kind: 'sync', lines: call.endpoints.map((e) => e.text), red });
    }
  }
  for (const event of model.events) {
    for (const publisher of event.publishers) {
      for (const subscriber of event.subscribers) {
        const red = isRed({ from: publisher, to: subscriber, kind: 'async', event: event.name });
        edges.push({ from: safeId('svc', publisher), to: safeId('svc', subscriber), kind: 'async', lines: [event.name], red });
      }
    }
  }
  return { name: model.name, clusters, nodes, edges };
}

/** A finding edge without an event marks every async edge between its two services. */
function redEdges(findings: readonly Finding[]): (edge: FindingEdge) => boolean {
  const keys = new Set<string>();
  for (const finding of findings) {
    if (finding.severity !== 'error') continue;
    for (const e of finding.edges) keys.add(edgeKey(e.kind, e.from, e.to, e.kind === 'async' ? e.event : undefined));
  }
  return (edge) => keys.has(edgeKey(edge.kind, edge.from, edge.to, undefined)) || (edge.event !== undefined && keys.has(edgeKey(edge.kind, edge.from, edge.to, edge.event)));
}

function edgeKey(kind: string, from: string, to: string, event: string | undefined): string {
  return JSON.stringify([kind, from, to, event ?? null]);
}
