import type { BrokerKind, Engine, Service, SystemModel } from '../model/types.js';
import { envName } from '../shared/naming.js';

/**
 * How the generated system runs, decided once for every deployment target
 * (compose, Kubernetes, CI): host names, ports, images and the environment of
 * each process, following PRODUCT.md's runtime conventions. Secrets are never
 * values here, only references that each target resolves its own way
 * (compose: `.env`; Kubernetes: Secret keys).
 */
export interface RuntimeView {
  readonly system: string;
  readonly broker?: BrokerRuntime;
  readonly databases: readonly DatabaseRuntime[];
  readonly services: readonly ServiceRuntime[];
  readonly gateway?: GatewayRuntime;
}

/** An environment variable: a plain value, or a secret looked up by key. */
export type EnvValue = { readonly name: string; readonly value: string } | { readonly name: string; readonly secret: SecretRef };

export interface SecretRef {
  /** Kubernetes Secret name (`<name>` in `secretKeyRef`). */
  readonly secret: string;
  /** Key inside that Secret. */
  readonly key: string;
  /** Variable in `.env` holding the value for docker-compose. */
  readonly envFile: string;
  /** What a developer puts in `.env` for a local run; never used in Kubernetes. */
  readonly example: string;
}

export interface BrokerRuntime {
  readonly kind: Exclude<BrokerKind, 'none'>;
  /** Host name of the broker (compose service, Kubernetes Service). */
  readonly host: string;
  readonly image: string;
  readonly port: number;
  /** BROKER_URL without credentials, e.g. `amqp://broker:5672`. */
  readonly url: string;
  /**
   * rabbitmq only: the user the broker creates at first start, matching the
   * credentials in BROKER_URL (Kubernetes: keys of the `broker` Secret).
   */
  readonly credentials?: { readonly username: SecretRef; readonly password: SecretRef };
}

export interface DatabaseRuntime {
  readonly name: string;
  readonly engine: Engine;
  /** Host of its server: `<name>-db` (`_` becomes `-`); absent for sqlite, which lives in the service's volume. */
  readonly host?: string;
  readonly image?: string;
  readonly port?: number;
  /** Login the server creates for the owners (named like the database); absent for sqlite. */
  readonly user?: string;
  /** Services that name this database, in file order (two or more: shared, which lint flags). */
  readonly owners: readonly string[];
  /** Secret holding the database password. */
  readonly password: SecretRef;
  /** mysql only: password of the server's root account, which no service uses (a second key of the same Secret). */
  readonly rootPassword?: SecretRef;
}

export interface ServiceRuntime {
  readonly name: string;
  readonly runtime: Service['runtime'];
  readonly port: number;
  /** Folder of its source and Dockerfile, relative to the output root. */
  readonly dir: string;
  /** Name of the image built from `dir`, without tag: `<system>/<service>`. */
  readonly image: string;
  readonly database?: DatabaseRuntime;
  /** Services it calls synchronously, in file order. */
  readonly callees: readonly string[];
  readonly usesBroker: boolean;
  /**
   * A Node.js service with events or entities but no database keeps its
   * tables in the embedded PGlite, in /data: that folder must outlive the container.
   */
  readonly embeddedStore: boolean;
  /** Environment: PORT, DATABASE_URL, BROKER_URL, <CALLEE>_URL, LOG_LEVEL. */
  readonly env: readonly EnvValue[];
}

export interface GatewayRuntime {
  readonly kind: 'node' | 'nginx';
  readonly port: number;
  readonly dir: string;
  /** Name of the image built from `dir`, without tag: `<system>/gateway`. */
  readonly image: string;
  /** nginx kind only: the official image that runs `dir`/nginx.conf as is. */
  readonly nginxImage?: string;
  /** Services it routes to, in route order, without repeats. */
  readonly upstreams: readonly string[];
  readonly env: readonly EnvValue[];
}

