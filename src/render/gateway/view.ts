import type { Gateway, RateLimit, SystemModel } from '../../model/types.js';
import { envName } from '../../shared/naming.js';
import { nodeMajor, pinned, type NodePackage } from '../node/versions.js';
import { tsLiteral } from '../node-service/literal.js';
import { runtimeView, type GatewayRuntime, type RuntimeView } from '../runtime-view.js';

/** One file of `gateway/` and the template that prints it. */
export interface GatewayFile {
  readonly path: string;
  readonly template: string;
  readonly view: NodeGatewayView | NginxView;
}

/**
 * What every template of the Node.js gateway reads; decisions are made here,
 * templates only print. Fields named `*Literal` are TypeScript literals, quoted.
 */
export interface NodeGatewayView {
  /** Package name and logger name: `<system>-gateway`. */
  readonly name: string;
  readonly nameLiteral: string;
  readonly description: string;
  readonly nodeMajor: string;
  readonly port: number;
  readonly dependencies: readonly Dependency[];
  readonly devDependencies: readonly Dependency[];
  /** gateway.auth is jwt: every routed request needs a bearer token. */
  readonly jwt: boolean;
  readonly rateLimit: NodeRateLimit | null;
  readonly upstreamTimeoutLiteral: string;
  readonly bodyLimitLiteral: string;
  readonly requestTimeoutLiteral: string;
  /** The services routed to, in route order, each read from its `<SERVICE>_URL`. */
  readonly services: readonly Upstream[];
  /** `'order' | 'product'`: the TypeScript type of a service name. */
  readonly serviceType: string;
  readonly routes: readonly NodeRoute[];
  readonly hasRoutes: boolean;
  /** A path the generated test requests through the gateway (first route), and the path the service must receive. */
  readonly sample: { readonly pathLiteral: string; readonly forwardedLiteral: string };
}

export interface Dependency {
  readonly name: string;
  readonly version: string;
}

export interface NodeRateLimit {
  readonly max: number;
  readonly windowLiteral: string;
  /** Prefix of the Redis keys, so several systems can share one Redis. */
  readonly redisPrefixLiteral: string;
  /** `100 per minute`, for comments. */
  readonly text: string;
  /** Small enough for the generated test to exceed it request by request. */
  readonly tested: boolean;
}

export interface Upstream {
  /** The service name as an object key in TypeScript (quoted when not an identifier). */
  readonly key: string;
  readonly envVarLiteral: string;
  /** Where `npm start` on a developer machine finds the service: its own port on localhost. */
  readonly defaultUrlLiteral: string;
}

export interface NodeRoute {
  /** `{ prefix: '/order', service: 'order', stripPrefix: true }`. */
  readonly literal: string;
}

/** What templates/gateway/nginx/nginx.conf.hbs prints. */
export interface NginxView {
  readonly port: number;
  readonly image: string;
  readonly upstreams: readonly { readonly name: string; readonly server: string }[];
  readonly routes: readonly NginxRoute[];
  readonly rateLimit: NginxRateLimit | null;
  /** Seconds nginx waits for a service to accept a connection, and then for each read and write. */
  readonly connectTimeout: string;
  readonly upstreamTimeout: string;
  /** client_max_body_size in bytes: the services' limit, as the Node.js gateway applies it. */
  readonly bodyLimit: number;
  /** How long nginx waits for the request head, and between two reads of the body, before 408. */
  readonly clientTimeout: string;
}

/** One route as nginx locations: the prefix itself and everything below it. */
export interface NginxRoute {
  readonly comment: string;
  /** Location matches, e.g. `= /order` and `/order/`. */
  readonly matches: readonly string[];
  /** The proxy_pass target: with a trailing `/` nginx replaces the matched prefix by it, without one the URI goes unchanged. */
  readonly pass: string;
}

