import type { Call, Endpoint, Entity, Field, Service, SystemModel } from '../../model/types.js';
import { envName, kebab } from '../../shared/naming.js';
import { crudTarget, type CrudKind } from '../service/crud.js';
import { entityBase, overrideKeys, sampleOf } from '../service/entities.js';
import { isJson } from '../service/fields.js';
import { isIdParam, operationName, pathParams, snake } from '../service/names.js';
import { pythonVersion, requirementLines } from '../python/versions.js';
import { storeOf } from '../runtime-view.js';
import { pythonEventRequirements } from './event-packages.js';
import { pythonBroker } from './events.js';
import { lineLength, pyAssignment, pyCall, pyCollection, pyDef, pyImported, pyLiteral, pyName, pyString, pyType, pyWrapped, valueTypesOf } from './python.js';

export interface PyFieldView {
  /** The JSON name (as in system.yaml): `assigneeId`. */
  readonly name: string;
  /** The attribute: `assignee_id`. */
  readonly attr: string;
  /** `assignee_id: UUID | None = Field(default=None, alias="assigneeId")` in the input model. */
  readonly inputDecl: string;
  /** The same, required (the stored entity always has every key, null when unset). */
  readonly outputDecl: string;
  /** The driver parameter for `data.<attr>`. */
  readonly param: string;
}

export interface PyEntityView {
  readonly name: string;
  readonly inputType: string;
  /** `order_line`: module under app/models/ and app/repositories/. */
  readonly module: string;
  /** `order_lines`: module under app/api/routes/ and the repository's attribute on the context. */
  readonly resource: string;
  readonly repositoryClass: string;
  readonly path: string;
  readonly table: string;
  readonly fields: readonly PyFieldView[];
  /** `_COLUMNS = '"id", ...'`, the select list. */
  readonly columnsLiteral: string;
  readonly insertColumns: string;
  readonly insertValues: string;
  readonly updateSet: string;
  /** The parameter tuples of INSERT and UPDATE, with their trailing comma, wrapped as ruff format would. */
  readonly createParams: string;
  readonly updateParams: string;
  readonly article: string;
  /** A valid body for POST, as a Python literal (the service's own tests send it). */
  readonly sample: string;
  readonly crud: { readonly create: boolean; readonly list: boolean; readonly get: boolean; readonly update: boolean; readonly remove: boolean };
  readonly hasCrud: boolean;
  readonly hasItem: boolean;
  /** What the model module imports. */
  readonly modelImports: ModelImports;
  readonly needsJsonb: boolean;
  /** A field value its column cannot store (NUL in text, an integer beyond 32 bits) and the 400's message, for the service's tests. */
  readonly unstorable?: { readonly body: string; readonly message: string };
  /** The `async def` lines of its CRUD routes (app/api/routes/) and repository methods, wrapped as ruff format wraps them. */
  readonly defs: {
    readonly createRoute: string;
    readonly replaceRoute: string;
    readonly create: string;
    readonly update: string;
  };
  /** The repository's list query: `rows = await self._db.fetch_all(...)`. */
  readonly listQuery: string;
}

interface ModelImports {
  readonly datetime: string;
  readonly typing: string;
  readonly uuid: boolean;
  readonly field: boolean;
  /** Names imported from app/models/types.py. */
  readonly types: string;
}

export interface PyHandlerView {
  readonly text: string;
  readonly method: string;
  /** FastAPI's path: the same as system.yaml's. */
  readonly path: string;
  /** `post_orders_by_id_cancel`: module under app/handlers/. */
  readonly module: string;
  /** `router.add_api_route(...)` of the endpoint, wrapped as ruff format wraps it. */
  readonly route: string;
  /** The placeholder's `return JSONResponse(...)` (501), likewise. */
  readonly notImplemented: string;
  /** The handler's parameters after `ctx`, e.g. `id: UUID`. */
  readonly params: string;
  readonly usesUuid: boolean;
  readonly usesPath: boolean;
  /** Whether it imports from the standard library (a blank line then follows). */
  readonly usesStdlib: boolean;
}

export interface PyClientMethodView {
  readonly text: string;
  readonly name: string;
  /** `async def name(self, ...) -> Returns:`, wrapped as ruff format wraps it. */
  readonly definition: string;
  readonly returns: string;
  readonly hasBody: boolean;
  /** How the answer becomes the return value: `User.model_validate(answer)`, a list of those, `answer` or nothing. */
  readonly convert: string;
  /** `await self.http.request(...)` (or `.find(...)` for a GET of one), the body sent as JSON, wrapped as ruff format wraps it. */
  readonly call: string;
  readonly find: boolean;
}

