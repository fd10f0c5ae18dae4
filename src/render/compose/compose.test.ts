import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generatedNotice } from '../header.js';
import { runtimeView } from '../runtime-view.js';
import { exampleNames, exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import type { FileTree } from '../tree.js';
import compose from './index.js';
import { composeView } from './view.js';
import { composeProblems, parseCompose, parseDotenv, schemaErrors, semanticProblems, type ComposeDocument } from '../../../test/support/render/compose/compose-check.js';

function render(yaml: string): { tree: FileTree; yaml: string; envExample: string; doc: ComposeDocument; env: Map<string, string> } {
  const tree = renderYaml(yaml, [compose]);
  const file = (path: string): string => {
    const found = tree.get(path);
    if (!found) throw new Error(`${path} was not rendered`);
    return found.content;
  };
  const composeYaml = file('docker-compose.yml');
  const envExample = file('.env.example');
  return { tree, yaml: composeYaml, envExample, doc: parseCompose(composeYaml), env: parseDotenv(envExample) };
}

const environment = (doc: ComposeDocument, service: string): Record<string, string> => doc.services[service]!.environment as Record<string, string>;
const dependsOn = (doc: ComposeDocument, service: string): string[] => Object.keys(doc.services[service]!.depends_on ?? {});

describe('compose target on the reference examples', () => {
  it.each([...exampleNames, 'anti-patterns'])('%s: valid against the Compose Specification and consistent with .env.example', (name) => {
    const { tree, yaml, envExample, doc } = render(exampleYaml(name));
    expect(composeProblems(yaml, envExample)).toEqual([]);
    expect(doc.name).toBe(name);

    expect(tree.get('docker-compose.yml')?.owner).toBe('generator');
    expect(tree.get('.env.example')?.owner).toBe('generator');
    expect(yaml.startsWith(`# ${generatedNotice}\n`)).toBe(true);
    // .env is the user's from the first run on, and starts out as the example so `docker compose up` just works.
    expect(tree.get('.env')).toMatchObject({ owner: 'user', content: envExample.slice(envExample.indexOf('\n') + 1) });
    expect(tree.get('.gitignore')?.owner).toBe('user');
    expect(tree.get('.gitignore')?.content.split('\n')).toEqual(expect.arrayContaining(['.env', 'node_modules/', 'dist/', '__pycache__/', '.venv/', '.taskflow/dev/']));
  });

  it.each(exampleNames)('%s: only the gateway publishes a port, and it waits for the services it routes to', (name) => {
    const { doc } = render(exampleYaml(name));
    const published = Object.entries(doc.services).filter(([, s]) => s.ports?.length);
    expect(published.map(([key]) => key)).toEqual(['gateway']);
    expect(doc.services.gateway!.ports).toEqual(['8080:8080']);
    expect(doc.services.gateway!.build).toEqual({ context: './gateway' });
    expect(dependsOn(doc, 'gateway').length).toBeGreaterThan(0);
  });

  it('ecommerce: services build from their folders, reach their own database and the broker, never their callees', () => {
    const { doc, env } = render(exampleYaml('ecommerce'));
    expect(doc.services.order).toMatchObject({ build: { context: './services/order' }, image: 'ecommerce/order:latest', restart: 'unless-stopped' });
    expect(environment(doc, 'order')).toEqual({
      PORT: '3003',
      DATABASE_URL: 'postgres://orders:${ORDERS_DB_PASSWORD}@orders-db:5432/orders',
      BROKER_URL: '${BROKER_URL}',
      USER_URL: 'http://user:3001',
      PRODUCT_URL: 'http://product:3002',
      LOG_LEVEL: 'info',
    });
    expect(dependsOn(doc, 'order')).toEqual(['orders-db', 'broker']);
    expect(doc.services['orders-db']).toMatchObject({
      image: 'postgres:16-alpine',
      environment: { POSTGRES_USER: 'orders', POSTGRES_PASSWORD: '${ORDERS_DB_PASSWORD}', POSTGRES_DB: 'orders' },
      volumes: ['orders-db-data:/var/lib/postgresql/data'],
      healthcheck: { test: ['CMD', 'pg_isready', '-U', 'orders', '-d', 'orders'] },
    });
    expect(doc.services['orders-db']!.ports).toBeUndefined();
    expect(doc.services.broker).toMatchObject({ image: 'rabbitmq:3.13-management-alpine', hostname: 'broker', volumes: ['broker-data:/var/lib/rabbitmq'] });
    expect(doc.services.broker!.ports).toBeUndefined();
    expect(environment(doc, 'gateway').JWT_SECRET).toBe('${JWT_SECRET}');
    expect([...env.keys()]).toEqual(['USERS_DB_PASSWORD', 'PRODUCTS_DB_PASSWORD', 'ORDERS_DB_PASSWORD', 'SEARCH_DB_PASSWORD', 'BROKER_URL', 'JWT_SECRET']);
    expect(env.get('BROKER_URL')).toBe('amqp://guest:guest@broker:5672');
  });

  it('taskflow: nats with JetStream and a volume; the python service is probed with python', () => {
    const { doc } = render(exampleYaml('taskflow'));
    expect(doc.services.broker).toMatchObject({ image: 'nats:2.10-alpine', volumes: ['broker-data:/data'] });
    expect(doc.services.broker!.command).toEqual(expect.arrayContaining(['-js']));
    expect(doc.services.notification!.healthcheck!.test).toEqual(['CMD', 'python', '-c', expect.stringContaining("urlopen('http://127.0.0.1:3002/health'")]);
    expect(doc.services.task!.healthcheck!.test).toEqual(['CMD', 'node', '-e', expect.stringContaining("fetch('http://127.0.0.1:3001/health')")]);
  });

  it('task-manager with a sqlite task service: no database container but a volume at /data', () => {
    const { doc } = render(exampleYaml('task-manager').replace('    database: tasks\n', '    database: { name: tasks, engine: sqlite }\n'));
    expect(doc.services['tasks-db']).toBeUndefined();
    expect(doc.services.task!.volumes).toEqual(['tasks-data:/data']);
    expect(environment(doc, 'task').DATABASE_URL).toBe('sqlite:///data/tasks.db');
    expect(dependsOn(doc, 'task')).toEqual(['broker']);
  });

  it('anti-patterns: the shared database is one container, used by both owners exactly as declared', () => {
    const { doc, env } = render(exampleYaml('anti-patterns'));
    const shop = Object.keys(doc.services).filter((key) => key.startsWith('shop'));
    expect(shop).toEqual(['shop-db']);
    for (const owner of ['order', 'customer-data']) {
      expect(environment(doc, owner).DATABASE_URL).toBe('postgres://shop:${SHOP_DB_PASSWORD}@shop-db:5432/shop');
      expect(dependsOn(doc, owner)).toContain('shop-db');
    }
    expect([...env.keys()].filter((k) => k.startsWith('SHOP'))).toEqual(['SHOP_DB_PASSWORD']);
    // newsletter owns no database but has events: its outbox and inbox (embedded PGlite) get a volume of their own.
    expect(doc.services.newsletter!.volumes).toEqual(['newsletter-data:/data']);
    expect(environment(doc, 'newsletter').DATABASE_URL).toBeUndefined();
    // No gateway: every service publishes its own port.
    const services = ['storefront', 'order', 'catalog', 'customer-data', 'payment', 'shipping', 'pricing', 'newsletter'];
    for (const service of services) expect(doc.services[service]!.ports).toHaveLength(1);
    expect(doc.services['catalog-db']).toMatchObject({ image: 'mariadb:11', healthcheck: { test: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'] } });
  });

  it('renders byte-identical files on every run', () => {
    for (const name of exampleNames) {
      const once = renderYaml(exampleYaml(name), [compose]).files();
      const twice = renderYaml(exampleYaml(name), [compose]).files();
      expect(twice).toEqual(once);
    }
  });
});

const edge = `
version: 1
name: edge
broker: kafka
services:
  order:
    database: orders
    entities: { Order: { total: number } }
    publishes: [OrderPlaced]
  payment:
    runtime: python
    database: { name: payments, engine: mysql }
    entities: { Payment: { amount: number } }
    subscribes: [OrderPlaced]
  catalog:
    database: { name: catalog, engine: mongodb }
    entities: { Product: { name: string } }
  ledger:
    database: { name: ledger, engine: sqlite }
    entities: { Entry: { amount: number } }
    subscribes: [OrderPlaced]
  pricing:
    api: [POST /quotes]
    calls:
      catalog: [GET /products]
events:
  OrderPlaced: { orderId: uuid }
`;

describe('compose target on edge cases', () => {
  it('kafka, no gateway, python, mysql, mongodb, sqlite, a service without database or events', () => {
    const { yaml, envExample, doc, env } = render(edge);
    expect(composeProblems(yaml, envExample)).toEqual([]);
    expect(Object.keys(doc.services)).toEqual(['order', 'payment', 'catalog', 'ledger', 'pricing', 'orders-db', 'payments-db', 'catalog-db', 'broker']);
    // No gateway: each service publishes its own port.
    expect(doc.services.order!.ports).toEqual(['3001:3001']);
    expect(doc.services.pricing!.ports).toEqual(['3005:3005']);

    expect(doc.services.broker).toMatchObject({ image: 'apache/kafka:3.8.0', volumes: ['broker-data:/var/lib/kafka/data'] });
    expect(environment(doc, 'broker')).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller', KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://broker:9092', KAFKA_LOG_DIRS: '/var/lib/kafka/data' });
    expect(env.get('BROKER_URL')).toBe('kafka://broker:9092');

    expect(environment(doc, 'payment').DATABASE_URL).toBe('mysql://payments:${PAYMENTS_DB_PASSWORD}@payments-db:3306/payments');
    expect(doc.services['payments-db']).toMatchObject({ image: 'mariadb:11', volumes: ['payments-db-data:/var/lib/mysql'] });
    expect(environment(doc, 'catalog').DATABASE_URL).toBe('mongodb://catalog:${CATALOG_DB_PASSWORD}@catalog-db:27017/catalog?authSource=admin');
    expect(doc.services['catalog-db']).toMatchObject({
      image: 'mongo:7',
      environment: { MONGO_INITDB_ROOT_USERNAME: 'catalog', MONGO_INITDB_ROOT_PASSWORD: '${CATALOG_DB_PASSWORD}' },
      healthcheck: { test: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"] },
    });
    expect(doc.services.ledger!.volumes).toEqual(['ledger-data:/data']);

    // Without events, no broker; without database, nothing to wait for; callees are never waited for.
    expect(environment(doc, 'catalog').BROKER_URL).toBeUndefined();
    expect(doc.services.pricing!.depends_on).toBeUndefined();
    expect(environment(doc, 'pricing')).toEqual({ PORT: '3005', CATALOG_URL: 'http://catalog:3003', LOG_LEVEL: 'info' });
    expect([...env.keys()]).toEqual(['ORDERS_DB_PASSWORD', 'PAYMENTS_DB_PASSWORD', 'CATALOG_DB_PASSWORD', 'BROKER_URL']);
  });

  it('nginx gateway: official image, its config mounted read-only, no build and no environment', () => {
    const { yaml, envExample, doc, env } = render(`${edge.replace('broker: kafka', 'broker: nats')}gateway: { kind: nginx, port: 8000, auth: none }\n`);
    expect(composeProblems(yaml, envExample)).toEqual([]);
    expect(doc.services.gateway).toMatchObject({ image: 'nginx:1.27-alpine', volumes: ['./gateway/nginx.conf:/etc/nginx/nginx.conf:ro'], ports: ['8000:8000'] });
    expect(doc.services.gateway!.build).toBeUndefined();
    expect(doc.services.gateway!.environment).toBeUndefined();
    expect(doc.services.gateway!.healthcheck!.test).toEqual(['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:8000/ready']);
    expect(dependsOn(doc, 'gateway')).toEqual(['order', 'payment', 'catalog', 'ledger', 'pricing']);
    expect(env.has('JWT_SECRET')).toBe(false);
    expect(Object.entries(doc.services).filter(([, s]) => s.ports).map(([key]) => key)).toEqual(['gateway']);
  });

  it('broker none: no broker container and no BROKER_URL', () => {
    const yaml = `
version: 1
name: quiet
gateway: { port: 9000 }
services:
  user:
    database: users
    entities: { User: { email: string } }
  profile:
    database: users
    entities: { Profile: { bio: text } }
`;
    const { yaml: composeYaml, envExample, doc, env } = render(yaml);
    expect(composeProblems(composeYaml, envExample)).toEqual([]);
    expect(doc.services.broker).toBeUndefined();
    expect(env.has('BROKER_URL')).toBe(false);
    // Shared database, again exactly as declared: one server, both owners point at it.
    expect(Object.keys(doc.services)).toEqual(['gateway', 'user', 'profile', 'users-db']);
    expect(environment(doc, 'user').DATABASE_URL).toBe(environment(doc, 'profile').DATABASE_URL);
    expect(dependsOn(doc, 'profile')).toEqual(['users-db']);
    expect(doc.services.gateway!.ports).toEqual(['9000:9000']);
  });

  it('a shared sqlite database shares one volume', () => {
    const yaml = `
version: 1
name: tiny
defaults: { database: sqlite }
services:
  a: { database: notes, entities: { Note: { body: text } } }
  b: { database: notes, entities: { Tag: { label: string } } }
`;
    const { yaml: composeYaml, envExample, doc } = render(yaml);
    expect(composeProblems(composeYaml, envExample)).toEqual([]);
    expect(doc.services.a!.volumes).toEqual(['notes-data:/data']);
    expect(doc.services.b!.volumes).toEqual(['notes-data:/data']);
    expect(Object.keys(doc.volumes ?? {})).toEqual(['notes-data']);
  });

  it('a system with nothing to interpolate still gets a (commented) .env.example', () => {
    const { yaml, envExample, tree } = render('version: 1\nname: solo\nservices:\n  echo: { api: [GET /echo] }\n');
    expect(composeProblems(yaml, envExample)).toEqual([]);
    expect(parseDotenv(envExample).size).toBe(0);
    expect(tree.get('.env')?.content).toBe('# docker-compose.yml reads no variables from this file.\n');
    expect(yaml).not.toContain('volumes:');
  });

  it('service names YAML would read as booleans or null stay strings', () => {
    const { yaml, envExample, doc } = render('version: 1\nname: odd\ngateway: { auth: none }\nservices:\n  on: { api: [GET /a] }\n  null: { api: [GET /b] }\n');
    expect(composeProblems(yaml, envExample)).toEqual([]);
    expect(Object.keys(doc.services)).toEqual(['gateway', 'on', 'null']);
    expect(dependsOn(doc, 'gateway')).toEqual(['on', 'null']);
    // js-yaml turns any key into a JS string, so look at the text: Compose's YAML 1.1 reader would see `on:` as true.
    expect(yaml).toMatch(/^ {2}"on":$/m);
    expect(yaml).toMatch(/^ {6}"null":$/m);
  });

  it('escapes a literal $ in plain values, so compose does not take it for a variable', () => {
    const model = modelOf('version: 1\nname: solo\nservices:\n  echo: { api: [GET /echo] }\n');
    const runtime = runtimeView(model);
    const patched = { ...runtime, services: runtime.services.map((s) => ({ ...s, env: [...s.env, { name: 'PRICE', value: 'costs $5' }] })) };
    const echo = composeView(model, patched).compose.containers.find((c) => c.key === 'echo');
    expect(echo?.environment).toContainEqual({ name: 'PRICE', value: 'costs $$5' });
  });
});

describe('the compose checks can fail', () => {
  const base = (): { doc: ComposeDocument; envExample: string } => {
    const { doc, envExample } = render(exampleYaml('ecommerce'));
    return { doc, envExample };
  };
  const broken = (change: (doc: ComposeDocument) => void): { yaml: string; envExample: string } => {
    const { doc, envExample } = base();
    change(doc);
    return { yaml: dump(doc), envExample };
  };

  it('the untouched document passes, also after a YAML round trip', () => {
    const { yaml, envExample } = broken(() => {});
    expect(composeProblems(yaml, envExample)).toEqual([]);
  });

  it.each<[string, (doc: ComposeDocument) => void]>([
    ['an unknown healthcheck key', (doc) => Object.assign(doc.services.order!.healthcheck!, { tset: ['CMD', 'true'] })],
    ['a depends_on condition outside the enum', (doc) => Object.assign(doc.services.order!, { depends_on: { broker: { condition: 'when_ready' } } })],
    ['ports that are not a list', (doc) => Object.assign(doc.services.gateway!, { ports: '8080:8080' })],
    ['a service that is not an object', (doc) => Object.assign(doc.services, { order: 'order' })],
  ])('the schema rejects %s', (_, change) => {
    const { yaml } = broken(change);
    expect(schemaErrors(yaml)).not.toEqual([]);
  });

  it.each<[string, (doc: ComposeDocument) => void, RegExp]>([
    ['a dependency on a missing container', (doc) => Object.assign(doc.services.order!, { depends_on: { 'order-db': { condition: 'service_healthy' } } }), /depends_on unknown service order-db/],
    ['service_started on a callee', (doc) => Object.assign(doc.services.order!, { depends_on: { product: { condition: 'service_started' } } }), /condition service_started/],
    ['an undeclared volume', (doc) => delete doc.volumes!['orders-db-data'], /volume orders-db-data is not declared/],
    ['an unused volume', (doc) => Object.assign(doc.volumes!, { spare: null }), /volume spare is declared but unused/],
    ['a variable missing from .env.example', (doc) => Object.assign(environment(doc, 'order'), { API_KEY: '${API_KEY}' }), /\$\{API_KEY\} is not defined/],
    ['an unescaped dollar', (doc) => Object.assign(environment(doc, 'order'), { PRICE: 'costs $5' }), /unescaped \$/],
    ['a missing healthcheck', (doc) => delete doc.services.broker!.healthcheck, /broker: no healthcheck/],
    ['two containers on one host port', (doc) => Object.assign(doc.services.order!, { ports: ['8080:3003'] }), /host port 8080 already published by gateway/],
    ['a wrong build context', (doc) => Object.assign(doc.services.order!, { build: { context: './order' } }), /build context \.\/order/],
    ['a start-order cycle', (doc) => Object.assign(doc.services.broker!, { depends_on: { gateway: { condition: 'service_healthy' } } }), /depends_on cycle/],
  ])('the semantic checks reject %s', (_, change, message) => {
    const { yaml, envExample } = broken(change);
    expect(schemaErrors(yaml)).toEqual([]);
    expect(semanticProblems(yaml, envExample).join('\n')).toMatch(message);
  });

  it('an .env.example variable that compose never reads is reported', () => {
    const { yaml, envExample } = broken(() => {});
    expect(semanticProblems(yaml, `${envExample}STALE=1\n`)).toEqual(['STALE in .env.example is never used']);
  });
});
