import { describe, expect, it } from 'vitest';
import { lint } from '../lint/lint.js';
import { loadSystem } from '../load.js';
import {
  checkAuth,
  checkDatabase,
  checkServiceName,
  checkSubscribes,
  checkSystemName,
  defaultAnswers,
  defaultSystemName,
  parseCalls,
  parseEntities,
  parseEventNames,
  parseTeams,
  type InitAnswers,
  type ServiceAnswer,
} from './answers.js';
import { summary, systemYaml, withSchemaLine } from './system-yaml.js';

function load(answers: InitAnswers) {
  const text = systemYaml(answers, '../schema/system.schema.json');
  const loaded = loadSystem(text, 'system.yaml');
  if (!loaded.ok) throw new Error(`${text}\n${JSON.stringify(loaded.diagnostics, null, 2)}`);
  return { text, model: loaded.model, result: lint(loaded.model) };
}

const user: ServiceAnswer = { name: 'user', runtime: 'node', database: 'users', entities: [{ name: 'User', fields: [{ name: 'email', type: 'string' }] }], calls: [], publishes: [], subscribes: [] };

describe('init answers -> system.yaml', () => {
  it('--yes defaults load and lint clean (0 errors, 0 warnings, 0 infos)', () => {
    const { text, model, result } = load(defaultAnswers({ name: 'shop' }));
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/system.schema.json');
    expect(model.services.map((s) => s.name)).toEqual(['user', 'notification']);
    expect(model.gateway).toBeDefined();
    expect(result.findings).toEqual([]);
  });

  it.each([
    ['nats', 'node', 'jwt'],
    ['kafka', 'nginx', 'none'],
    ['none', 'node', 'none'],
  ] as const)('defaults with broker %s, gateway %s, auth %s load and lint clean', (broker, gateway, auth) => {
    const { text, result } = load(defaultAnswers({ name: 'shop', broker, gateway, auth, description: 'A "quoted": shop' }));
    expect(text).toContain(`broker: ${broker}`);
    expect(text).toContain(`kind: ${gateway}`);
    expect(text).toContain(`auth: ${auth}`);
    expect(result.findings).toEqual([]);
  });

  it('writes entities, calls, events, runtimes, database none and teams', () => {
    const answers: InitAnswers = {
      name: 'shop',
      broker: 'rabbitmq',
      gateway: 'none',
      auth: 'none',
      services: [
        { ...user, publishes: ['UserRegistered'] },
        {
          name: 'mailer',
          runtime: 'python',
          database: undefined,
          entities: [],
          calls: [{ callee: 'user', endpoint: 'GET /users/{id}' }, { callee: 'user', endpoint: 'GET /users' }],
          publishes: [],
          subscribes: ['UserRegistered'],
        },
      ],
      teams: { people: ['user', 'mailer'] },
    };
    const { text, model } = load(answers);
    const mailer = model.services.find((s) => s.name === 'mailer')!;
    expect(mailer.runtime).toBe('python');
    expect(mailer.database).toBeUndefined();
    expect(mailer.calls[0]!.endpoints.map((e) => e.text)).toEqual(['GET /users/{id}', 'GET /users']);
    expect(text).toContain('UserRegistered: { id: uuid, occurredAt: datetime }');
    expect(text).not.toContain('gateway:');
    expect(summary(answers, 'x/system.yaml')).toContain('mailer: python; database none; calls user:GET /users/{id}, user:GET /users; subscribes UserRegistered');
  });

  it('optional and list field types survive the round trip', () => {
    const parsed = parseEntities('Order userId:uuid note:text? tags:string[] extra:json[]?; OrderItem quantity:integer');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { model } = load({ ...defaultAnswers({ name: 'shop' }), services: [{ ...user, entities: parsed.entities }], teams: {} });
    expect(model.services[0]!.entities.map((e) => e.name)).toEqual(['Order', 'OrderItem']);
  });

  it('replaces the $schema line of an example, or adds one', () => {
    expect(withSchemaLine('# yaml-language-server: $schema=../../schema/system.schema.json\nversion: 1\n', '/x/s.json')).toBe('# yaml-language-server: $schema=/x/s.json\nversion: 1\n');
    expect(withSchemaLine('version: 1\n', 'https://e/s.json')).toBe('# yaml-language-server: $schema=https://e/s.json\nversion: 1\n');
  });
});

