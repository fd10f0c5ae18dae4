import { createHash } from 'node:crypto';
import type { Engine, Service, SystemModel } from '../../model/types.js';
import type { BrokerRuntime, DatabaseRuntime, EnvValue, GatewayRuntime, RuntimeView, SecretRef, ServiceRuntime } from '../runtime-view.js';
import { databaseUrl, runtimeView } from '../runtime-view.js';

/** One file of the Kustomize base: where it goes, which template prints it and with what. */
export interface K8sFile {
  /** Path relative to the output root, under `k8s/`. */
  readonly path: string;
  /** Template name under templates/. */
  readonly template: string;
  readonly view: object;
}

// ---------------------------------------------------------------------------
// What the templates print. Lists are empty (and `has*` false) when a key is
// left out; nothing is optional, so a template typo fails in strict mode.

export interface LabelView {
  readonly key: string;
  readonly value: string;
}

export interface KustomizationView {
  readonly system: string;
  /** An image to show in the overlay example. */
  readonly exampleImage: string;
  readonly labels: readonly LabelView[];
  /** Every other file of the base, relative to `k8s/`. */
  readonly resources: readonly string[];
  readonly hasSecrets: boolean;
  /** The Secrets the base reads and never creates, with the keys it reads from each. */
  readonly secrets: readonly { readonly name: string; readonly keys: readonly string[] }[];
  readonly hasUrlExample: boolean;
  /** A DATABASE_URL as it goes into a `<service>-database` Secret. */
  readonly urlExample: string;
}

export interface ConfigMapView {
  readonly name: string;
  readonly labels: readonly LabelView[];
  readonly data: readonly { readonly key: string; readonly value: string }[];
}

export interface ProbeActionView {
  readonly httpGet: { readonly path: string; readonly port: string } | false;
  readonly exec: { readonly command: readonly string[] } | false;
  readonly tcpSocket: { readonly port: string } | false;
}

export interface ProbeView {
  readonly action: ProbeActionView;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface ResourcesView {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface ContainerView {
  readonly name: string;
  readonly image: string;
  /** A `:latest` image of the system's own, which a local cluster may only have loaded, not pulled. */
  readonly ownImage: boolean;
  readonly hasArgs: boolean;
  readonly args: readonly string[];
  readonly ports: readonly { readonly name: string; readonly containerPort: number }[];
  readonly hasConfigMap: boolean;
  readonly configMap: string;
  readonly hasEnv: boolean;
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly secretEnv: readonly { readonly name: string; readonly secret: string; readonly key: string }[];
  readonly startupProbe: ProbeView;
  readonly livenessProbe: ProbeView;
  readonly readinessProbe: ProbeView;
  readonly resources: ResourcesView;
  readonly readOnlyRootFilesystem: boolean;
  /** Why the root filesystem stays writable, when it does (comment lines). */
  readonly rootFilesystemNotes: readonly string[];
  readonly volumeMounts: readonly { readonly name: string; readonly mountPath: string; readonly notes: readonly string[] }[];
}

export interface PodView {
  readonly labels: readonly LabelView[];
  readonly hasAnnotations: boolean;
  readonly annotations: readonly LabelView[];
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  readonly container: ContainerView;
  readonly hasVolumes: boolean;
  readonly emptyDirs: readonly { readonly name: string; readonly sizeLimit: string }[];
  readonly claims: readonly { readonly name: string; readonly claimName: string }[];
}

export interface DeploymentView {
  readonly name: string;
  readonly comments: readonly string[];
  readonly labels: readonly LabelView[];
  readonly selector: string;
  readonly recreate: boolean;
  readonly pod: PodView;
}

export interface ServiceView {
  readonly name: string;
  readonly comments: readonly string[];
  readonly labels: readonly LabelView[];
  /** Headless (`clusterIP: None`): the governing Service of a StatefulSet. */
  readonly headless: boolean;
  readonly selector: string;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: string }[];
}

export interface RuleView {
  /** Why this traffic is allowed, from system.yaml. */
  readonly comment: string;
  /** No peer: any source (ingress only; the gateway's public port). */
  readonly anywhere: boolean;
  /** `app.kubernetes.io/name` of the peer pod, when not anywhere. */
  readonly peer: string;
  readonly port: number;
}

export interface NetworkPolicyView {
  readonly name: string;
  readonly labels: readonly LabelView[];
  readonly selector: string;
  readonly ingressNote: string;
  readonly hasIngress: boolean;
  readonly ingress: readonly RuleView[];
  readonly egressNote: string;
  readonly hasEgress: boolean;
  readonly egress: readonly RuleView[];
}

export interface StatefulSetView {
  readonly name: string;
  readonly labels: readonly LabelView[];
  readonly selector: string;
  readonly serviceName: string;
  readonly pod: PodView;
  readonly claim: { readonly name: string; readonly storage: string };
}

/** A stateful backend in one file: StatefulSet, its headless Service and its NetworkPolicy. */
export interface StatefulFileView {
  readonly comments: readonly string[];
  readonly statefulSet: StatefulSetView;
  readonly service: ServiceView;
  readonly networkPolicy: NetworkPolicyView;
}

export interface SqliteFileView {
  readonly comments: readonly string[];
  readonly name: string;
  readonly labels: readonly LabelView[];
  readonly storage: string;
}

// ---------------------------------------------------------------------------
// Decisions.

const nameLabel = 'app.kubernetes.io/name';
const componentLabel = 'app.kubernetes.io/component';

/** The uid/gid every generated image runs as (their Dockerfiles create it). */
const appUser = 10001;

const appResources: ResourcesView = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
const nginxResources: ResourcesView = { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '250m', memory: '128Mi' } };
const tmpSize = '64Mi';
const storage = '1Gi';