export interface PyClientView {
  readonly callee: string;
  /** `user`: attribute on `ctx.clients`, module under app/clients/. */
  readonly attr: string;
  readonly className: string;
  readonly env: string;
  /** The pydantic-settings field holding its URL: `user_url`. */
  readonly setting: string;
  readonly methods: readonly PyClientMethodView[];
  readonly types: readonly { readonly name: string; readonly fields: readonly PyFieldView[]; readonly input: boolean; readonly inputType: string; readonly imports: ModelImports }[];
  readonly usesUuid: boolean;
  readonly usesQuote: boolean;
  /** Imports of the module: `typing` names, `datetime` names, whether it needs pydantic's Field and Timestamp. */
  readonly typing: string;
  readonly datetime: string;
  readonly typesNeedField: boolean;
  /** Names imported from app/models/types.py. */
  readonly valueTypes: string;
  readonly timeout: string;
  readonly retries: number;
  readonly breaker: string;
  readonly hasBreaker: boolean;
}

export interface PythonServiceView {
  readonly system: string;
  readonly service: string;
  readonly description: string;
  readonly dir: string;
  readonly port: number;
  readonly pythonVersion: string;
  /** Where ruff (lint and format) wraps lines. */
  readonly lineLength: number;
  /** Whether it keeps data in PostgreSQL (entities, or an outbox/inbox for its events): DATABASE_URL is then required. */
  readonly database: boolean;
  /**
   * Whether handlers get the database (`ctx.db`, `ctx.transaction()`): when the service owns one, or publishes
   * (through the outbox, in a transaction). A subscriber that owns none keeps only its inbox there, written by
   * the consumer in the transaction its handlers get as `tx`.
   */
  readonly contextDatabase: boolean;
  readonly databaseName: string;
  readonly entities: readonly PyEntityView[];
  /** Whether tests/test_service.py tests CRUD: an entity whose create is generated (its tests start by creating one). */
  readonly crudTests: boolean;
  /** The same, by module name (the order of their imports). */
  readonly sortedEntities: readonly PyEntityView[];
  readonly handlers: readonly PyHandlerView[];
  readonly clients: readonly PyClientView[];
  readonly usesBroker: boolean;
  readonly publishes: readonly string[];
  readonly subscribes: readonly string[];
  /** Whether app/events/ is rendered, and started by the lifespan. */
  readonly events: boolean;
  /** Route modules under app/api/routes/, in the order the app includes them. */
  readonly routers: readonly string[];
  /** The same, sorted, as `from app.api.routes import ...` lists them. */
  readonly routerImports: string;
  readonly requirements: readonly string[];
  readonly devRequirements: readonly string[];
  /** The handler modules, sorted, as `from app.handlers import ...` lists them. */
  readonly handlerImports: string;
  /** What app/context.py offers, for its docstring: `repositories, transactions, clients and a logger`. */
  readonly contextContents: string;
  /** Arguments of Context(...) in the lifespan. */
  readonly contextArgs: string;
  /** The docstring of create_app, when it takes what replaces a connection (the broker, the clients); else empty. */
  readonly appDoc: string;
  /** `(arguments)` of Settings in the service's tests. */
  readonly testSettings: string;
  /** The database name as a Python identifier part, for the tests' database. */
  readonly databaseIdent: string;
}