export interface NginxRateLimit {
  /** limit_req_zone rate, `100r/m`. */
  readonly rate: string;
  /** Requests a client may send at once beyond the steady rate, so `count` pass in one go. */
  readonly burst: number;
  /** Seconds until the bucket has room again: one request's share of the window. */
  readonly retryAfter: number;
  readonly text: string;
}

/**
 * How long the gateway waits for a service's response headers (and between
 * body chunks) before answering 504. Longer than any service's own call
 * timeouts with their retries, so a service gets to answer with its own error.
 */
export const upstreamTimeoutMs = 10_000;

/**
 * The largest request body a generated service accepts (Fastify's default).
 * The gateway refuses larger ones itself: a service refuses them before
 * reading them and closes the connection, and a proxy still sending the body
 * then sees the connection reset instead of the service's 413.
 */
export const bodyLimitBytes = 1_048_576;

/** How long a client may take to send a whole request (headers and body) to the gateway before it answers 408. */
export const requestTimeoutMs = 30_000;

const nodePackages: readonly NodePackage[] = ['fastify', 'pino', '@fastify/reply-from'];
const jwtPackages: readonly NodePackage[] = ['@fastify/jwt', 'get-jwks'];
const rateLimitPackages: readonly NodePackage[] = ['@fastify/rate-limit', 'ioredis'];
const nodeTemplates = [
  'package.json',
  'tsconfig.json',
  'Dockerfile',
  '.dockerignore',
  'src/main.ts',
  'src/config.ts',
  'src/logger.ts',
  'src/routes.ts',
  'src/app.ts',
  'src/correlation.ts',
  'src/proxy.ts',
  'src/health.ts',
  'test/app.test.ts',
] as const;

/** Every file of `gateway/`, or none without a gateway; pure. */
export function gatewayFiles(model: SystemModel, runtime: RuntimeView = runtimeView(model)): GatewayFile[] {
  const gateway = model.gateway;
  if (!gateway || !runtime.gateway) return [];
  const dir = runtime.gateway.dir;
  if (gateway.kind === 'nginx') {
    const view = nginxView(gateway, runtime.gateway, runtime);
    return [
      { path: `${dir}/nginx.conf`, template: 'gateway/nginx/nginx.conf', view },
      { path: `${dir}/Dockerfile`, template: 'gateway/nginx/Dockerfile', view },
    ];
  }
  const view = nodeGatewayView(model, gateway, runtime);
  const templates: string[] = [...nodeTemplates];
  if (view.jwt) templates.push('src/auth.ts');
  if (view.rateLimit) templates.push('src/rate-limit.ts');
  return templates.map((file) => ({ path: `${dir}/${file}`, template: `gateway/node/${file}`, view }));
}