interface ServerSpec {
  readonly container: string;
  /** uid and gid of the user the official image runs as (the gid owns the data volume). */
  readonly user: number;
  readonly group: number;
  readonly portName: string;
  readonly dataPath: string;
  readonly resources: ResourcesView;
}

const engineSpecs: Record<Exclude<Engine, 'sqlite'>, ServerSpec> = {
  // postgres:*-alpine: uid/gid 70.
  postgres: { container: 'postgres', user: 70, group: 70, portName: 'postgres', dataPath: '/var/lib/postgresql/data', resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
  // mariadb and mongo: the mysql / mongodb user, uid/gid 999.
  mysql: { container: 'mariadb', user: 999, group: 999, portName: 'mysql', dataPath: '/var/lib/mysql', resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
  mongodb: { container: 'mongodb', user: 999, group: 999, portName: 'mongodb', dataPath: '/data/db', resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
};

const brokerSpecs: Record<BrokerRuntime['kind'], ServerSpec> = {
  // rabbitmq:*-alpine: uid 100, gid 101.
  rabbitmq: { container: 'rabbitmq', user: 100, group: 101, portName: 'amqp', dataPath: '/var/lib/rabbitmq', resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
  // nats-server is one static binary: any uid will do.
  nats: { container: 'nats', user: appUser, group: appUser, portName: 'client', dataPath: '/data', resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
  // apache/kafka: appuser, uid/gid 1000.
  kafka: { container: 'kafka', user: 1000, group: 1000, portName: 'kafka', dataPath: '/var/lib/kafka/data', resources: { requests: { cpu: '250m', memory: '768Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
};

/** Every file of the Kustomize base under `k8s/`, in a stable order; pure. */
export function k8sFiles(model: SystemModel, runtime: RuntimeView = runtimeView(model)): K8sFile[] {
  const routed = routes(model);
  const notes = edgeNotes(model, runtime);
  // Like compose: a broker nobody publishes to or consumes from is not deployed.
  const broker = runtime.services.some((s) => s.usesBroker) ? runtime.broker : undefined;

  const files: K8sFile[] = [
    { path: 'k8s/namespace.yaml', template: 'k8s/namespace', view: { name: runtime.system } },
    { path: 'k8s/networkpolicy-default-deny.yaml', template: 'k8s/networkpolicy-default-deny', view: {} },
  ];
  if (broker) files.push({ path: 'k8s/broker.yaml', template: 'k8s/stateful', view: brokerFile(broker, runtime, notes) });
  for (const database of runtime.databases) {
    const path = `k8s/databases/${database.name}.yaml`;
    if (database.host === undefined) files.push({ path, template: 'k8s/sqlite', view: sqliteFile(database) });
    else files.push({ path, template: 'k8s/stateful', view: databaseFile(database) });
  }
  for (const service of runtime.services) files.push(...serviceFiles(service, routed.get(service.name), notes, broker));
  if (runtime.gateway) files.push(...gatewayFiles(runtime.gateway, routed, notes));

  const kustomization: KustomizationView = {
    system: runtime.system,
    exampleImage: runtime.services[0]!.image,
    labels: [
      { key: 'app.kubernetes.io/part-of', value: runtime.system },
      { key: 'app.kubernetes.io/managed-by', value: 'taskflow-gen' },
    ],
    resources: files.map((f) => f.path.slice('k8s/'.length)),
    ...secretsView(runtime, broker),
  };
  return [{ path: 'k8s/kustomization.yaml', template: 'k8s/kustomization', view: kustomization }, ...files];
}

function labels(name: string, component: string): LabelView[] {
  return [
    { key: nameLabel, value: name },
    { key: componentLabel, value: component },
  ];
}

/** Route prefixes of each routed service, in route order. */
function routes(model: SystemModel): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const route of model.gateway?.routes ?? []) found.set(route.service, [...(found.get(route.service) ?? []), route.path]);
  return found;
}

/** What system.yaml says about each edge, for the comments of the NetworkPolicy rules. */
interface EdgeNotes {
  /** Callers of each service, in file order, with the endpoints they call. */
  readonly callers: ReadonlyMap<string, readonly { readonly caller: string; readonly endpoints: string }[]>;
  /** `<caller> <callee>` -> endpoints called. */
  readonly calls: ReadonlyMap<string, string>;
  /** Service -> `publishes X; consumes Y`. */
  readonly events: ReadonlyMap<string, string>;
  readonly ports: ReadonlyMap<string, number>;
}

function edgeNotes(model: SystemModel, runtime: RuntimeView): EdgeNotes {
  const callers = new Map<string, { caller: string; endpoints: string }[]>();
  const calls = new Map<string, string>();
  const events = new Map<string, string>();
  for (const service of model.services) {
    for (const call of service.calls) {
      const endpoints = call.endpoints.map((e) => e.text).join(', ');
      callers.set(call.callee, [...(callers.get(call.callee) ?? []), { caller: service.name, endpoints }]);
      calls.set(`${service.name} ${call.callee}`, endpoints);
    }
    events.set(service.name, eventsNote(service));
  }
  return { callers, calls, events, ports: new Map(runtime.services.map((s) => [s.name, s.port])) };
}

function eventsNote(service: Service): string {
  const parts: string[] = [];
  if (service.publishes.length > 0) parts.push(`publishes ${service.publishes.map((e) => e.event).join(', ')}`);
  if (service.subscribes.length > 0) parts.push(`consumes ${service.subscribes.map((e) => e.event).join(', ')}`);
  return parts.join('; ');
}

// --- services and the gateway ----------------------------------------------

function serviceFiles(service: ServiceRuntime, routedAt: readonly string[] | undefined, notes: EdgeNotes, broker: BrokerRuntime | undefined): K8sFile[] {
  const dir = `k8s/${service.name}`;
  const { plain, secret } = splitEnv(service.env);
  const sqlite = service.database?.host === undefined ? service.database : undefined;
  const configMap: ConfigMapView = { name: service.name, labels: labels(service.name, 'service'), data: plain.map(({ name, value }) => ({ key: name, value })) };

  const ingress: RuleView[] = [];
  if (routedAt) ingress.push(rule(`the gateway routes ${routedAt.join(', ')} here`, 'gateway', service.port));
  for (const { caller, endpoints } of notes.callers.get(service.name) ?? []) ingress.push(rule(`${caller} calls ${endpoints}`, caller, service.port));
  const egress: RuleView[] = service.callees.map((callee) => rule(`calls ${callee}: ${notes.calls.get(`${service.name} ${callee}`)!}`, callee, notes.ports.get(callee)!));
  const database = service.database;
  if (database?.host !== undefined) egress.push(rule(`owns database ${database.name}`, database.host, database.port!));
  if (service.usesBroker && broker) egress.push(rule(`${notes.events.get(service.name)!}, through the broker`, broker.host, broker.port));

  const deployment = workload({
    name: service.name,
    component: 'service',
    comments: [],
    image: `${service.image}:latest`,
    port: service.port,
    configMap,
    secretEnv: secret,
    resources: appResources,
    data: sqlite
      ? { claim: sqliteClaim(sqlite), note: `sqlite database ${sqlite.name}: DATABASE_URL points into /data.` }
      : service.embeddedStore
        ? { claim: storeClaim(service), note: 'No database of its own: its outbox and inbox live in the embedded PGlite, in /data.' }
        : undefined,
    alivePath: '/health',
  });
  return [
    ...(service.embeddedStore ? [{ path: `${dir}/data.yaml`, template: 'k8s/sqlite', view: storeFile(service) } as const] : []),
    { path: `${dir}/configmap.yaml`, template: 'k8s/configmap', view: configMap },
    { path: `${dir}/deployment.yaml`, template: 'k8s/deployment', view: deployment },
    { path: `${dir}/service.yaml`, template: 'k8s/service', view: httpService(service.name, 'service', service.port, []) },
    {
      path: `${dir}/networkpolicy.yaml`,
      template: 'k8s/networkpolicy',
      view: networkPolicy(service.name, 'service', ingress, `nothing calls ${service.name} and the gateway does not route to it`, egress, `${service.name} calls no service, has no database server and uses no broker`),
    },
  ];
}


function gatewayFiles(gateway: GatewayRuntime, routed: ReadonlyMap<string, readonly string[]>, notes: EdgeNotes): K8sFile[] {
  // nginx reads no environment: its routes are in its nginx.conf.
  const { plain, secret } = gateway.kind === 'node' ? splitEnv(gateway.env) : { plain: [], secret: [] };
  const configMap: ConfigMapView | undefined =
    plain.length > 0 ? { name: 'gateway', labels: labels('gateway', 'gateway'), data: plain.map(({ name, value }) => ({ key: name, value })) } : undefined;
  const egress = gateway.upstreams.map((upstream) => rule(`routes ${routed.get(upstream)!.join(', ')} to ${upstream}`, upstream, notes.ports.get(upstream)!));
  const deployment = workload({
    name: 'gateway',
    component: 'gateway',
    comments: gateway.kind === 'nginx' ? ['nginx with the routes of gateway/nginx.conf, built into an image from gateway/ like the services.'] : [],
    image: `${gateway.image}:latest`,
    port: gateway.port,
    configMap,
    secretEnv: secret,
    resources: gateway.kind === 'nginx' ? nginxResources : appResources,
    data: undefined,
    // The gateway's /health asks every service; whether the gateway itself is alive is /ready.
    alivePath: '/ready',
  });
  const comments = [
    'ClusterIP only: how the gateway is exposed (an Ingress, a Gateway API route or a',
    'LoadBalancer) depends on the cluster, so it is out of scope here; add it in an overlay.',
  ];
  return [
    ...(configMap ? [{ path: 'k8s/gateway/configmap.yaml', template: 'k8s/configmap', view: configMap }] : []),
    { path: 'k8s/gateway/deployment.yaml', template: 'k8s/deployment', view: deployment },
    { path: 'k8s/gateway/service.yaml', template: 'k8s/service', view: httpService('gateway', 'gateway', gateway.port, comments) },
    {
      path: 'k8s/gateway/networkpolicy.yaml',
      template: 'k8s/networkpolicy',
      view: networkPolicy(
        'gateway',
        'gateway',
        [{ comment: 'the public entry point: any client', anywhere: true, peer: '', port: gateway.port }],
        '',
        egress,
        'no routes: the gateway reaches no service',
      ),
    },
  ];
}

interface WorkloadSpec {
  readonly name: string;
  readonly component: string;
  readonly comments: readonly string[];
  readonly image: string;
  readonly port: number;
  readonly configMap: ConfigMapView | undefined;
  readonly secretEnv: readonly SecretEnv[];
  readonly resources: ResourcesView;
  /** The volume claim mounted at /data (a sqlite database, or a Node.js service's embedded store), and why. */
  readonly data: { readonly claim: string; readonly note: string } | undefined;
  /** Path of the startup and liveness probes. */
  readonly alivePath: string;
}

function workload(spec: WorkloadSpec): DeploymentView {
  const http = (path: string): ProbeActionView => ({ httpGet: { path, port: 'http' }, exec: false, tcpSocket: false });
  const podLabels = labels(spec.name, spec.component);
  const annotations = spec.configMap ? [{ key: 'taskflow-gen/config-hash', value: configHash(spec.configMap) }] : [];
  const volumeMounts = [
    { name: 'tmp', mountPath: '/tmp', notes: ['The root filesystem is read-only; scratch space goes here.'] },
    ...(spec.data ? [{ name: 'data', mountPath: '/data', notes: [spec.data.note] }] : []),
  ];
  return {
    name: spec.name,
    comments: spec.comments,
    labels: podLabels,
    selector: spec.name,
    // A ReadWriteOnce volume cannot follow a rolling update to another node.
    recreate: spec.data !== undefined,
    pod: {
      labels: podLabels,
      hasAnnotations: annotations.length > 0,
      annotations,
      runAsUser: appUser,
      runAsGroup: appUser,
      fsGroup: appUser,
      container: {
        name: spec.name,
        image: spec.image,
        ownImage: true,
        hasArgs: false,
        args: [],
        ports: [{ name: 'http', containerPort: spec.port }],
        hasConfigMap: spec.configMap !== undefined,
        configMap: spec.configMap?.name ?? '',
        hasEnv: spec.secretEnv.length > 0,
        env: [],
        secretEnv: spec.secretEnv,
        // Up to a minute to start (migrations run first), then probed often.
        startupProbe: { action: http(spec.alivePath), periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
        livenessProbe: { action: http(spec.alivePath), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
        readinessProbe: { action: http('/ready'), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
        resources: spec.resources,
        readOnlyRootFilesystem: true,
        rootFilesystemNotes: [],
        volumeMounts,
      },
      hasVolumes: true,
      emptyDirs: [{ name: 'tmp', sizeLimit: tmpSize }],
      claims: spec.data ? [{ name: 'data', claimName: spec.data.claim }] : [],
    },
  };
}

/** Changes whenever the ConfigMap does, so `kubectl apply` rolls the pods onto the new environment. */
function configHash(configMap: ConfigMapView): string {
  return createHash('sha256').update(JSON.stringify(configMap.data)).digest('hex').slice(0, 16);
}

function httpService(name: string, component: string, port: number, comments: readonly string[]): ServiceView {
  return { name, comments, labels: labels(name, component), headless: false, selector: name, ports: [{ name: 'http', port, targetPort: 'http' }] };
}

function rule(comment: string, peer: string, port: number): RuleView {
  return { comment, anywhere: false, peer, port };
}

function networkPolicy(name: string, component: string, ingress: readonly RuleView[], noIngress: string, egress: readonly RuleView[], noEgress: string): NetworkPolicyView {
  return {
    name,
    labels: labels(name, component),
    selector: name,
    ingressNote: ingress.length === 0 ? noIngress : '',
    hasIngress: ingress.length > 0,
    ingress,
    egressNote: egress.length === 0 ? noEgress : '',
    hasEgress: egress.length > 0,
    egress,
  };
}

interface SecretEnv {
  readonly name: string;
  readonly secret: string;
  readonly key: string;
}

function splitEnv(env: readonly EnvValue[]): { plain: { name: string; value: string }[]; secret: SecretEnv[] } {
  const plain: { name: string; value: string }[] = [];
  const secret: SecretEnv[] = [];
  for (const entry of env) {
    if ('value' in entry) plain.push({ name: entry.name, value: entry.value });
    else secret.push(secretEnv(entry.name, entry.secret));
  }
  return { plain, secret };
}

function secretEnv(name: string, ref: SecretRef): SecretEnv {
  return { name, secret: ref.secret, key: ref.key };
}

// --- databases -------------------------------------------------------------

function sqliteClaim(database: DatabaseRuntime): string {
  return `${database.name.replaceAll('_', '-')}-data`;
}

function ownersNote(database: DatabaseRuntime): string[] {
  if (database.owners.length === 1) return [`Database ${database.name} (${database.engine}), owned by ${database.owners[0]!}.`];
  return [`Database ${database.name} (${database.engine}), shared by ${database.owners.join(' and ')}: see \`taskflow-gen lint\` (shared-database).`];
}

function storeClaim(service: ServiceRuntime): string {
  return `${service.name}-data`;
}

function storeFile(service: ServiceRuntime): SqliteFileView {
  const comments = [`${service.name} owns no database: events waiting in its outbox and the ids in its inbox live here (PGlite, mounted at /data).`];
  return { comments, name: storeClaim(service), labels: labels(storeClaim(service), 'service'), storage };
}

function sqliteFile(database: DatabaseRuntime): SqliteFileView {
  const comments = [...ownersNote(database), 'The file lives on this volume, mounted at /data in the owning Deployment.'];
  if (database.owners.length > 1) comments.push('ReadWriteOnce: the owners can only share it while their pods run on one node.');
  return { comments, name: sqliteClaim(database), labels: labels(sqliteClaim(database), 'database'), storage };
}

function databaseFile(database: DatabaseRuntime): StatefulFileView {
  const engine = database.engine as Exclude<Engine, 'sqlite'>;
  const spec = engineSpecs[engine];
  const host = database.host!;
  const port = database.port!;
  const user = database.user!;
  const server = databaseServer(engine, database, user);
  const ingress = database.owners.map((owner) => rule(`${owner} owns database ${database.name}`, owner, port));
  return {
    comments: ownersNote(database),
    statefulSet: statefulSet(host, 'database', database.image!, port, spec, server),
    service: headlessService(host, 'database', spec.portName, port),
    networkPolicy: networkPolicy(host, 'database', ingress, '', [], 'a database opens no connections'),
  };
}

interface ServerContainer {
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly secretEnv: readonly SecretEnv[];
  readonly ready: ProbeActionView;
  readonly alive: ProbeActionView;
  readonly aliveTimeoutSeconds: number;
  /** Writable emptyDirs besides the data volume, for a read-only root filesystem. */
  readonly scratch: readonly { readonly name: string; readonly mountPath: string }[];
  readonly readOnlyRootFilesystem: boolean;
  readonly rootFilesystemNotes: readonly string[];
}

const tcp = (port: string): ProbeActionView => ({ httpGet: false, exec: false, tcpSocket: { port } });
const exec = (...command: string[]): ProbeActionView => ({ httpGet: false, exec: { command }, tcpSocket: false });

function databaseServer(engine: Exclude<Engine, 'sqlite'>, database: DatabaseRuntime, user: string): ServerContainer {
  const tmp = { name: 'tmp', mountPath: '/tmp' };
  const base = { args: [], aliveTimeoutSeconds: 5, readOnlyRootFilesystem: true, rootFilesystemNotes: [] };
  switch (engine) {
    case 'postgres': {
      // TCP, not the socket: during initdb the temporary server listens on the socket only.
      const ready = exec('pg_isready', '-h', '127.0.0.1', '-U', user, '-d', database.name);
      return {
        ...base,
        env: [
          { name: 'POSTGRES_USER', value: user },
          { name: 'POSTGRES_DB', value: database.name },
          // A subdirectory: the volume's root holds lost+found, which initdb refuses.
          { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
        ],
        secretEnv: [secretEnv('POSTGRES_PASSWORD', database.password)],
        ready,
        alive: ready,
        scratch: [{ name: 'run', mountPath: '/var/run/postgresql' }, tmp],
      };
    }
    case 'mysql':
      return {
        ...base,
        // A subdirectory: the volume's root holds lost+found, which would show up as a database.
        args: ['--datadir=/var/lib/mysql/data'],
        env: [
          { name: 'MARIADB_USER', value: user },
          { name: 'MARIADB_DATABASE', value: database.name },
          // root only from inside the pod; services use their own user.
          { name: 'MARIADB_ROOT_HOST', value: 'localhost' },
        ],
        secretEnv: [secretEnv('MARIADB_PASSWORD', database.password), ...(database.rootPassword ? [secretEnv('MARIADB_ROOT_PASSWORD', database.rootPassword)] : [])],
        // The temporary server of the first start listens on no TCP port, so this waits for the real one.
        ready: tcp('mysql'),
        alive: tcp('mysql'),
        scratch: [{ name: 'run', mountPath: '/run/mysqld' }, tmp],
      };
    case 'mongodb':
      return {
        ...base,
        env: [
          { name: 'MONGO_INITDB_ROOT_USERNAME', value: user },
          { name: 'MONGO_INITDB_DATABASE', value: database.name },
        ],
        secretEnv: [secretEnv('MONGO_INITDB_ROOT_PASSWORD', database.password)],
        ready: tcp('mongodb'),
        alive: tcp('mongodb'),
        scratch: [{ name: 'configdb', mountPath: '/data/configdb' }, tmp],
      };
  }
}

// --- broker ----------------------------------------------------------------

function brokerFile(broker: BrokerRuntime, runtime: RuntimeView, notes: EdgeNotes): StatefulFileView {
  const spec = brokerSpecs[broker.kind];
  const users = runtime.services.filter((s) => s.usesBroker);
  const ingress = users.map((s) => rule(`${s.name} ${notes.events.get(s.name)!}`, s.name, broker.port));
  return {
    comments: [brokerComment[broker.kind]],
    statefulSet: statefulSet(broker.host, 'broker', broker.image, broker.port, spec, brokerServer(broker, runtime.system)),
    service: headlessService(broker.host, 'broker', spec.portName, broker.port),
    networkPolicy: networkPolicy(broker.host, 'broker', ingress, '', [], 'the broker opens no connections'),
  };
}

const brokerComment: Record<BrokerRuntime['kind'], string> = {
  rabbitmq: 'RabbitMQ. The management UI (15672) is not exposed: use `kubectl port-forward`.',
  nats: 'NATS with JetStream, so streams and consumers survive a restart.',
  kafka: 'Single-node Kafka in KRaft mode: one process is both broker and controller.',
};

function brokerServer(broker: BrokerRuntime, system: string): ServerContainer {
  const tmp = { name: 'tmp', mountPath: '/tmp' };
  switch (broker.kind) {
    case 'rabbitmq':
      return {
        args: [],
        env: [],
        secretEnv: broker.credentials
          ? [secretEnv('RABBITMQ_DEFAULT_USER', broker.credentials.username), secretEnv('RABBITMQ_DEFAULT_PASS', broker.credentials.password)]
          : [],
        ready: tcp('amqp'),
        alive: exec('rabbitmq-diagnostics', '-q', 'ping'),
        // rabbitmq-diagnostics boots an Erlang VM of its own first.
        aliveTimeoutSeconds: 10,
        scratch: [tmp],
        readOnlyRootFilesystem: true,
        rootFilesystemNotes: [],
      };
    case 'nats':
      return {
        args: ['--jetstream', '--store_dir', '/data', '--http_port', String(natsMonitorPort)],
        env: [],
        secretEnv: [],
        ready: { httpGet: { path: '/healthz?js-enabled-only=true', port: 'monitor' }, exec: false, tcpSocket: false },
        alive: { httpGet: { path: '/healthz', port: 'monitor' }, exec: false, tcpSocket: false },
        aliveTimeoutSeconds: 5,
        scratch: [],
        readOnlyRootFilesystem: true,
        rootFilesystemNotes: [],
      };
    case 'kafka':
      return {
        args: [],
        env: [
          { name: 'CLUSTER_ID', value: kafkaClusterId(system) },
          { name: 'KAFKA_NODE_ID', value: '1' },
          { name: 'KAFKA_PROCESS_ROLES', value: 'broker,controller' },
          { name: 'KAFKA_LISTENERS', value: `PLAINTEXT://:${broker.port},CONTROLLER://:9093` },
          { name: 'KAFKA_ADVERTISED_LISTENERS', value: `PLAINTEXT://${broker.host}:${broker.port}` },
          { name: 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP', value: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT' },
          { name: 'KAFKA_CONTROLLER_LISTENER_NAMES', value: 'CONTROLLER' },
          { name: 'KAFKA_CONTROLLER_QUORUM_VOTERS', value: '1@localhost:9093' },
          // A subdirectory: Kafka takes every directory in a log dir, lost+found too, for a partition.
          { name: 'KAFKA_LOG_DIRS', value: '/var/lib/kafka/data/logs' },
          { name: 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', value: '1' },
          { name: 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', value: '1' },
          { name: 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR', value: '1' },
          { name: 'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS', value: '0' },
          // Below the memory limit (the default heap is 1G).
          { name: 'KAFKA_HEAP_OPTS', value: '-Xms512m -Xmx512m' },
        ],
        secretEnv: [],
        ready: tcp('kafka'),
        alive: tcp('kafka'),
        aliveTimeoutSeconds: 5,
        scratch: [tmp],
        readOnlyRootFilesystem: false,
        rootFilesystemNotes: ['Writable: the image writes its server.properties under /opt/kafka/config at every start.'],
      };
  }
}

const natsMonitorPort = 8222;

/** KRaft needs a cluster id: a base64url UUID, here derived from the system so renders stay identical. */
function kafkaClusterId(system: string): string {
  return createHash('sha256').update(`taskflow-gen/${system}/kafka`).digest().subarray(0, 16).toString('base64url');
}

function statefulSet(name: string, component: string, image: string, port: number, spec: ServerSpec, server: ServerContainer): StatefulSetView {
  const podLabels = labels(name, component);
  const ports = [{ name: spec.portName, containerPort: port }];
  if (spec.portName === 'client') ports.push({ name: 'monitor', containerPort: natsMonitorPort });
  const probe = (action: ProbeActionView, periodSeconds: number, failureThreshold: number): ProbeView => ({ action, periodSeconds, timeoutSeconds: 5, failureThreshold });
  return {
    name,
    labels: podLabels,
    selector: name,
    serviceName: name,
    pod: {
      labels: podLabels,
      hasAnnotations: false,
      annotations: [],
      runAsUser: spec.user,
      runAsGroup: spec.group,
      fsGroup: spec.group,
      container: {
        name: spec.container,
        image,
        ownImage: false,
        hasArgs: server.args.length > 0,
        args: server.args,
        ports,
        hasConfigMap: false,
        configMap: '',
        hasEnv: server.env.length + server.secretEnv.length > 0,
        env: server.env,
        secretEnv: server.secretEnv,
        // First start initialises the data directory: up to five minutes.
        startupProbe: probe(server.ready, 5, 60),
        livenessProbe: { ...probe(server.alive, 15, 4), timeoutSeconds: server.aliveTimeoutSeconds },
        readinessProbe: probe(server.ready, 5, 3),
        resources: spec.resources,
        readOnlyRootFilesystem: server.readOnlyRootFilesystem,
        rootFilesystemNotes: server.rootFilesystemNotes,
        volumeMounts: [{ name: 'data', mountPath: spec.dataPath, notes: [] }, ...server.scratch.map((s) => ({ ...s, notes: [] }))],
      },
      hasVolumes: server.scratch.length > 0,
      emptyDirs: server.scratch.map((s) => ({ name: s.name, sizeLimit: tmpSize })),
      claims: [],
    },
    claim: { name: 'data', storage },
  };
}

function headlessService(name: string, component: string, portName: string, port: number): ServiceView {
  return {
    name,
    comments: ['Headless: the StatefulSet\'s governing Service; its name is the host in the connection URLs.'],
    labels: labels(name, component),
    headless: true,
    selector: name,
    ports: [{ name: portName, port, targetPort: portName }],
  };
}

// --- secrets ---------------------------------------------------------------

function secretsView(runtime: RuntimeView, broker: BrokerRuntime | undefined): Pick<KustomizationView, 'hasSecrets' | 'secrets' | 'hasUrlExample' | 'urlExample'> {
  const refs: SecretRef[] = [];
  const fromEnv = (env: readonly EnvValue[]) => env.flatMap((e) => ('secret' in e ? [e.secret] : []));
  for (const service of runtime.services) refs.push(...fromEnv(service.env));
  if (runtime.gateway?.kind === 'node') refs.push(...fromEnv(runtime.gateway.env));
  for (const database of runtime.databases) {
    if (database.host === undefined) continue;
    refs.push(database.password, ...(database.rootPassword ? [database.rootPassword] : []));
  }
  if (broker?.credentials) refs.push(broker.credentials.username, broker.credentials.password);
  const byName = new Map<string, string[]>();
  for (const ref of refs) {
    const keys = byName.get(ref.secret) ?? [];
    if (!keys.includes(ref.key)) keys.push(ref.key);
    byName.set(ref.secret, keys);
  }
  const secrets = [...byName].map(([name, keys]) => ({ name, keys }));
  const server = runtime.databases.find((d) => d.host !== undefined);
  const urlExample = server ? databaseUrl(server, '<password>') : '';
  return { hasSecrets: secrets.length > 0, secrets, hasUrlExample: server !== undefined, urlExample };
}