/** Everything the python-service templates print for one service, decided here rather than in the templates. */
export function pythonServiceView(model: SystemModel, service: Service): PythonServiceView {
  const overrides = overrideKeys(service.overrides);
  const usesBroker = model.broker !== 'none' && (service.publishes.length > 0 || service.subscribes.length > 0);
  const broker = usesBroker ? pythonBroker(model.broker) : undefined;
  const services = new Map(model.services.map((s) => [s.name, s]));
  const database = service.database !== undefined || service.entities.length > 0 || usesBroker;
  const contextDatabase = service.database !== undefined || service.entities.length > 0 || (broker !== undefined && service.publishes.length > 0);
  const entities = service.entities.map((e) => pyEntityView(e, overrides));
  const handlers = [...service.overrides, ...service.api].map(handlerView);
  const clients = service.calls.map((call) => clientView(call, services.get(call.callee)!));
  const databaseName = storeOf(service, model.broker)?.name ?? service.name;
  const routers = ['operational', ...entities.filter((e) => e.hasCrud).map((e) => e.resource), ...(handlers.length > 0 ? ['api'] : [])];
  return {
    system: model.name,
    service: service.name,
    description: service.description ?? `The ${service.name} service of ${model.name}`,
    dir: `services/${service.name}`,
    port: service.port,
    pythonVersion,
    lineLength,
    database,
    contextDatabase,
    databaseName,
    entities,
    crudTests: entities.some((e) => e.crud.create),
    sortedEntities: [...entities].sort((a, b) => (a.module < b.module ? -1 : 1)),
    handlers,
    clients,
    usesBroker,
    publishes: broker ? service.publishes.map((e) => e.event) : [],
    subscribes: broker ? service.subscribes.map((e) => e.event) : [],
    events: broker !== undefined,
    routers,
    routerImports: pyImported('app.api.routes', [...routers].sort()),
    requirements: byName([...new Set([...requirementLines(['service']), ...(broker ? pythonEventRequirements(broker) : [])])]),
    devRequirements: requirementLines(['dev', ...(broker ? (['schemaTypes'] as const) : [])]),
    handlerImports: pyImported('app.handlers', handlers.map((h) => h.module).sort()),
    contextContents: listed([...(entities.length > 0 ? ['repositories'] : []), ...(contextDatabase ? ['transactions'] : []), ...(clients.length > 0 ? ['clients'] : []), 'a logger']),
    contextArgs: [...(contextDatabase ? ['db'] : []), ...(clients.length > 0 ? ['callees'] : [])].join(', '),
    appDoc: appDoc(broker !== undefined, clients.length > 0),
    testSettings: pyWrapped(
      '(',
      [
        ...(database ? ['database_url=database_url'] : []),
        ...(usesBroker ? [`broker_url=os.environ.get("BROKER_URL", "${model.broker === 'nats' ? 'nats://127.0.0.1:4222' : 'amqp://guest:guest@127.0.0.1:5672'}")`] : []),
        ...clients.map((c) => `${c.setting}="http://127.0.0.1:9"`),
      ],
      ')',
      '    ',
      'return Settings',
    ),
    databaseIdent: snake(databaseName).replace(/[^a-z0-9_]/g, '_'),
  };
}

function pyEntityView(entity: Entity, overrides: ReadonlySet<string>): PyEntityView {
  const base = entityBase(entity, overrides);
  const fields = entity.fields.map(fieldView);
  const crud = base.crud;
  return {
    name: entity.name,
    inputType: `${entity.name}Input`,
    module: snake(kebab(entity.name)),
    resource: snake(entity.resource),
    repositoryClass: `${entity.name}Repository`,
    path: base.path,
    table: base.table,
    fields,
    columnsLiteral: pyAssignment('_COLUMNS', `'${base.selectList}'`).slice('_COLUMNS = '.length),
    insertColumns: base.insertColumns,
    insertValues: ['%s', ...fields.map(() => '%s')].join(', '),
    updateSet: base.columns.map((c) => `${c.column} = %s`).join(', '),
    createParams: `${pyCollection('(', ['id or uuid4()', ...fields.map((f) => f.param)], ')', '            ', '', ',')},`,
    updateParams: `${pyCollection('(', [...fields.map((f) => f.param), 'id'], ')', '            ', '', ',')},`,
    article: base.article,
    sample: pyCollection(
      '{',
      entity.fields.map((f) => `${pyString(f.name)}: ${pyLiteral(sampleOf(f))}`),
      '}',
      '    ',
      'sample: ClassVar[dict[str, Any]] = ',
    ),
    crud,
    hasCrud: base.hasCrud,
    hasItem: crud.get || crud.update || crud.remove,
    modelImports: modelImports(entity.fields),
    needsJsonb: entity.fields.some(isJson),
    unstorable: unstorableValue(entity.fields),
    defs: {
      createRoute: pyDef(`create_${snake(kebab(entity.name))}`, [`data: ${entity.name}Input`, 'ctx: ContextDep'], entity.name, ''),
      replaceRoute: pyDef(`replace_${snake(kebab(entity.name))}`, ['id: UUID', `data: ${entity.name}Input`, 'ctx: ContextDep'], entity.name, ''),
      create: pyDef('create', ['self', `data: ${entity.name}Input`, 'id: UUID | None = None'], entity.name, '    '),
      update: pyDef('update', ['self', 'id: UUID', `data: ${entity.name}Input`], `${entity.name} | None`, '    '),
    },
    listQuery: `rows = await ${pyCall('self._db.fetch_all', [`f'SELECT {_COLUMNS} FROM ${base.table} ORDER BY "created_at", "id" LIMIT %s OFFSET %s'`, '(limit, offset)'], '        ', 'rows = await ')}`,
  };
}

