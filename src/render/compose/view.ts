import type { SystemModel } from '../../model/types.js';
import type { BrokerRuntime, DatabaseRuntime, EnvValue, GatewayRuntime, RuntimeView, SecretRef, ServiceRuntime } from '../runtime-view.js';
import { databaseUrl } from '../runtime-view.js';

/** Exactly what templates/compose/docker-compose.yml.hbs prints. */
export interface ComposeFileView {
  /** Compose project name: the system's name. */
  readonly name: string;
  readonly containers: readonly ContainerView[];
  readonly hasVolumes: boolean;
  /** Named volumes, in the order their containers appear. */
  readonly volumes: readonly string[];
}

/** One entry under `services:`. Lists are empty and `has*` false when a key is left out. */
export interface ContainerView {
  /** Compose service name (its host name on the network), quoted when YAML would read it as a boolean or null. */
  readonly key: string;
  /** Comment lines printed above the entry, without `#`. */
  readonly comments: readonly string[];
  readonly hasBuild: boolean;
  /** Build context (`./services/<name>`, `./gateway`), when hasBuild. */
  readonly build: string;
  readonly image: string;
  readonly hasHostname: boolean;
  readonly hostname: string;
  readonly hasCommand: boolean;
  readonly command: readonly string[];
  readonly hasEnvironment: boolean;
  /** Values are final compose strings: `${VAR}` interpolates `.env`, a literal `$` is already `$$`. */
  readonly environment: readonly { readonly name: string; readonly value: string }[];
  readonly hasVolumes: boolean;
  /** `<volume or ./path>:<container path>[:ro]` */
  readonly volumes: readonly string[];
  readonly hasPorts: boolean;
  /** `<host>:<container>` */
  readonly ports: readonly string[];
  readonly hasDependsOn: boolean;
  /** Containers that must be healthy first (condition: service_healthy), as YAML keys. */
  readonly dependsOn: readonly string[];
  readonly healthcheck: HealthcheckView;
  readonly restart: string;
}

export interface HealthcheckView {
  /** Exec form: `["CMD", ...]`; none of the images needs a shell. */
  readonly test: readonly string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly startPeriod: string;
}

/** Exactly what templates/compose/env.hbs prints, for both `.env.example` and the first `.env`. */
export interface EnvFileView {
  readonly empty: boolean;
  readonly groups: readonly { readonly comment: string; readonly variables: readonly { readonly name: string; readonly value: string }[] }[];
}

export interface ComposeView {
  readonly compose: ComposeFileView;
  readonly env: EnvFileView;
}

const restart = 'unless-stopped';

/** Builds the compose file and its `.env` from the runtime view; pure. */
export function composeView(model: SystemModel, runtime: RuntimeView): ComposeView {
  const descriptions = new Map(model.services.map((s) => [s.name, s.description]));
  const variables = new Variables();
  const broker = runtime.services.some((s) => s.usesBroker) ? runtime.broker : undefined;

  const containers: ContainerView[] = [];
  if (runtime.gateway) containers.push(gatewayContainer(runtime.gateway, variables));
  for (const service of runtime.services) {
    containers.push(serviceContainer(service, descriptions.get(service.name), { publish: !runtime.gateway, broker }, variables));
  }
  for (const database of runtime.databases) {
    if (database.engine !== 'sqlite') containers.push(databaseContainer(database, variables));
  }
  if (broker) containers.push(brokerContainer(broker));
  assertDistinctKeys(containers);

  const volumes = [...new Set(containers.flatMap((c) => c.volumes.filter((v) => !v.startsWith('./')).map((v) => v.slice(0, v.indexOf(':')))))];
  return {
    compose: { name: runtime.system, containers, hasVolumes: volumes.length > 0, volumes },
    env: variables.view(),
  };
}

