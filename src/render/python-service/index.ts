import type { Service } from '../../model/types.js';
import { openapiDocument } from '../service/openapi.js';
import type { RenderContext, Target, TargetTree } from '../target.js';
import { pyContractsView, type PyContractsView } from './contracts.js';
import { renderPythonEvents } from './events.js';
import { requirementLines } from '../python/versions.js';
import { pythonServiceView } from './view.js';

const dir = 'python-service';

const packages: Record<string, string> = {
  'app/core': 'Settings, logging, metrics, errors and the request middleware.',
  'app/db': 'The PostgreSQL database: connection pool, transactions and migrations.',
  'app/models': 'Request and response models of the entities (pydantic).',
  'app/repositories': 'SQL of the entities, one repository each.',
  'app/api': 'The HTTP API: route modules and their dependencies.',
  'app/handlers': 'Hand-written handlers: each module is created once by taskflow-gen and then yours.',
};

/**
 * Every `runtime: python` service as a FastAPI service: generator-owned
 * plumbing (settings, PostgreSQL through psycopg with the same migration files
 * as a Node.js service, CRUD, clients, observability, Dockerfile, tests) and,
 * created once and then the user's, one handler per declared endpoint.
 * From outside it answers like a Node.js service of the same system.yaml.
 */
const target: Target = {
  name: 'python-service',
  runtime: 'python',
  render(context, tree) {
    for (const service of context.model.services.filter((s) => s.runtime === 'python')) renderService(context, service, tree);
  },
};

export default target;

function renderService(context: RenderContext, service: Service, tree: TargetTree): void {
  const base = pythonServiceView(context.model, service);
  const contracts = pyContractsView(context.model, service, base.clients, base.database);
  // The contract tests need pact-python beside the service's own dev tools.
  const view = { ...base, contracts, devRequirements: requirementLines(['dev', ...(base.events ? (['schemaTypes'] as const) : []), ...(contracts.any ? (['contracts'] as const) : [])]) };
  const put = (path: string, template: string, data: object = view) => tree.generated(`${view.dir}/${path}`, context.templates.render(`${dir}/${template}`, data));
  for (const file of ['requirements.txt', 'requirements-dev.txt', 'pyproject.toml', 'Dockerfile']) put(file, file);
  put('.dockerignore', 'dockerignore');
  tree.generated(`${view.dir}/app/openapi.json`, `${JSON.stringify(openapiDocument(context.model.name, service), null, 2)}\n`);
  for (const file of ['__init__', '__main__', 'main', 'context', 'api/routes/__init__', 'core/config', 'core/correlation', 'core/logging', 'core/metrics', 'core/middleware', 'core/errors', 'models/types', 'api/deps', 'api/routes/operational']) {
    put(`app/${file}.py`, `app/${file}.py`);
  }
  const inits = Object.entries(packages).filter(([pkg]) => (pkg !== 'app/db' || view.database) && (pkg !== 'app/repositories' || view.entities.length > 0));
  for (const [pkg, doc] of inits) put(`${pkg}/__init__.py`, 'package.py', { doc });
  if (view.database) for (const file of ['db/database', 'db/migrate']) put(`app/${file}.py`, `app/${file}.py`);
  for (const entity of view.entities) {
    put(`app/models/${entity.module}.py`, 'app/models/entity.py', entity);
    put(`app/repositories/${entity.module}.py`, 'app/repositories/entity.py', entity);
    if (entity.hasCrud) put(`app/api/routes/${entity.resource}.py`, 'app/api/routes/entity.py', entity);
  }
  if (view.handlers.length > 0) put('app/api/routes/api.py', 'app/api/routes/api.py');
  for (const handler of view.handlers) tree.user(`${view.dir}/app/handlers/${handler.module}.py`, context.templates.render(`${dir}/app/handlers/api-handler.py`, handler));
  if (view.clients.length > 0) {
    put('app/clients/__init__.py', 'app/clients/__init__.py');
    for (const file of ['http', 'breaker']) put(`app/clients/${file}.py`, `app/clients/${file}.py`);
    for (const client of view.clients) put(`app/clients/${client.attr}.py`, 'app/clients/client.py', client);
    put('tests/test_clients.py', 'tests/test_clients.py');
  }
  renderPythonEvents(context, service, tree);
  put('tests/conftest.py', 'tests/conftest.py');
  put('tests/test_service.py', 'tests/test_service.py');
  if (contracts.any) renderContracts(context, view.dir, { ...contracts, system: view.system, database: view.database, databaseIdent: view.databaseIdent, hasClients: view.clients.length > 0 }, tree);
}

/** tests/contracts/: the generated consumer, provider and event tests, their support, and extensions.py (the user's). */
function renderContracts(context: RenderContext, dir: string, view: PyContractsView & { readonly system: string; readonly database: boolean; readonly databaseIdent: string; readonly hasClients: boolean }, tree: TargetTree): void {
  const path = (file: string) => `${dir}/tests/contracts/${file}`;
  const render = (template: string, data: object = view) => context.templates.render(`python-service/tests/contracts/${template}`, data);
  tree.generated(path('__init__.py'), render('__init__.py'));
  tree.generated(path('support.py'), render('support.py'));
  if (view.served) tree.generated(path('conftest.py'), render('conftest.py'));
  if (view.hasEvents) tree.generated(path('test_events.py'), render('test_events.py'));
  if (view.provider) tree.generated(path('test_provider.py'), render('test_provider.py'));
  for (const consumer of view.consumers) tree.generated(path(`${consumer.module}.py`), render('test_consumer.py', { ...consumer, consumer: view.service }));
  tree.user(path('extensions.py'), render('extensions.py'));
}
