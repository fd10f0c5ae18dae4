import type { Call, Endpoint, EventDef, Service, SystemModel } from '../../model/types.js';
import { envName, kebab } from '../../shared/naming.js';
import { pinned, type NodePackage } from '../node/versions.js';
import { crudTarget, type CrudKind } from '../service/crud.js';
import { overrideKeys } from '../service/entities.js';
import { uuidSchema } from '../service/fields.js';
import { camel, isIdParam, operationName, pathParams } from '../service/names.js';
import { contractsView, type ContractsView } from './contracts.js';
import { brokerPackages } from './events.js';
import { entityView, type EntityView } from './entities.js';
import { tsType } from './fields.js';
import { tsLiteral } from './literal.js';
import { fastifyPath, pascal } from './names.js';
import { servicesByName } from '../../model/lookup.js';

/** A route served by a hand-written handler: a declared `api` endpoint, or a CRUD one it overrides. */
export interface HandlerView {
  readonly text: string;
  readonly method: string;
  readonly url: string;
  /** `post-orders-by-id-cancel`: the handler's file under src/handlers/. */
  readonly file: string;
  /** `postOrdersByIdCancel`: the name it is imported under. */
  readonly name: string;
  /** `{ id: string }` or `Record<string, never>`. */
  readonly paramsType: string;
  /** JSON Schema of the path parameters: `idParams`, a literal, or '' without any. */
  readonly paramsSchema: string;
}

export interface EventView {
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly tsType: string; readonly optional: boolean }[];
}

export interface SubscriptionView {
  readonly event: string;
  /** `on-order-created`, the handler's file under src/handlers/. */
  readonly file: string;
  readonly name: string;
}

export interface ClientMethodView {
  readonly text: string;
  readonly name: string;
  readonly method: string;
  /** Template literal of the path, e.g. `/products/${encodeURIComponent(id)}`. */
  readonly path: string;
  /** Parameters of the method, e.g. `id: string, body: ProductInput`. */
  readonly signature: string;
  readonly returns: string;
  readonly hasBody: boolean;
  readonly idempotent: boolean;
  /** A GET by id: the entity type, and 404 resolves to undefined instead of failing. */
  readonly find: string | false;
}

export interface ClientView {
  readonly callee: string;
  /** `product`: property in the handlers' `ctx.clients`. */
  readonly property: string;
  readonly className: string;
  readonly file: string;
  readonly env: string;
  readonly methods: readonly ClientMethodView[];
  /** Entity types of the callee its methods use, declared in the client's module. */
  readonly types: readonly { readonly name: string; readonly inputType: string; readonly usedAsInput: boolean; readonly fields: EntityView['fields'] }[];
  /** The call's policy as a TypeScript literal. */
  readonly policy: string;
}

export interface NodeServiceView {
  readonly system: string;
  readonly service: string;
  readonly description: string;
  readonly dir: string;
  readonly port: number;
  readonly entities: readonly EntityView[];
  readonly handlers: readonly HandlerView[];
  /** The JSON Schema of an entity id, as a TypeScript literal (routes/common.ts). */
  readonly idSchema: string;
  /** Whether routes/api.ts uses the `idParams` schema of routes/common.ts. */
  readonly handlersUseIdParams: boolean;
  readonly clients: readonly ClientView[];
  readonly events: readonly EventView[];
  readonly publishes: readonly string[];
  readonly subscriptions: readonly SubscriptionView[];
  readonly usesBroker: boolean;
  /** Whether config.ts needs its `required()` helper. */
  readonly needsRequired: boolean;
  readonly packageJson: object;
  readonly contracts: ContractsView;
}

export function nodeServiceView(model: SystemModel, service: Service): NodeServiceView {
  const overrides = overrideKeys(service.overrides);
  const usesBroker = model.broker !== 'none' && (service.publishes.length > 0 || service.subscribes.length > 0);
  const eventNames = new Set([...service.publishes, ...service.subscribes].map((e) => e.event));
  const services = servicesByName(model);
  const handlers = [...service.overrides, ...service.api].map(handlerView);
  const clients = service.calls.map((call) => clientView(call, services.get(call.callee)!));
  const contracts = contractsView(model, service, clients);
  return {
    system: model.name,
    service: service.name,
    description: service.description ?? `The ${service.name} service of ${model.name}`,
    dir: `services/${service.name}`,
    port: service.port,
    entities: service.entities.map((e) => entityView(e, overrides)),
    handlers,
    idSchema: tsLiteral(uuidSchema),
    handlersUseIdParams: handlers.some((h) => h.paramsSchema === 'idParams'),
    clients,
    events: model.events.filter((e) => eventNames.has(e.name)).map(eventView),
    publishes: usesBroker ? service.publishes.map((e) => e.event) : [],
    subscriptions: (usesBroker ? service.subscribes : []).map(({ event }) => ({ event, file: `on-${kebab(event)}`, name: camel(`on-${kebab(event)}`) })),
    usesBroker,
    needsRequired: usesBroker || service.calls.length > 0,
    packageJson: packageJson(model, service, usesBroker, contracts),
    contracts,
  };
}