function serviceContainer(
  service: ServiceRuntime,
  description: string | undefined,
  { publish, broker }: { publish: boolean; broker: BrokerRuntime | undefined },
  variables: Variables,
): ContainerView {
  const database = service.database;
  const environment = service.env.map((env) => {
    if (env.name === 'DATABASE_URL' && database) return { name: env.name, value: serviceDatabaseUrl(database, variables) };
    return environmentEntry(env, variables);
  });
  const dependsOn = [...(database?.host !== undefined ? [database.host] : []), ...(service.usesBroker && broker ? [broker.host] : [])];
  const url = `http://127.0.0.1:${service.port}/health`;
  return container({
    key: service.name,
    comments: description !== undefined ? [oneLine(description)] : [],
    build: `./${service.dir}`,
    image: `${service.image}:latest`,
    environment,
    // sqlite lives in the service's own volume, named after the database so a shared one stays shared;
    // a Node.js service without a database keeps its outbox and inbox (PGlite) in one of its own.
    volumes: database?.engine === 'sqlite' ? [`${database.name}-data:/data`] : service.embeddedStore ? [`${service.name}-data:/data`] : [],
    ports: publish ? [`${service.port}:${service.port}`] : [],
    // Callees are deliberately not here: a service must start, and degrade, while its callees are down.
    dependsOn,
    healthcheck: { test: service.runtime === 'python' ? pythonProbe(url) : nodeProbe(url), ...appTiming },
  });
}

function gatewayContainer(gateway: GatewayRuntime, variables: Variables): ContainerView {
  const url = `http://127.0.0.1:${gateway.port}/ready`; // its /health asks every service
  const common = {
    key: 'gateway',
    comments: ['The only port published on the host: every request comes in here.'],
    ports: [`${gateway.port}:${gateway.port}`],
    dependsOn: gateway.upstreams,
  };
  if (gateway.nginxImage !== undefined) {
    return container({
      ...common,
      image: gateway.nginxImage,
      volumes: [`./${gateway.dir}/nginx.conf:/etc/nginx/nginx.conf:ro`],
      healthcheck: { test: ['CMD', 'wget', '-q', '--spider', url], ...appTiming },
    });
  }
  return container({
    ...common,
    build: `./${gateway.dir}`,
    image: `${gateway.image}:latest`,
    environment: gateway.env.map((env) => environmentEntry(env, variables)),
    healthcheck: { test: nodeProbe(url), ...appTiming },
  });
}

