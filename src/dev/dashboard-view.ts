import type { Finding } from '../lint/rule.js';
import type { SystemModel } from '../model/types.js';
import { renderMermaid } from '../render/graph/mermaid.js';
import { safeId } from '../render/graph/scene.js';

/** What the dashboard page draws that does not change while dev runs. */
export interface DashboardModel {
  readonly system: string;
  /** The graph `taskflow-gen graph` draws; the page adds a class per live state to each node. */
  readonly mermaid: string;
  /** Mermaid node id of each process (services and the gateway). */
  readonly nodeIds: Readonly<Record<string, string>>;
  /** Each service's endpoints, `METHOD /path`, CRUD then declared. */
  readonly endpoints: Readonly<Record<string, readonly string[]>>;
}

export function dashboardModel(model: SystemModel, findings: readonly Finding[]): DashboardModel {
  const nodeIds: Record<string, string> = Object.fromEntries(model.services.map((s) => [s.name, safeId('svc', s.name)]));
  if (model.gateway) nodeIds['gateway'] = 'gateway';
  const endpoints = Object.fromEntries(model.services.map((s) => [s.name, [...new Set([...s.crud, ...s.api].map((e) => e.text))]]));
  return { system: model.name, mermaid: renderMermaid(model, findings), nodeIds, endpoints };
}