const brokers: Record<Exclude<BrokerKind, 'none'>, { image: string; port: number; scheme: string }> = {
  rabbitmq: { image: 'rabbitmq:3.13-management-alpine', port: 5672, scheme: 'amqp' },
  nats: { image: 'nats:2.10-alpine', port: 4222, scheme: 'nats' },
  kafka: { image: 'apache/kafka:3.8.0', port: 9092, scheme: 'kafka' },
};

const engines: Record<Engine, { image?: string; port?: number; scheme: string }> = {
  postgres: { image: 'postgres:16-alpine', port: 5432, scheme: 'postgres' },
  mysql: { image: 'mariadb:11', port: 3306, scheme: 'mysql' },
  mongodb: { image: 'mongo:7', port: 27017, scheme: 'mongodb' },
  sqlite: { scheme: 'sqlite' },
};

// Every deployment target asks for the view of the same (immutable) model.
const views = new WeakMap<SystemModel, RuntimeView>();

/** Derives the runtime view; pure, computed once per model. */
export function runtimeView(model: SystemModel): RuntimeView {
  let view = views.get(model);
  if (!view) views.set(model, (view = buildRuntimeView(model)));
  return view;
}

function buildRuntimeView(model: SystemModel): RuntimeView {
  const broker = model.broker === 'none' ? undefined : brokerRuntime(model.broker);
  const databases = databaseRuntimes(model);
  const byDatabase = new Map(databases.map((d) => [d.name, d]));
  const ports = new Map(model.services.map((s) => [s.name, s.port]));
  const services = model.services.map((service): ServiceRuntime => {
    const store = storeOf(service, model.broker);
    const database = store ? byDatabase.get(store.name) : undefined;
    const callees = [...new Set(service.calls.map((c) => c.callee))];
    const usesBroker = broker !== undefined && (service.publishes.length > 0 || service.subscribes.length > 0);
    const env: EnvValue[] = [{ name: 'PORT', value: String(service.port) }];
    if (database) env.push(databaseUrlEnv(service.name, database));
    if (usesBroker && broker) env.push({ name: 'BROKER_URL', secret: brokerSecret(broker) });
    for (const callee of callees) env.push({ name: `${envName(callee)}_URL`, value: `http://${callee}:${ports.get(callee)!}` });
    env.push({ name: 'LOG_LEVEL', value: 'info' });
    const embeddedStore = service.runtime === 'node' && !database && (usesBroker || service.entities.length > 0);
    return { name: service.name, runtime: service.runtime, port: service.port, dir: `services/${service.name}`, image: `${model.name}/${service.name}`, ...(database && { database }), callees, usesBroker, embeddedStore, env };
  });
  const gateway = model.gateway && gatewayRuntime(model, ports);
  return { system: model.name, ...(broker && { broker }), databases, services, ...(gateway && { gateway }) };
}

function brokerRuntime(kind: Exclude<BrokerKind, 'none'>): BrokerRuntime {
  const { image, port, scheme } = brokers[kind];
  const credentials =
    kind === 'rabbitmq'
      ? {
          username: { secret: 'broker', key: 'username', envFile: 'RABBITMQ_DEFAULT_USER', example: 'guest' },
          password: { secret: 'broker', key: 'password', envFile: 'RABBITMQ_DEFAULT_PASS', example: 'guest' },
        }
      : undefined;
  return { kind, host: 'broker', image, port, url: `${scheme}://broker:${port}`, ...(credentials && { credentials }) };
}

function brokerSecret(broker: BrokerRuntime): SecretRef {
  const example = broker.kind === 'rabbitmq' ? 'amqp://guest:guest@broker:5672' : broker.url;
  return { secret: 'broker', key: 'url', envFile: 'BROKER_URL', example };
}

/**
 * The database a service's code opens: the one it owns, or, for a Python
 * service with events that owns none, a PostgreSQL database of its own for
 * its outbox and inbox (`<service>_events`): a Python service has no
 * embedded database to keep them in, as a Node.js one does in /data.
 */