function databaseContainer(database: DatabaseRuntime, variables: Variables): ContainerView {
  const host = database.host!;
  const user = database.user!;
  const password = variables.reference(database.password, passwordsGroup);
  const owners = database.owners.length > 1 ? [`Shared by ${database.owners.join(' and ')}: see \`taskflow-gen lint\` (shared-database).`] : [];
  const base = { key: host, image: database.image!, comments: owners };
  const volume = `${host}-data`;
  switch (database.engine) {
    case 'postgres':
      return container({
        ...base,
        environment: [
          { name: 'POSTGRES_USER', value: user },
          { name: 'POSTGRES_PASSWORD', value: password },
          { name: 'POSTGRES_DB', value: database.name },
        ],
        volumes: [`${volume}:/var/lib/postgresql/data`],
        healthcheck: { test: ['CMD', 'pg_isready', '-U', user, '-d', database.name], ...dbTiming },
      });
    case 'mysql':
      return container({
        ...base,
        environment: [
          { name: 'MARIADB_USER', value: user },
          { name: 'MARIADB_PASSWORD', value: password },
          { name: 'MARIADB_DATABASE', value: database.name },
          // Services only use their own user; root gets a random password printed once in the log.
          { name: 'MARIADB_RANDOM_ROOT_PASSWORD', value: '1' },
        ],
        volumes: [`${volume}:/var/lib/mysql`],
        healthcheck: { test: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'], ...dbTiming },
      });
    case 'mongodb':
      return container({
        ...base,
        environment: [
          { name: 'MONGO_INITDB_ROOT_USERNAME', value: user },
          { name: 'MONGO_INITDB_ROOT_PASSWORD', value: password },
        ],
        volumes: [`${volume}:/data/db`],
        healthcheck: { test: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"], ...dbTiming },
      });
    case 'sqlite':
      throw new Error(`compose: sqlite database '${database.name}' has no server container`);
  }
}

function brokerContainer(broker: BrokerRuntime): ContainerView {
  const base = { key: broker.host, image: broker.image, volumes: ['broker-data:' + brokerDataDir[broker.kind]] };
  switch (broker.kind) {
    case 'rabbitmq':
      return container({
        ...base,
        comments: [
          'The management UI (port 15672) stays inside the network; publish it locally if you need it.',
          'A fixed hostname keeps the node name, under which RabbitMQ stores its data, across re-creations.',
        ],
        hostname: broker.host,
        healthcheck: { test: ['CMD', 'rabbitmq-diagnostics', '-q', 'check_port_connectivity'], ...brokerTiming },
      });
    case 'nats':
      return container({
        ...base,
        comments: ['NATS with JetStream, so streams and consumers survive a restart.'],
        command: ['-js', '-sd', brokerDataDir.nats, '-m', '8222'],
        healthcheck: { test: ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:8222/healthz?js-enabled-only=true'], ...appTiming },
      });
    case 'kafka':
      return container({
        ...base,
        comments: ['Single-node Kafka in KRaft mode: one process is both broker and controller.'],
        environment: [
          { name: 'KAFKA_NODE_ID', value: '1' },
          { name: 'KAFKA_PROCESS_ROLES', value: 'broker,controller' },
          { name: 'KAFKA_LISTENERS', value: `PLAINTEXT://:${broker.port},CONTROLLER://:9093` },
          { name: 'KAFKA_ADVERTISED_LISTENERS', value: `PLAINTEXT://${broker.host}:${broker.port}` },
          { name: 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP', value: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT' },
          { name: 'KAFKA_CONTROLLER_LISTENER_NAMES', value: 'CONTROLLER' },
          { name: 'KAFKA_CONTROLLER_QUORUM_VOTERS', value: '1@localhost:9093' },
          { name: 'KAFKA_LOG_DIRS', value: brokerDataDir.kafka },
          { name: 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', value: '1' },
          { name: 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', value: '1' },
          { name: 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR', value: '1' },
          { name: 'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS', value: '0' },
        ],
        healthcheck: {
          test: ['CMD', '/opt/kafka/bin/kafka-broker-api-versions.sh', '--bootstrap-server', `localhost:${broker.port}`],
          ...brokerTiming,
        },
      });
  }
}

const brokerDataDir: Record<BrokerRuntime['kind'], string> = {
  rabbitmq: '/var/lib/rabbitmq',
  nats: '/data',
  kafka: '/var/lib/kafka/data',
};

const appTiming = { interval: '5s', timeout: '3s', retries: 5, startPeriod: '20s' };
const dbTiming = { interval: '5s', timeout: '5s', retries: 10, startPeriod: '20s' };
const brokerTiming = { interval: '10s', timeout: '10s', retries: 10, startPeriod: '30s' };

// Slim images have no curl: probe with the runtime itself.
function nodeProbe(url: string): string[] {
  return ['CMD', 'node', '-e', `fetch('${url}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`];
}

function pythonProbe(url: string): string[] {
  return ['CMD', 'python', '-c', `import urllib.request; urllib.request.urlopen('${url}', timeout=2)`];
}

function serviceDatabaseUrl(database: DatabaseRuntime, variables: Variables): string {
  // Built here from the password alone, so `.env` holds one secret per database, not a URL per service.
  if (database.engine === 'sqlite') return databaseUrl(database, '');
  return databaseUrl(database, variables.reference(database.password, passwordsGroup));
}

function environmentEntry(env: EnvValue, variables: Variables): { name: string; value: string } {
  if ('value' in env) return { name: env.name, value: env.value.replaceAll('$', '$$$$') };
  return { name: env.name, value: variables.reference(env.secret, groupOf(env.name)) };
}

const passwordsGroup = 'Database passwords, one per database server (URL-safe characters: they go into connection URLs)';
const brokerGroup = 'Broker connection, with credentials, for every service that publishes or consumes events';
const gatewayGroup = 'Gateway: HS256 key that signs and verifies access tokens';
const otherGroup = 'Other secrets';
const groupOrder = [passwordsGroup, brokerGroup, gatewayGroup, otherGroup];

function groupOf(variable: string): string {
  if (variable === 'BROKER_URL') return brokerGroup;
  if (variable === 'JWT_SECRET') return gatewayGroup;
  return otherGroup;
}

/** The `.env` variables compose interpolates, collected as they are referenced, grouped for `.env.example`. */
class Variables {
  private readonly groups = new Map<string, Map<string, string>>();

  /** Records the variable and returns its compose reference, `${NAME}`. */
  reference(secret: SecretRef, group: string): string {
    const variables = this.groups.get(group) ?? new Map<string, string>();
    this.groups.set(group, variables);
    variables.set(secret.envFile, secret.example);
    return `\${${secret.envFile}}`;
  }

  view(): EnvFileView {
    const groups = groupOrder
      .filter((name) => this.groups.has(name))
      .map((comment) => ({ comment, variables: [...this.groups.get(comment)!].map(([name, value]) => ({ name, value: dotenvValue(value) })) }));
    return { empty: groups.length === 0, groups };
  }
}

/** Quotes a value for compose's `.env` parser when it is not a plain word. */
function dotenvValue(value: string): string {
  // Single quotes keep a value literal (no `$` interpolation); our examples never contain one.
  return /^[A-Za-z0-9_./:@+,=-]*$/.test(value) ? value : `'${value}'`;
}

interface ContainerSpec {
  readonly key: string;
  readonly comments?: readonly string[];
  readonly build?: string;
  readonly image: string;
  readonly hostname?: string;
  readonly command?: readonly string[];
  readonly environment?: readonly { readonly name: string; readonly value: string }[];
  readonly volumes?: readonly string[];
  readonly ports?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly healthcheck: HealthcheckView;
}

function container(spec: ContainerSpec): ContainerView {
  const { comments = [], command = [], environment = [], volumes = [], ports = [], dependsOn = [] } = spec;
  return {
    key: yamlKey(spec.key),
    comments,
    hasBuild: spec.build !== undefined,
    build: spec.build ?? '',
    image: spec.image,
    hasHostname: spec.hostname !== undefined,
    hostname: spec.hostname ?? '',
    hasCommand: command.length > 0,
    command,
    hasEnvironment: environment.length > 0,
    environment,
    hasVolumes: volumes.length > 0,
    volumes,
    hasPorts: ports.length > 0,
    ports,
    hasDependsOn: dependsOn.length > 0,
    dependsOn: dependsOn.map(yamlKey),
    healthcheck: spec.healthcheck,
    restart,
  };
}

/** Service names are DNS labels, but `yes`, `on` or `null` would not stay strings in YAML. */
function yamlKey(name: string): string {
  return /^(y|yes|n|no|true|false|on|off|null)$/.test(name) ? JSON.stringify(name) : name;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A service named like a database server (`orders-db`), `broker` or `gateway` would silently replace it. */
function assertDistinctKeys(containers: readonly ContainerView[]): void {
  const seen = new Set<string>();
  for (const { key } of containers) {
    if (seen.has(key)) throw new Error(`compose: two containers would be named '${key}'; rename the service so it does not clash with a database server (<database>-db), 'broker' or 'gateway'`);
    seen.add(key);
  }
}
