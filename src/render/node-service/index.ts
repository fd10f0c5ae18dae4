import { stringify } from 'yaml';
import type { Service } from '../../model/types.js';
import type { RenderContext, Target, TargetTree } from '../target.js';
import { renderServiceEvents } from './events.js';
import { tsLiteral } from './literal.js';
import { camel } from '../service/names.js';
import { openapiDocument } from '../service/openapi.js';
import { nodeServiceView, type NodeServiceView } from './view.js';

const dir = 'node-service';

/**
 * Every `runtime: node` service as a Fastify service in strict TypeScript:
 * generator-owned plumbing (database and migrations, CRUD, clients, events,
 * observability, Dockerfile) and, created once and then the user's, one
 * handler per declared endpoint and per consumed event, and a start-up hook. The output root gets
 * an npm workspace over every Node.js folder, so one `npm install` serves
 * them all while each folder stays buildable on its own.
 */
const target: Target = {
  name: 'node-service',
  runtime: 'node',
  render(context, tree) {
    const services = context.model.services.filter((s) => s.runtime === 'node');
    for (const service of services) renderService(context, service, tree);
    const folders = [...services.map((s) => `services/${s.name}`), ...(context.model.gateway?.kind === 'node' ? ['gateway'] : [])];
    if (folders.length > 0) tree.generated('package.json', `${JSON.stringify(workspace(context.model.name, folders), null, 2)}\n`);
  },
};

export default target;

function renderService(context: RenderContext, service: Service, tree: TargetTree): void {
  const view = nodeServiceView(context.model, service);
  const put = (path: string, template: string, data: object = view) => tree.generated(`${view.dir}/${path}`, context.templates.render(`${dir}/${template}`, data));
  tree.generated(`${view.dir}/package.json`, `${JSON.stringify(view.packageJson, null, 2)}\n`);
  put('tsconfig.json', 'tsconfig.json');
  put('Dockerfile', 'Dockerfile');
  put('.dockerignore', 'dockerignore');
  const document = openapiDocument(context.model.name, service);
  // No anchors and aliases: tools that read OpenAPI do not all resolve them; reuse goes through `$ref`.
  tree.generated(`${view.dir}/openapi.yaml`, stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
  tree.generated(`${view.dir}/src/openapi.ts`, `/** The OpenAPI document of this service, also in openapi.yaml. */\nexport const openapi = ${tsLiteral(document)};\n`);
  for (const file of ['main', 'config', 'app', 'context', 'observability/context', 'observability/logger', 'observability/metrics', 'db/database', 'db/postgres', 'db/pglite', 'db/migrate', 'http/errors', 'routes/common', 'routes/operational']) {
    put(`src/${file}.ts`, `src/${file}.ts`);
  }
  for (const entity of view.entities) {
    put(`src/entities/${entity.file}.ts`, 'src/entities/entity.ts', entity);
    if (entity.hasCrud) put(`src/routes/${entity.file}.ts`, 'src/routes/entity.ts', entity);
  }
  if (view.handlers.length > 0) {
    put('src/http/api.ts', 'src/http/api.ts');
    put('src/routes/api.ts', 'src/routes/api.ts');
  }
  tree.user(`${view.dir}/src/handlers/on-start.ts`, context.templates.render(`${dir}/src/handlers/on-start.ts`, view));
  for (const handler of view.handlers) {
    tree.user(`${view.dir}/src/handlers/${handler.file}.ts`, context.templates.render(`${dir}/src/handlers/api-handler.ts`, { ...handler, clients: view.clients.length > 0 }));
  }
  if (view.clients.length > 0) {
    put('src/clients/http.ts', 'src/clients/http.ts');
    put('src/clients/index.ts', 'src/clients/index.ts');
    for (const client of view.clients) put(`src/clients/${client.file}.ts`, 'src/clients/client.ts', client);
  }
  renderEvents(context, service, view, tree);
  put('test/service.test.ts', 'test/service.test.ts');
  renderContracts(context, view, tree);
}

/** The service's contract tests (see contracts.ts): generated tests, and the user-owned extensions.ts they read. */
function renderContracts(context: RenderContext, view: NodeServiceView, tree: TargetTree): void {
  const contracts = { ...view.contracts, system: view.system };
  if (!contracts.any) return;
  const put = (path: string, template: string, data: object = contracts) =>
    tree.generated(`${view.dir}/test/contracts/${path}`, context.templates.render(`${dir}/test/contracts/${template}`, data));
  put('support.ts', 'support.ts');
  tree.user(`${view.dir}/test/contracts/extensions.ts`, context.templates.render(`${dir}/test/contracts/extensions.ts`, contracts));
  for (const consumer of contracts.consumers) put(`${consumer.file}.test.ts`, 'consumer.test.ts', { ...consumer, clientProperty: camel(consumer.provider) });
  if (contracts.provider) put('provider.test.ts', 'provider.test.ts', { ...contracts, consumersLiteral: tsLiteral(contracts.provider.consumers) });
  if (contracts.published.length > 0 || contracts.consumed.length > 0) put('events.test.ts', 'events.test.ts');
  // One process for the whole suite (node --test starts one per file, and each would start its own embedded database).
  const consumers = contracts.consumers.map((c) => `${c.file}.test.js`);
  const rest = [...(contracts.provider ? ['provider.test.js'] : []), ...(contracts.published.length > 0 || contracts.consumed.length > 0 ? ['events.test.js'] : [])];
  if (consumers.length > 0) put('consumers.ts', 'suite.ts', { service: view.service, what: 'consumer tests', modules: consumers });
  put('all.ts', 'suite.ts', { service: view.service, what: 'contract tests', modules: [...(consumers.length > 0 ? ['consumers.js'] : []), ...rest] });
}

function renderEvents(context: RenderContext, service: Service, view: NodeServiceView, tree: TargetTree): void {
  if (!view.usesBroker) return;
  tree.generated(`${view.dir}/src/events/envelope.ts`, context.templates.render(`${dir}/src/events/envelope.ts`, view));
  renderServiceEvents(context, service, tree);
  if (view.subscriptions.length === 0) return;
  tree.generated(`${view.dir}/src/events/subscriptions.ts`, context.templates.render(`${dir}/src/events/subscriptions.ts`, view));
  for (const subscription of view.subscriptions) {
    tree.user(`${view.dir}/src/handlers/${subscription.file}.ts`, context.templates.render(`${dir}/src/handlers/event-handler.ts`, subscription));
  }
}

function workspace(system: string, folders: readonly string[]): object {
  return {
    name: system,
    private: true,
    description: `Every Node.js service of ${system}: one \`npm install\` here installs them all.`,
    workspaces: folders,
    scripts: {
      build: 'npm run build --workspaces',
      // Consumers first: their tests write the pact files the providers' tests verify.
      test: 'npm run test:consumer --workspaces --if-present && npm test --workspaces',
      'test:contracts': 'npm run test:consumer --workspaces --if-present && npm run test:contracts --workspaces --if-present',
    },
  };
}
