import { readdirSync, readFileSync } from 'node:fs';
import { formatDiagnostic } from '../../../../src/diagnostics/diagnostic.js';
import { lint } from '../../../../src/lint/lint.js';
import type { Finding, FindingEdge } from '../../../../src/lint/rule.js';
import sharedDatabase from '../../../../src/lint/rules/shared-database.js';
import syncCycle from '../../../../src/lint/rules/sync-cycle.js';
import { loadSystem } from '../../../../src/load.js';
import type { SystemModel } from '../../../../src/model/types.js';
import { safeId } from '../../../../src/render/graph/scene.js';

/** Loads a system.yaml snippet (adding `version` and `name` when missing); throws with the diagnostics if it is invalid. */
export function loadModel(yaml: string): SystemModel {
  const text = (/^version:/m.test(yaml) ? '' : 'version: 1\n') + (/^name:/m.test(yaml) ? '' : 'name: test\n') + yaml;
  const loaded = loadSystem(text, 'system.yaml');
  if (!loaded.ok) throw new Error(`snippet does not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  return loaded.model;
}

/**
 * The model and the findings of sync-cycle and shared-database only, so the
 * expected red edges do not move when other rules are added or tuned.
 */
export function modelAndFindings(yaml: string): { model: SystemModel; findings: readonly Finding[] } {
  const model = loadModel(yaml);
  return { model, findings: lint(model, [syncCycle, sharedDatabase]).findings };
}

/**
 * Gateway, teams, a shared database, a sync cycle (order-service <-> payment,
 * an error) next to a plain sync call (order-service -> product), and events
 * with several subscribers.
 */
export const shopYaml = `
name: shop
gateway:
  routes:
    - { path: /orders, service: order-service }
    - { path: /products, service: product }
teams:
  checkout: [order-service, payment]
  catalog: [product]
services:
  order-service:
    database: orders
    api: ['GET /orders/{id}']
    calls:
      product: ['GET /products/{id}', GET /products]
      payment: [POST /payments]
    publishes: [OrderPlaced]
    subscribes: [PaymentConfirmed]
  payment:
    runtime: python
    database: { name: payments, engine: mysql }
    api: [POST /payments]
    calls:
      order-service: ['GET /orders/{id}']
    publishes: [PaymentConfirmed]
    subscribes: [OrderPlaced]
  product:
    database: orders
    api: ['GET /products/{id}', GET /products]
    subscribes: [OrderPlaced]
  search:
    subscribes: [OrderPlaced]
events:
  OrderPlaced: { orderId: string }
  PaymentConfirmed: { orderId: string }
`;

/** Endpoint text the schema would reject today, to prove labels are escaped should it ever get through. */
export const nastyEndpoint = 'GET /a/{id}?q="x"&y=<z>#frag\\n|`]';

/** The same model with every endpoint of every call replaced by `nastyEndpoint`. */
export function withNastyEndpoints(model: SystemModel): SystemModel {
  return {
    ...model,
    services: model.services.map((s) => ({
      ...s,
      calls: s.calls.map((c) => ({ ...c, endpoints: c.endpoints.map((e) => ({ ...e, text: nastyEndpoint })) })),
    })),
  };
}

const examplesDir = new URL('../../../../examples/', import.meta.url);

/** Every system under examples/, with the findings of every registered lint rule. */
export function exampleSystems(): { name: string; model: SystemModel; findings: readonly Finding[] }[] {
  const names = readdirSync(examplesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return names.map((name) => {
    const model = loadModel(readFileSync(new URL(`${name}/system.yaml`, examplesDir), 'utf8'));
    return { name, model, findings: lint(model).findings };
  });
}

/**
 * Whether an edge between two drawn nodes (ids, not names) belongs to an
 * error finding: the independent statement of when an edge must be red.
 */
export function isErrorEdge(findings: readonly Finding[], drawn: FindingEdge): boolean {
  return findings.some(
    (f) =>
      f.severity === 'error' &&
      f.edges.some((e) => safeId('svc', e.from) === drawn.from && safeId('svc', e.to) === drawn.to && e.kind === drawn.kind && (e.kind === 'sync' || e.event === undefined || e.event === drawn.event)),
  );
}