export function storeOf(service: Service, broker: BrokerKind): { readonly name: string; readonly engine: Engine } | undefined {
  if (service.database) return service.database;
  const usesBroker = broker !== 'none' && (service.publishes.length > 0 || service.subscribes.length > 0);
  if (service.runtime !== 'python') return undefined;
  // A Python service has no embedded database: its entities, or its outbox and inbox, get a PostgreSQL one.
  const base = service.name.replaceAll('-', '_');
  if (service.entities.length > 0) return { name: `${base}_data`, engine: 'postgres' };
  return usesBroker ? { name: `${base}_events`, engine: 'postgres' } : undefined;
}

function databaseRuntimes(model: SystemModel): DatabaseRuntime[] {
  const found = new Map<string, { engine: Engine; owners: string[] }>();
  for (const service of model.services) {
    const store = storeOf(service, model.broker);
    if (!store) continue;
    const entry = found.get(store.name);
    if (entry) entry.owners.push(service.name);
    else found.set(store.name, { engine: store.engine, owners: [service.name] });
  }
  return [...found].map(([name, { engine, owners }]) => {
    const { image, port } = engines[engine];
    // Database names may hold '_', which host names and Kubernetes object names may not.
    const host = `${name.replaceAll('_', '-')}-db`;
    const password: SecretRef = { secret: host, key: 'password', envFile: `${envName(name)}_DB_PASSWORD`, example: 'change-me' };
    const rootPassword: SecretRef | undefined =
      engine === 'mysql' ? { secret: host, key: 'root-password', envFile: `${envName(name)}_DB_ROOT_PASSWORD`, example: 'change-me-too' } : undefined;
    return { name, engine, ...(image !== undefined && { host, image, port, user: name }), owners, password, ...(rootPassword && { rootPassword }) };
  });
}

/**
 * DATABASE_URL of a database given its password (sqlite has none). Targets
 * that inject the password on their own pass a reference to it, e.g. compose
 * passes `${ORDERS_DB_PASSWORD}`. The official MongoDB image creates its user
 * in the `admin` database, hence `authSource=admin`.
 */
export function databaseUrl(database: DatabaseRuntime, password: string): string {
  if (database.engine === 'sqlite') return `sqlite:///data/${database.name}.db`;
  const { scheme } = engines[database.engine];
  const url = `${scheme}://${database.user!}:${password}@${database.host!}:${database.port!}/${database.name}`;
  return database.engine === 'mongodb' ? `${url}?authSource=admin` : url;
}

function databaseUrlEnv(service: string, database: DatabaseRuntime): EnvValue {
  // The whole URL is a secret: it carries the password.
  const example = databaseUrl(database, database.password.example);
  return { name: 'DATABASE_URL', secret: { secret: `${service}-database`, key: 'url', envFile: `${envName(service)}_DATABASE_URL`, example } };
}

function gatewayRuntime(model: SystemModel, ports: ReadonlyMap<string, number>): GatewayRuntime {
  const gateway = model.gateway!;
  const upstreams = [...new Set(gateway.routes.map((r) => r.service))];
  const env: EnvValue[] = [{ name: 'PORT', value: String(gateway.port) }];
  if (gateway.auth === 'jwt') env.push({ name: 'JWT_SECRET', secret: { secret: 'gateway-jwt', key: 'secret', envFile: 'JWT_SECRET', example: 'change-me-to-a-long-random-string' } });
  for (const service of upstreams) env.push({ name: `${envName(service)}_URL`, value: `http://${service}:${ports.get(service)!}` });
  env.push({ name: 'LOG_LEVEL', value: 'info' });
  return { kind: gateway.kind, port: gateway.port, dir: 'gateway', image: `${model.name}/gateway`, ...(gateway.kind === 'nginx' && { nginxImage: 'nginx:1.27-alpine' }), upstreams, env };
}