function unstorableValue(fields: readonly Field[]): PyEntityView['unstorable'] {
  const field = fields.find((f) => !f.enum && !f.list && ['string', 'text', 'integer'].includes(f.type));
  if (!field) return undefined;
  // Single-quoted as ruff format writes a string holding double quotes.
  const [value, message] = field.type === 'integer' ? ['2147483648', `"body/${field.name} must be <= 2147483647"`] : ['"\\u0000"', `'body/${field.name} must match pattern "^[^\\\\u0000]*$"'`];
  return { body: `{**self.sample, ${pyString(field.name)}: ${value}}`, message };
}

function modelImports(fields: readonly Field[]): ModelImports {
  const dates = fields.some((f) => f.type === 'date');
  const typing = [...(fields.some((f) => f.type === 'json') ? ['Any'] : []), ...(fields.some((f) => f.enum) ? ['Literal'] : [])];
  return {
    datetime: dates ? 'date' : '',
    typing: typing.join(', '),
    uuid: true,
    field: fields.some((f) => pyName(f.name) !== f.name || f.optional || f.type === 'json'),
    types: valueTypesOf(fields),
  };
}

function fieldView(field: Field): PyFieldView {
  const attr = pyName(field.name);
  const alias = attr === field.name ? '' : `alias=${pyString(field.name)}`;
  const type = pyType(field);
  // A json field takes any JSON value, null included, as in the JSON Schema of the Node.js service.
  const nullable = field.optional || field.type === 'json';
  // A field with a default may be left out of a body and gets it, as in the Node.js service.
  const fallback = field.default !== undefined ? [`default=${pyLiteral(field.default)}`, 'validate_default=True'] : nullable ? ['default=None'] : [];
  // Declared in a class body: `    attr: type = Field(...)`, the call wrapped as ruff format wraps it.
  const declare = (args: readonly string[]): string =>
    args.length === 0 ? `${attr}: ${type}` : `${attr}: ${type} = ${pyCall('Field', args, '    ', `${attr}: ${type} = `)}`;
  const access = `data.${attr}`;
  return {
    name: field.name,
    attr,
    inputDecl: declare([...fallback, ...(alias ? [alias] : [])]),
    outputDecl: declare(alias ? [alias] : []),
    param: isJson(field) ? (field.optional ? `_jsonb(${access})` : `Jsonb(${access})`) : access,
  };
}

function handlerView(endpoint: Endpoint): PyHandlerView {
  const params = pathParams(endpoint.path);
  const module = operationName(endpoint).replaceAll('-', '_');
  const declare = (p: string): string => {
    const type = p === 'id' || p.endsWith('Id') ? 'UUID' : 'str';
    const name = pyName(p);
    return name === p ? `${p}: ${type}` : `${name}: Annotated[${type}, Path(alias=${pyString(p)})]`;
  };
  return {
    text: endpoint.text,
    method: endpoint.method,
    path: endpoint.path,
    module,
    route: pyCall('router.add_api_route', [pyString(endpoint.path), `${module}.handle`, `methods=[${pyString(endpoint.method)}]`, 'response_model=None'], ''),
    notImplemented: `return ${pyCall('JSONResponse', [`{"error": "Not Implemented", "endpoint": ${pyString(endpoint.text)}}`, 'status_code=501'], '    ', 'return ')}`,
    params: params.map(declare).join(', '),
    usesUuid: params.some((p) => p === 'id' || p.endsWith('Id')),
    usesPath: params.some((p) => pyName(p) !== p),
    usesStdlib: params.some((p) => p === 'id' || p.endsWith('Id') || pyName(p) !== p),
  };
}

