import { describe, expect, it } from 'vitest';
import { exampleYaml, modelOf } from '../../test/support/render/render.js';
import { devPlan, processEnv, type DevWiring } from './plan.js';

const wiring = (ports: Record<string, number>, extra: Partial<DevWiring> = {}): DevWiring => ({
  ports: new Map(Object.entries(ports)),
  databaseUrls: new Map(),
  jwtSecret: 'dev-secret',
  logLevel: 'info',
  ...extra,
});

describe('devPlan', () => {
  it('starts callees first, in waves, and the gateway last', () => {
    const plan = devPlan(modelOf(exampleYaml('ecommerce')));
    expect(plan.processes.map((p) => [p.name, p.wave])).toEqual([
      ['user', 0],
      ['product', 0],
      ['search', 0],
      ['order', 1],
      ['gateway', 2],
    ]);
    expect(plan.broker).toBe('rabbitmq');
    expect(plan.gatewayAuth).toBe('jwt');
    expect(plan.tryPath).toBe('/user/users');
  });

  it('puts a caller after every service of a longer chain it calls', () => {
    const plan = devPlan(
      modelOf(`version: 1
name: chain
services:
  a: { calls: { b: ['GET /bs'] } }
  b: { calls: { c: ['GET /cs'] }, entities: { B: { x: string } } }
  c: { entities: { C: { x: string } } }
  d: { calls: { c: ['GET /cs'] } }
`),
    );
    expect(plan.processes.map((p) => `${p.name}:${p.wave}`)).toEqual(['c:0', 'b:1', 'd:1', 'a:2']);
  });

  it('cuts a sync cycle where it closes instead of waiting forever', () => {
    const plan = devPlan(
      modelOf(`version: 1
name: loop
services:
  a: { calls: { b: ['GET /bs'] }, entities: { A: { x: string } } }
  b: { calls: { a: ['GET /as'] }, entities: { B: { x: string } } }
`),
    );
    expect(plan.processes.map((p) => `${p.name}:${p.wave}`)).toEqual(['b:0', 'a:1']);
  });

  it('leaves an nginx gateway to its container and says why', () => {
    const plan = devPlan(modelOf(exampleYaml('ecommerce').replace(/kind: node/, 'kind: nginx').replace(/auth: jwt/, 'auth: none')));
    expect(plan.processes.some((p) => p.kind === 'gateway')).toBe(false);
    expect(plan.skipped.map((s) => s.name)).toEqual(['gateway']);
  });
});

describe('processEnv', () => {
  const plan = devPlan(modelOf(exampleYaml('ecommerce')));
  const ports = { user: 3001, product: 3002, search: 3004, order: 4123, gateway: 55000 };

  it('wires every callee at the port it really got', () => {
    const order = plan.processes.find((p) => p.name === 'order')!;
    const env = processEnv(plan, order, wiring(ports, { brokerUrl: 'amqp://guest:guest@127.0.0.1:5672', databaseUrls: new Map([['order', 'pglite:///x/order/pglite']]) }));
    expect(env).toEqual({
      PORT: '4123',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'pglite:///x/order/pglite',
      BROKER_URL: 'amqp://guest:guest@127.0.0.1:5672',
      USER_URL: 'http://127.0.0.1:3001',
      PRODUCT_URL: 'http://127.0.0.1:3002',
    });
  });

  it('turns server-side prepared statements off for a process whose database is a shared PGlite backend, and only for it', () => {
    const [order, user] = ['order', 'user'].map((name) => plan.processes.find((p) => p.name === name)!);
    const served = wiring(ports, { databaseUrls: new Map([['order', 'postgresql://postgres@127.0.0.1:41234/postgres'], ['user', 'pglite:///x/user/pglite']]), sharedBackends: new Set(['order']) });
    expect(processEnv(plan, order!, served)).toMatchObject({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:41234/postgres', DATABASE_PREPARED_STATEMENTS: 'false' });
    expect(processEnv(plan, user!, served)).not.toHaveProperty('DATABASE_PREPARED_STATEMENTS');
  });

  it('gives the gateway every service it routes to and the dev secret', () => {
    const gateway = plan.processes.find((p) => p.name === 'gateway')!;
    const env = processEnv(plan, gateway, wiring(ports));
    expect(env['PORT']).toBe('55000');
    expect(env['ORDER_URL']).toBe('http://127.0.0.1:4123');
    expect(env['JWT_SECRET']).toBe('dev-secret');
    expect(env['BROKER_URL']).toBeUndefined();
    expect(env['DATABASE_URL']).toBeUndefined();
  });
});