/** The view of the generated Fastify gateway. */
export function nodeGatewayView(model: SystemModel, gateway: Gateway, runtime: RuntimeView): NodeGatewayView {
  const gatewayRuntime = runtime.gateway!;
  const jwt = gateway.auth === 'jwt';
  const packages = [...nodePackages, ...(jwt ? jwtPackages : []), ...(gateway.rateLimit ? rateLimitPackages : [])];
  const ports = new Map(runtime.services.map((s) => [s.name, s.port]));
  const services = gatewayRuntime.upstreams.map(
    (name): Upstream => ({
      key: /^[A-Za-z_$][\w$]*$/.test(name) ? name : tsLiteral(name),
      envVarLiteral: tsLiteral(`${envName(name)}_URL`),
      defaultUrlLiteral: tsLiteral(`http://127.0.0.1:${ports.get(name)!}`),
    }),
  );
  const first = gateway.routes[0];
  const sample = first ? join(first.path, 'sample') : '/sample';
  const name = `${model.name}-gateway`;
  return {
    name,
    nameLiteral: tsLiteral(name),
    description: `Public entry point of ${model.name}: routing, ${jwt ? 'JWT auth, ' : ''}${gateway.rateLimit ? 'rate limiting, ' : ''}correlation ids and aggregated health`,
    nodeMajor,
    port: gateway.port,
    dependencies: dependencies(packages),
    devDependencies: dependencies(['typescript', '@types/node']),
    jwt,
    rateLimit: gateway.rateLimit
      ? {
          max: gateway.rateLimit.count,
          windowLiteral: numberLiteral(gateway.rateLimit.windowMs),
          redisPrefixLiteral: tsLiteral(`${name}:rate-limit:`),
          text: rateText(gateway.rateLimit),
          tested: gateway.rateLimit.count <= 1000,
        }
      : null,
    upstreamTimeoutLiteral: numberLiteral(upstreamTimeoutMs),
    bodyLimitLiteral: numberLiteral(bodyLimitBytes),
    requestTimeoutLiteral: numberLiteral(requestTimeoutMs),
    services,
    serviceType: services.length > 0 ? gatewayRuntime.upstreams.map((s) => tsLiteral(s)).join(' | ') : 'never',
    routes: gateway.routes.map((r) => ({ literal: tsLiteral({ prefix: r.path, service: r.service, stripPrefix: r.stripPrefix }) })),
    hasRoutes: first !== undefined,
    sample: {
      pathLiteral: tsLiteral(`${sample}?q=1`),
      forwardedLiteral: tsLiteral(`${first?.stripPrefix ? '/sample' : sample}?q=1`),
    },
  };
}

/** The view of nginx.conf: same routes and prefix stripping as the Node.js gateway, upstreams by host:port as in the runtime view. */
export function nginxView(gateway: Gateway, gatewayRuntime: GatewayRuntime, runtime: RuntimeView): NginxView {
  const ports = new Map(runtime.services.map((s) => [s.name, s.port]));
  const routes = gateway.routes.map(
    (route): NginxRoute => ({
      comment: route.stripPrefix ? `${route.path}/... -> ${route.service} /...` : `${route.path}... -> ${route.service}, path unchanged`,
      matches: route.path === '/' ? ['/'] : [`= ${route.path}`, `${route.path}/`],
      pass: route.stripPrefix ? `http://${route.service}/` : `http://${route.service}`,
    }),
  );
  const rate = gateway.rateLimit;
  return {
    port: gateway.port,
    image: gatewayRuntime.nginxImage!,
    upstreams: gatewayRuntime.upstreams.map((name) => ({ name, server: `${name}:${ports.get(name)!}` })),
    routes,
    rateLimit: rate ? nginxRate(rate) : null,
    connectTimeout: '5s',
    upstreamTimeout: `${upstreamTimeoutMs / 1000}s`,
    bodyLimit: bodyLimitBytes,
    clientTimeout: `${requestTimeoutMs / 1000}s`,
  };
}

/**
 * nginx limits with a leaky bucket of whole requests per second or minute:
 * the steady rate is count/window and the burst lets `count` through at once,
 * which is the closest to "count per window". Per hour becomes per minute,
 * rounded (at least 1r/m).
 */
function nginxRate(limit: RateLimit): NginxRateLimit {
  const [perUnit, unit, unitSeconds] =
    limit.per === 'second' ? [limit.count, 's', 1] : limit.per === 'minute' ? [limit.count, 'm', 60] : [Math.max(1, Math.round(limit.count / 60)), 'm', 60];
  return { rate: `${perUnit}r/${unit}`, burst: limit.count - 1, retryAfter: Math.ceil(unitSeconds / perUnit), text: rateText(limit) };
}

function rateText(limit: RateLimit): string {
  return `${limit.count} per ${limit.per}`;
}

function dependencies(packages: readonly NodePackage[]): Dependency[] {
  return Object.entries(pinned(packages)).map(([name, version]) => ({ name, version }));
}

/** `60000` -> `60_000`, as a person would write it. */
function numberLiteral(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, '_');
}

function join(prefix: string, segment: string): string {
  return prefix === '/' ? `/${segment}` : `${prefix}/${segment}`;
}
