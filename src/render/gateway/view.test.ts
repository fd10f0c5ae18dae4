import { describe, expect, it } from 'vitest';
import { generatedNotice } from '../header.js';
import { nodeVersions } from '../node/versions.js';
import { runtimeView } from '../runtime-view.js';
import { exampleNames, exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import nodeService from '../node-service/index.js';
import gateway from './index.js';
import { gatewayFiles, nginxView, nodeGatewayView, upstreamTimeoutMs } from './view.js';

// The gateway's views and rendered files, without running anything; the
// generated gateway itself runs in test/gateway.e2e.test.ts and
// test/gateway-nginx.e2e.test.ts.

const system = (gatewayYaml: string, services = ['order', 'product']): string =>
  [
    'version: 1',
    'name: shop',
    `gateway: ${gatewayYaml}`,
    'services:',
    ...services.flatMap((name, i) => [`  ${name}:`, `    port: ${3001 + i}`, '    entities: { Thing: { name: string } }']),
  ].join('\n');

function rendered(yaml: string): Map<string, string> {
  return new Map(renderYaml(yaml, [gateway]).files().map((f) => [f.path, f.content]));
}

const nodeFiles = [
  'gateway/.dockerignore',
  'gateway/Dockerfile',
  'gateway/package.json',
  'gateway/src/app.ts',
  'gateway/src/config.ts',
  'gateway/src/correlation.ts',
  'gateway/src/health.ts',
  'gateway/src/logger.ts',
  'gateway/src/main.ts',
  'gateway/src/proxy.ts',
  'gateway/src/routes.ts',
  'gateway/test/app.test.ts',
  'gateway/tsconfig.json',
];

/** Variables a file reads: `env, 'NAME'` (config.ts) and `process.env['NAME']`. */
const variablesRead = (text: string): string[] => [...text.matchAll(/(?:env, |process\.env\[)['"]([A-Z_]+)['"]/g)].map((m) => m[1]!);

describe('gateway target (node)', () => {
  it('renders gateway/ with auth.ts and rate-limit.ts when gateway.auth is jwt and a rate limit is set', () => {
    const files = rendered(system('{ kind: node, port: 8080, auth: jwt, rateLimit: 100/min }'));
    expect([...files.keys()]).toEqual([...nodeFiles, 'gateway/src/auth.ts', 'gateway/src/rate-limit.ts'].sort());
    for (const [path, content] of files) {
      if (path.endsWith('.json')) expect(() => JSON.parse(content) as unknown).not.toThrow();
      else expect(content.split('\n')[0]).toContain(generatedNotice);
    }
  });

  it('leaves auth.ts, rate-limit.ts and their packages out when not configured', () => {
    const files = rendered(system('{ kind: node, auth: none }'));
    expect([...files.keys()]).toEqual(nodeFiles);
    const pkg = JSON.parse(files.get('gateway/package.json')!) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(['@fastify/reply-from', 'fastify', 'pino']);
    expect(files.get('gateway/src/app.ts')).not.toMatch(/requireJwt|limitRate/);
    expect(files.get('gateway/src/config.ts')).not.toMatch(/JWT_SECRET|REDIS_URL/);
  });

  it('package.json: <system>-gateway, private ESM, pinned versions, build/start/typecheck/test scripts', () => {
    const pkg = JSON.parse(rendered(system('{ kind: node, auth: jwt, rateLimit: 10/s }')).get('gateway/package.json')!) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: 'shop-gateway',
      private: true,
      type: 'module',
      scripts: { build: 'tsc', start: 'node dist/src/main.js', typecheck: 'tsc --noEmit', test: 'node --test dist/test/*.test.js' },
      devDependencies: { typescript: nodeVersions.typescript, '@types/node': nodeVersions['@types/node'] },
    });
    const names = ['@fastify/jwt', '@fastify/rate-limit', '@fastify/reply-from', 'fastify', 'get-jwks', 'ioredis', 'pino'] as const;
    expect(pkg['dependencies']).toEqual(Object.fromEntries(names.map((n) => [n, nodeVersions[n]])));
  });

  it('tsconfig.json is strict NodeNext from src/ and test/ to dist/', () => {
    const tsconfig = JSON.parse(rendered(system('{ kind: node }')).get('gateway/tsconfig.json')!) as { compilerOptions: Record<string, unknown>; include: string[] };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', rootDir: '.', outDir: 'dist' });
    expect(tsconfig.include).toEqual(['src', 'test']);
  });

  it("has the shape of every generated service's folder: src/, test/, dist/src/main.js, the same scripts", () => {
    const files = new Map(renderYaml(system('{ kind: node }'), [gateway, nodeService]).files().map((f) => [f.path, f.content]));
    const shape = (dir: string) => {
      const tsconfig = JSON.parse(files.get(`${dir}/tsconfig.json`)!) as { compilerOptions: Record<string, unknown>; include: string[] };
      return {
        scripts: (JSON.parse(files.get(`${dir}/package.json`)!) as { scripts: Record<string, string> }).scripts,
        folders: [...new Set([...files.keys()].filter((p) => p.startsWith(`${dir}/`) && p.endsWith('.ts')).map((p) => p.split('/')[dir.split('/').length]))].sort(),
        rootDir: tsconfig.compilerOptions['rootDir'],
        outDir: tsconfig.compilerOptions['outDir'],
        include: tsconfig.include,
        cmd: files.get(`${dir}/Dockerfile`)!.match(/^CMD .*$/m)![0],
      };
    };
    expect(shape('gateway')).toEqual(shape('services/order'));
    expect(shape('gateway')).toMatchObject({ folders: ['src', 'test'], cmd: 'CMD ["node", "dist/src/main.js"]' });
  });

  it('Dockerfile: two node stages, production dependencies only, uid 10001, the port, a readiness check', () => {
    const dockerfile = rendered(system('{ kind: node, port: 8090 }')).get('gateway/Dockerfile')!;
    expect(dockerfile.match(/^FROM node:20-alpine/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN npm install --omit=dev/m);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8090$/m);
    expect(dockerfile).toMatch(/^ENV PORT=8090$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[^]*\/ready/);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  });

  it.each(exampleNames)('%s: reads exactly the environment the runtime view gives it, plus the optional variables', (name) => {
    const model = modelOf(exampleYaml(name));
    const runtime = runtimeView(model).gateway;
    if (model.gateway?.kind !== 'node' || !runtime) return;
    const files = rendered(exampleYaml(name));
    const read = [...variablesRead(files.get('gateway/src/config.ts')!), ...variablesRead(files.get('gateway/src/logger.ts')!)];
    const all = ['JWKS_URL', 'JWT_REQUIRE_EXP', 'REDIS_URL', 'UPSTREAM_TIMEOUT_MS', 'BODY_LIMIT_BYTES', 'REQUEST_TIMEOUT_MS'];
    const optional = all.filter((v) => read.includes(v));
    expect(new Set(read)).toEqual(new Set([...runtime.env.map((e) => e.name), ...optional]));
    expect(optional).toEqual(all);
  });

  it('routes.ts: default routes strip the prefix, routes from system.yaml forward the path unchanged', () => {
    expect(rendered(system('{ kind: node }')).get('gateway/src/routes.ts')).toContain(
      `  { prefix: '/order', service: 'order', stripPrefix: true },\n  { prefix: '/product', service: 'product', stripPrefix: true },\n];`,
    );
    const explicit = rendered(`${system('{ kind: node }')}\n`.replace('gateway: { kind: node }', 'gateway:\n  kind: node\n  routes:\n    - { path: /orders, service: order }'));
    expect(explicit.get('gateway/src/routes.ts')).toContain(`export const routes: readonly Route[] = [\n  { prefix: '/orders', service: 'order', stripPrefix: false },\n];`);
    expect(explicit.get('gateway/src/routes.ts')).toContain(`export type Service = 'order';`);
  });

  it('view: each service from its <SERVICE>_URL, defaulting to its own port on localhost', () => {
    const model = modelOf(system('{ kind: node, auth: jwt, rateLimit: 30/h }', ['order-service', 'stock']));
    const view = nodeGatewayView(model, model.gateway!, runtimeView(model));
    expect(view.services).toEqual([
      { key: "'order-service'", envVarLiteral: "'ORDER_SERVICE_URL'", defaultUrlLiteral: "'http://127.0.0.1:3001'" },
      { key: 'stock', envVarLiteral: "'STOCK_URL'", defaultUrlLiteral: "'http://127.0.0.1:3002'" },
    ]);
    expect(view.serviceType).toBe(`'order-service' | 'stock'`);
    expect(view.rateLimit).toEqual({ max: 30, windowLiteral: '3_600_000', redisPrefixLiteral: "'shop-gateway:rate-limit:'", text: '30 per hour', tested: true });
    expect(view.upstreamTimeoutLiteral).toBe('10_000');
    expect(upstreamTimeoutMs).toBe(10_000);
    expect(view.sample).toEqual({ pathLiteral: "'/order-service/sample?q=1'", forwardedLiteral: "'/sample?q=1'" });
  });

  it('its own test exceeds the rate limit only when that takes at most 1000 requests', () => {
    expect(rendered(system('{ kind: node, rateLimit: 1000/min }')).get('gateway/test/app.test.ts')).toContain('answers 429 with Retry-After beyond 1000 per minute');
    expect(rendered(system('{ kind: node, rateLimit: 1001/min }')).get('gateway/test/app.test.ts')).not.toContain('answers 429');
  });

  it('renders a gateway that routes nowhere (no service has an API) without routes or their tests', () => {
    const files = rendered('version: 1\nname: shop\ngateway: { kind: node, rateLimit: 5/s }\nservices:\n  worker:\n    database: none\n');
    expect(files.get('gateway/src/routes.ts')).toContain('export type Service = never;');
    expect(files.get('gateway/test/app.test.ts')).not.toMatch(/forwards|refuses|answers 429/);
  });

  it('renders nothing without a gateway, and the same bytes every time', () => {
    const without = 'version: 1\nname: shop\nservices:\n  order:\n    entities: { Order: { total: number } }\n';
    expect(gatewayFiles(modelOf(without))).toEqual([]);
    const yaml = exampleYaml('ecommerce');
    expect(rendered(yaml)).toEqual(rendered(yaml));
  });
});

describe('gateway target (nginx)', () => {
  it('renders only nginx.conf and a Dockerfile FROM the runtime view image', () => {
    const files = rendered(system('{ kind: nginx, port: 8080, auth: none }'));
    expect([...files.keys()]).toEqual(['gateway/Dockerfile', 'gateway/nginx.conf']);
    expect(files.get('gateway/Dockerfile')).toMatch(/^FROM nginx:1\.27-alpine$/m);
  });

  it('view: upstreams by host:port as the runtime view reaches them, prefix locations, limit_req from the rate limit', () => {
    const model = modelOf(system('{ kind: nginx, port: 8080, auth: none, rateLimit: 100/min }'));
    const runtime = runtimeView(model);
    const view = nginxView(model.gateway!, runtime.gateway!, runtime);
    const urls = runtime.gateway!.env.filter((e) => e.name.endsWith('_URL')).map((e) => ('value' in e ? e.value : ''));
    expect(view.upstreams.map((u) => `http://${u.server}`)).toEqual(urls);
    expect(view.routes[0]).toEqual({ comment: '/order/... -> order /...', matches: ['= /order', '/order/'], pass: 'http://order/' });
    expect(view.rateLimit).toEqual({ rate: '100r/m', burst: 99, retryAfter: 1, text: '100 per minute' });
    expect(view.upstreamTimeout).toBe('10s');
  });

  it.each([
    ['5/s', { rate: '5r/s', burst: 4, retryAfter: 1 }],
    ['5/min', { rate: '5r/m', burst: 4, retryAfter: 12 }],
    ['600/hour', { rate: '10r/m', burst: 599, retryAfter: 6 }],
    ['10/h', { rate: '1r/m', burst: 9, retryAfter: 60 }],
  ])('rate limit %s becomes %o', (limit, expected) => {
    const model = modelOf(system(`{ kind: nginx, auth: none, rateLimit: ${limit} }`));
    const runtime = runtimeView(model);
    expect(nginxView(model.gateway!, runtime.gateway!, runtime).rateLimit).toMatchObject(expected);
  });

  it('routes from system.yaml keep their path; a catch-all route is one location', () => {
    const yaml = system('{ kind: nginx }').replace('gateway: { kind: nginx }', 'gateway:\n  kind: nginx\n  auth: none\n  routes:\n    - { path: /orders, service: order }\n    - { path: /, service: product }');
    const conf = rendered(yaml).get('gateway/nginx.conf')!;
    expect(conf).toContain('    location = /orders {\n      proxy_pass http://order;\n    }\n    location /orders/ {\n      proxy_pass http://order;\n    }');
    expect(conf).toContain('    location / {\n      proxy_pass http://product;\n    }');
    expect(conf).not.toContain('limit_req');
  });
});