describe('init prompt validation', () => {
  it('refuses invalid names with the reason', () => {
    expect(checkSystemName('shop')).toBe(true);
    expect(checkSystemName('Shop')).toMatch(/lower-case DNS label/);
    expect(checkServiceName('order', [])).toBe(true);
    expect(checkServiceName('Order_1', [])).toMatch(/lower-case DNS label/);
    expect(checkServiceName('broker', [])).toMatch(/taken by the generated message broker/);
    expect(checkServiceName('gateway', [])).toMatch(/taken by the generated gateway/);
    expect(checkServiceName('users-db', [])).toMatch(/-db/);
    expect(checkServiceName('user', [user])).toMatch(/already a service/);
    expect(defaultSystemName('My Shop!')).toBe('my-shop');
    expect(defaultSystemName('123')).toBe('my-system');
  });

  it('checks databases, entities, calls, events and teams', () => {
    expect(checkDatabase('none', 'x', [user])).toBe(true);
    expect(checkDatabase('users', 'x', [user])).toMatch(/owned by service 'user'/);
    expect(checkDatabase('Orders', 'x', [])).toMatch(/not a database name/);
    expect(checkDatabase('order', 'order-db', [])).toMatch(/database server/);
    expect(parseEntities('order x:string')).toMatchObject({ ok: false, reason: expect.stringMatching(/PascalCase/) });
    expect(parseEntities('Order id:uuid')).toMatchObject({ ok: false, reason: expect.stringMatching(/reserved/) });
    expect(parseEntities('Order qty:int')).toMatchObject({ ok: false, reason: expect.stringMatching(/type must be/) });
    expect(parseEntities('Order')).toMatchObject({ ok: false, reason: expect.stringMatching(/no fields/) });
    expect(parseEntities('none')).toEqual({ ok: true, entities: [] });
    expect(parseCalls('user:GET /users/{userId}', 'order', [user])).toEqual({ ok: true, calls: [{ callee: 'user', endpoint: 'GET /users/{userId}' }] });
    expect(parseCalls('user:GET /people', 'order', [user])).toMatchObject({ ok: false, reason: expect.stringMatching(/does not serve GET \/people; it serves POST \/users/) });
    expect(parseCalls('product:GET /products', 'order', [user])).toMatchObject({ ok: false, reason: expect.stringMatching(/not a service declared before/) });
    expect(parseCalls('user:FETCH /users', 'order', [user])).toMatchObject({ ok: false, reason: expect.stringMatching(/METHOD \/path/) });
    expect(parseEventNames('OrderPlaced, OrderShipped')).toEqual({ ok: true, events: ['OrderPlaced', 'OrderShipped'] });
    expect(parseEventNames('order-placed')).toMatchObject({ ok: false });
    expect(checkSubscribes(['UserRegistered'], [], [{ ...user, publishes: ['UserRegistered'] }])).toBe(true);
    expect(checkSubscribes(['Nope'], [], [user])).toMatch(/no earlier service publishes/);
    expect(parseTeams('a: user; b: order', ['user', 'order'])).toEqual({ ok: true, teams: { a: ['user'], b: ['order'] } });
    expect(parseTeams('a: user; b: user', ['user'])).toMatchObject({ ok: false, reason: expect.stringMatching(/both team/) });
    expect(parseTeams('a: ghost', ['user'])).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown service/) });
    expect(checkAuth('nginx', 'jwt')).toMatch(/nginx/);
    expect(checkAuth('node', 'jwt')).toBe(true);
  });
});