function handlerView(endpoint: Endpoint): HandlerView {
  const file = operationName(endpoint);
  const params = pathParams(endpoint.path);
  return {
    text: endpoint.text,
    method: endpoint.method.toLowerCase(),
    url: fastifyPath(endpoint.path),
    file,
    name: camel(file),
    paramsType: params.length === 0 ? 'Record<string, never>' : `{ ${params.map((p) => `readonly ${p}: string`).join('; ')} }`,
    paramsSchema: paramsSchemaOf(params),
  };
}

// `id` alone is routes/common.ts's idParams.
function paramsSchemaOf(params: readonly string[]): string {
  if (params.length === 0) return '';
  if (params.length === 1 && params[0] === 'id') return 'idParams';
  const schema = (p: string) => (isIdParam(p) ? uuidSchema : { type: 'string' });
  return tsLiteral({ type: 'object', required: params, properties: Object.fromEntries(params.map((p) => [p, schema(p)])) });
}

function eventView(event: EventDef): EventView {
  return { name: event.name, fields: event.fields.map((f) => ({ name: f.name, tsType: tsType(f), optional: f.optional })) };
}

function clientView(call: Call, callee: Service): ClientView {
  const entities = callee.entities.map((e) => ({ entity: e, view: entityView(e, new Set()) }));
  const used = new Set<string>();
  const inputs = new Set<string>();
  const methods = call.endpoints.map((endpoint): ClientMethodView => {
    const params = pathParams(endpoint.path);
    const path = endpoint.path.replace(/\{([^}]+)\}/g, (_, p: string) => `\${encodeURIComponent(${camel(p)})}`);
    const target = crudTarget(endpoint, callee);
    const crud = target && entities.find(({ entity }) => entity === target.entity);
    const kind = target?.kind;
    if (crud && kind && kind !== 'remove') used.add(crud.entity.name);
    if (crud && (kind === 'create' || kind === 'update')) inputs.add(crud.entity.name);
    const name = kind && crud ? crudMethodName(kind, crud.entity.name, crud.view.repository) : camel(operationName(endpoint));
    const hasBody = endpoint.method === 'POST' || endpoint.method === 'PUT' || endpoint.method === 'PATCH';
    const bodyType = kind && crud && (kind === 'create' || kind === 'update') ? crud.view.inputType : 'unknown';
    const signature = [...params.map((p) => `${camel(p)}: string`), ...(hasBody ? [`body: ${bodyType}`] : [])].join(', ');
    const entityType = crud?.entity.name;
    const returns =
      kind === 'get' ? `${entityType} | undefined` : kind === 'list' ? `${entityType}[]` : kind === 'create' || kind === 'update' ? entityType! : kind === 'remove' ? 'void' : 'unknown';
    return {
      text: endpoint.text,
      name,
      method: endpoint.method,
      path: params.length > 0 ? `\`${path}\`` : `'${path}'`,
      signature,
      returns,
      hasBody,
      idempotent: endpoint.method !== 'POST' && endpoint.method !== 'PATCH',
      find: kind === 'get' ? entityType! : false,
    };
  });
  return {
    callee: callee.name,
    property: camel(callee.name),
    className: `${pascal(callee.name)}Client`,
    file: callee.name,
    env: `${envName(callee.name)}_URL`,
    methods,
    types: entities
      .filter(({ entity }) => used.has(entity.name))
      .map(({ entity, view }) => ({ name: entity.name, inputType: view.inputType, usedAsInput: inputs.has(entity.name), fields: view.fields })),
    policy: tsLiteral({ timeoutMs: call.timeoutMs, retries: call.retries, circuitBreaker: call.circuitBreaker }),
  };
}

function crudMethodName(kind: CrudKind, entity: string, repository: string): string {
  const names: Record<CrudKind, string> = { create: `create${entity}`, list: `list${pascal(repository)}`, get: `get${entity}`, update: `update${entity}`, remove: `delete${entity}` };
  return names[kind];
}

function packageJson(model: SystemModel, service: Service, usesBroker: boolean, contracts: ContractsView): object {
  const runtime: NodePackage[] = ['fastify', 'ajv', 'ajv-formats', 'pino', 'prom-client', 'pg', '@electric-sql/pglite'];
  if (service.calls.length > 0) runtime.push('cockatiel');
  if (usesBroker && model.broker !== 'none') runtime.push(...brokerPackages(model.broker));
  return {
    name: `${model.name}-${service.name}`,
    version: '0.1.0',
    description: service.description ?? `The ${service.name} service of ${model.name}`,
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc',
      // `npm install && npm start` starts it (PRODUCT.md); images run `node dist/src/main.js` directly.
      prestart: 'tsc',
      start: 'node dist/src/main.js',
      typecheck: 'tsc --noEmit',
      test: contracts.any ? 'node --test dist/test/*.test.js dist/test/contracts/all.js' : 'node --test dist/test/*.test.js',
      ...(contracts.any && { 'test:contracts': 'node --test dist/test/contracts/all.js' }),
      ...(contracts.consumers.length > 0 && { 'test:consumer': 'node --test dist/test/contracts/consumers.js' }),
    },
    dependencies: pinned(runtime),
    devDependencies: pinned(['typescript', '@types/node', '@types/pg', ...(contracts.any ? (['@pact-foundation/pact'] as const) : [])]),
  };
}
