import { formatDiagnostic } from '../../../diagnostics/diagnostic.js';
import { lint } from '../../../lint/lint.js';
import type { Finding } from '../../../lint/rule.js';
import { loadSystem } from '../../../load.js';
import type { SystemModel } from '../../../model/types.js';

/** Loads a system.yaml snippet (adding `version` and `name` when missing); throws with the diagnostics if it is invalid. */
export function loadModel(yaml: string): SystemModel {
  const text = (/^version:/m.test(yaml) ? '' : 'version: 1\n') + (/^name:/m.test(yaml) ? '' : 'name: test\n') + yaml;
  const loaded = loadSystem(text, 'system.yaml');
  if (!loaded.ok) throw new Error(`snippet does not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  return loaded.model;
}

/** The model and the findings of the registered lint rules, as the graph command sees them. */
export function modelAndFindings(yaml: string): { model: SystemModel; findings: readonly Finding[] } {
  const model = loadModel(yaml);
  return { model, findings: lint(model).findings };
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
    calls:
      product: ['GET /products/{id}', GET /products]
      payment: [POST /payments]
    publishes: [OrderPlaced]
    subscribes: [PaymentConfirmed]
  payment:
    runtime: python
    database: { name: payments, engine: mysql }
    calls:
      order-service: ['GET /orders/{id}']
    publishes: [PaymentConfirmed]
    subscribes: [OrderPlaced]
  product:
    database: orders
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