function clientView(call: Call, callee: Service): PyClientView {
  const used = new Set<string>();
  const inputs = new Set<string>();
  let usesUuid = false;
  let usesQuote = false;
  const methods = call.endpoints.map((endpoint): PyClientMethodView => {
    const params = pathParams(endpoint.path);
    const crud = crudTarget(endpoint, callee);
    const kind = crud?.kind;
    const entity = crud?.entity.name;
    if (crud && kind !== 'remove') used.add(crud.entity.name);
    if (crud && (kind === 'create' || kind === 'update')) inputs.add(crud.entity.name);
    const name = crud ? crudMethodName(crud.kind, crud.entity) : operationName(endpoint).replaceAll('-', '_');
    const hasBody = endpoint.method === 'POST' || endpoint.method === 'PUT' || endpoint.method === 'PATCH';
    if (params.some(isIdParam)) usesUuid = true;
    if (params.some((p) => !isIdParam(p))) usesQuote = true;
    const path = endpoint.path.replace(/\{([^}]+)\}/g, (_, p: string) => (isIdParam(p) ? `{${pyName(p)}}` : `{quote(${pyName(p)}, safe='')}`));
    const bodyType = kind === 'create' || kind === 'update' ? `${entity}Input` : 'object';
    const signature = ['self', ...params.map((p) => `${pyName(p)}: ${isIdParam(p) ? 'UUID' : 'str'}`), ...(hasBody ? [`body: ${bodyType}`] : [])];
    const returns = kind === 'get' ? `${entity} | None` : kind === 'list' ? `list[${entity}]` : kind === 'create' || kind === 'update' ? entity! : kind === 'remove' ? 'None' : 'Any';
    const convert =
      kind === 'get' || kind === 'create' || kind === 'update'
        ? `${entity}.model_validate(answer)`
        : kind === 'list'
          ? `[${entity}.model_validate(item) for item in answer]`
          : kind === 'remove'
            ? ''
            : 'answer';
    const pathExpr = params.length > 0 ? `f"${path}"` : pyString(path);
    const idempotent = endpoint.method !== 'POST' && endpoint.method !== 'PATCH' ? 'True' : 'False';
    const bodyExpr = bodyType === 'object' ? 'body' : 'body.model_dump(mode="json", by_alias=True)';
    const find = kind === 'get';
    const [request, args] = find ? ['self.http.find', [pathExpr]] : ['self.http.request', [pyString(endpoint.method), pathExpr, ...(hasBody ? [`body=${bodyExpr}`] : []), `idempotent=${idempotent}`]];
    return {
      text: endpoint.text,
      name,
      definition: pyDef(name, signature, returns, '    '),
      returns,
      hasBody,
      convert,
      call: `await ${pyCall(request, args, '        ', `${convert ? 'answer = ' : ''}await `)}`,
      find,
    };
  });
  const types = callee.entities
    .filter((e) => used.has(e.name))
    .map((e) => ({ name: e.name, fields: e.fields.map(fieldView), input: inputs.has(e.name), inputType: `${e.name}Input`, imports: modelImports(e.fields) }));
  const typing = new Set(types.flatMap((t) => t.imports.typing.split(', ').filter(Boolean)));
  if (methods.some((m) => m.returns === 'Any')) typing.add('Any');
  return {
    callee: callee.name,
    attr: snake(callee.name),
    className: `${callee.name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Client`,
    env: `${envName(callee.name)}_URL`,
    setting: `${snake(callee.name)}_url`,
    methods,
    types,
    usesUuid: usesUuid || used.size > 0,
    usesQuote,
    typing: [...typing].sort().join(', '),
    datetime: types.some((t) => t.imports.datetime) ? 'date' : '',
    typesNeedField: types.some((t) => t.imports.field),
    valueTypes: valueTypesOf(callee.entities.filter((e) => used.has(e.name)).flatMap((e) => e.fields)),
    timeout: seconds(call.timeoutMs),
    retries: call.retries,
    hasBreaker: call.circuitBreaker !== false,
    breaker: call.circuitBreaker ? `BreakerPolicy(failures=${call.circuitBreaker.failures}, reset_after=${seconds(call.circuitBreaker.resetMs)})` : 'None',
  };
}

export function crudMethodName(kind: CrudKind, entity: Entity): string {
  const one = snake(kebab(entity.name));
  const names: Record<CrudKind, string> = { create: `create_${one}`, list: `list_${snake(entity.resource)}`, get: `get_${one}`, update: `update_${one}`, remove: `delete_${one}` };
  return names[kind];
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}.0` : String(s);
}

/** `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** `name==version` lines sorted by name, as requirementLines() sorts them. */
function byName(lines: readonly string[]): string[] {
  const name = (line: string): string => line.split('==')[0]!;
  return [...lines].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/** create_app's docstring: what its optional parameters replace, for the contract tests. */
function appDoc(events: boolean, clients: boolean): string {
  if (events && clients) {
    return "The app; `broker` and `clients` replace the connection to BROKER_URL and the clients of the settings' URLs.\n\n    The contract tests give stand-ins that need no server.\n    ";
  }
  if (events) return 'The app; `broker` replaces the connection to BROKER_URL (the contract tests give one that needs no server).';
  if (clients) return "The app; `clients` replaces the clients of the settings' URLs (the contract tests give stand-ins that need no server).";
  return '';
}
