import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program } from './support/programs.js';
import { pythonVenv } from './support/python-venv.js';
import { modelOf } from './support/render/render.js';
import { prepareSystem, prepareYaml, type PreparedSystem } from './support/running-system.js';
import { ensurePostgres } from './support/services.js';

/**
 * The contract tests of systems written in both runtimes: examples/order-saga
 * (Python notification and analytics consume the events of Node.js services)
 * and examples/taskflow (a Python service calls a Node.js one and consumes
 * another's events), and a system written here whose Python service is the
 * provider and publisher for a Node.js and a Python consumer. Every service's
 * contract suite passes with the pacts the other runtime wrote; a change on
 * one side turns the other runtime's expectation into a failure that names
 * the consumer and the field; a suite needs no other service and no broker;
 * a Python provider whose handlers call another service is verified with
 * the stand-ins its extensions.py gives for that service.
 */

const run = promisify(execFile);
const suiteTimeout = 600_000;
/** The PostgreSQL server the Python services' tests make their databases on. */
const server = 'postgres://postgres@127.0.0.1:5432/postgres';

interface SuiteRun {
  readonly ok: boolean;
  readonly output: string;
}

interface Polyglot {
  readonly system: PreparedSystem;
  /** The venv of each Python service, with its requirements-dev.txt (pytest, pact-python, ruff, mypy). */
  readonly venvs: ReadonlyMap<string, string>;
}

async function prepare(system: PreparedSystem): Promise<Polyglot> {
  const venvs = new Map<string, string>();
  for (const service of system.services) {
    const dir = join(system.dir, 'services', service);
    if (!existsSync(join(dir, 'requirements-dev.txt'))) continue;
    const pins = ['requirements.txt', 'requirements-dev.txt'].flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => /^[\w.-]+==/.test(line)),
    );
    venvs.set(service, await pythonVenv(pins));
  }
  return { system, venvs };
}

async function attempt(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<SuiteRun> {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: readable(stdout + stderr) };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: readable(stdout + stderr) };
  }
}

/** Output without the `E   ` pytest puts before each line of a failure, so that it reads like node's. */
function readable(output: string): string {
  return output.replace(/^E {3}/gm, '');
}

/** A service's consumer tests (they write its pacts), or undefined when it has none. */
async function consumerSuite(p: Polyglot, service: string): Promise<SuiteRun | undefined> {
  const dir = join(p.system.dir, 'services', service);
  const venv = p.venvs.get(service);
  if (venv) {
    const contracts = join(dir, 'tests', 'contracts');
    if (!existsSync(contracts) || !readdirSync(contracts).some((f) => f.startsWith('test_consumer_'))) return undefined;
    return attempt(join(venv, 'bin', 'python'), ['-m', 'pytest', '-q', '-m', 'consumer', 'tests/contracts'], dir, { DATABASE_URL: server });
  }
  const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return scripts['test:consumer'] ? attempt('npm', ['run', 'test:consumer', '--silent'], dir) : undefined;
}

/** A service's whole contract suite: `npm run test:contracts`, or `pytest tests/contracts`. */
async function contractSuite(p: Polyglot, service: string, env: NodeJS.ProcessEnv = { DATABASE_URL: server }): Promise<SuiteRun | undefined> {
  const dir = join(p.system.dir, 'services', service);
  const venv = p.venvs.get(service);
  if (venv) return existsSync(join(dir, 'tests', 'contracts')) ? attempt(join(venv, 'bin', 'python'), ['-m', 'pytest', '-q', 'tests/contracts'], dir, env) : undefined;
  const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return scripts['test:contracts'] ? attempt('npm', ['run', 'test:contracts', '--silent'], dir) : undefined;
}

/** Every consumer's tests, whatever its runtime: they write the pacts the providers verify. */
async function writePacts(p: Polyglot): Promise<void> {
  for (const service of p.system.services) {
    const result = await consumerSuite(p, service);
    if (result && !result.ok) throw new Error(`${service}'s consumer tests failed:\n${result.output}`);
  }
}

/** Consumers first, then every suite; each must pass. */
async function allGreen(p: Polyglot): Promise<string[]> {
  const ran: string[] = [];
  await writePacts(p);
  for (const service of p.system.services) {
    const result = await contractSuite(p, service);
    if (!result) continue;
    expect(result.ok, `${service}:\n${result.output}`).toBe(true);
    ran.push(service);
  }
  return ran;
}

/** Every pact file system.yaml's edges call for: a consumer's with each service it calls and each publisher of what it consumes. */
function expectedPacts(system: PreparedSystem): string[] {
  const model = modelOf(readFileSync(join(system.dir, 'system.yaml'), 'utf8'));
  const events = new Map(model.events.map((e) => [e.name, e]));
  return [
    ...new Set(
      model.services.flatMap((s) => [
        ...s.calls.map((c) => `${s.name}-${c.callee}.json`),
        ...s.subscribes.flatMap((r) => events.get(r.event)!.publishers.map((publisher) => `${s.name}-${publisher}.json`)),
      ]),
    ),
  ].sort();
}

function pactFiles(system: PreparedSystem): string[] {
  return readdirSync(join(system.dir, 'contracts', 'pacts')).sort();
}

function edit(system: PreparedSystem, file: string, from: string | RegExp, to: string): void {
  const path = join(system.dir, file);
  const text = readFileSync(path, 'utf8');
  // A function, so that `$'` and the like in `to` stay as they are.
  const changed = text.replace(from, () => to);
  if (changed === text) throw new Error(`${file} does not contain ${String(from)}`);
  writeFileSync(path, changed);
}

function cleanUp(system: PreparedSystem | undefined): void {
  if (system && !process.env['TF_E2E_KEEP']) rmSync(system.dir, { recursive: true, force: true });
}

beforeAll(() => ensurePostgres());

describe('contract tests of examples/order-saga (Node.js publishers, Python subscribers)', () => {
  let p: Polyglot;

  beforeAll(async () => {
    p = await prepare(await prepareSystem('order-saga', 'rabbitmq'));
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it('passes every service\'s contract suite, Node.js and Python, with a pact for every declared edge', async () => {
    const ran = await allGreen(p);
    expect(ran).toEqual(expect.arrayContaining(['notification', 'analytics', 'order', 'user', 'payment', 'inventory']));
    expect(pactFiles(p.system)).toEqual(expectedPacts(p.system));
    // Python subscribers' message pacts, verified by the Node.js publishers above.
    const pact = JSON.parse(readFileSync(join(p.system.dir, 'contracts', 'pacts', 'analytics-order.json'), 'utf8')) as { interactions: { description: string; type: string }[] };
    expect(pact.interactions.map((i) => [i.description, i.type])).toEqual([
      ['an OrderCancelled event', 'Asynchronous/Messages'],
      ['an OrderConfirmed event', 'Asynchronous/Messages'],
    ]);
  }, suiteTimeout);
});

describe('contract tests of examples/taskflow (a Python consumer of a Node.js provider and publisher)', () => {
  let p: Polyglot;

  beforeAll(async () => {
    p = await prepare(await prepareSystem('taskflow', 'nats'));
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it('passes every service\'s contract suite, Node.js and Python, with a pact for every declared edge', async () => {
    const ran = await allGreen(p);
    expect(ran).toEqual(expect.arrayContaining(['task', 'notification', 'user']));
    expect(pactFiles(p.system)).toEqual(expectedPacts(p.system));
  }, suiteTimeout);

  it('runs a Python and a Node.js service\'s suite with no other service, no broker and no PostgreSQL port listening (a network namespace of their own)', async () => {
    const model = modelOf(readFileSync(join(p.system.dir, 'system.yaml'), 'utf8'));
    const ports = [...model.services.map((s) => s.port), 5432, 5672, 4222, 9092, 6379];
    const probe = `const net=require('node:net');Promise.all(${JSON.stringify(ports)}.map(p=>new Promise(r=>{const s=net.connect(p,'127.0.0.1');s.on('connect',()=>{s.destroy();r(p)});s.on('error',()=>r(0))}))).then(l=>{l=l.filter(Boolean);if(l.length){console.error('listening: '+l.join(', '));process.exit(1)}})`;
    const python = join(p.venvs.get('notification')!, 'bin', 'python');
    // The Python service's database is made on the server's Unix socket: a file, not a port.
    const script = [
      `${program('ip')} link set lo up`,
      `node -e "${probe}"`,
      'echo probed-nothing-listening',
      `cd ${join(p.system.dir, 'services', 'notification')} && DATABASE_URL='postgresql:///postgres?host=/var/run/postgresql' ${python} -m pytest -q tests/contracts`,
      `cd ${join(p.system.dir, 'services', 'user')} && npm run test:contracts --silent`,
    ].join(' && ');
    const result = await attempt(program('unshare'), ['-rn', 'sh', '-c', script], p.system.dir, { PATH: process.env['PATH'], HOME: process.env['HOME'] });
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('probed-nothing-listening');
    expect(result.output).toMatch(/^\d+ passed in /m);
    expect(result.output).toMatch(/^# fail 0$/m);
  }, suiteTimeout);

  it("break: user (Node.js) stops returning displayName, which notification (Python) reads: user's verification fails naming notification and the field", async () => {
    await writePacts(p);
    const entity = 'services/user/src/entities/user.ts';
    const saved = readFileSync(join(p.system.dir, entity), 'utf8');
    try {
      // The answer's schema and the column both say `name` now: a rename on the provider's side.
      edit(p.system, entity, "required: ['id', 'email', 'displayName',", "required: ['id', 'email', 'name',");
      edit(p.system, entity, "    displayName: { type: 'string', pattern: '^[^\\\\u0000]*$' },", "    name: { type: 'string', pattern: '^[^\\\\u0000]*$' },");
      edit(p.system, entity, '"display_name" AS "displayName"', '"display_name" AS "name"');
      const build = await attempt('npm', ['run', 'build', '--silent'], join(p.system.dir, 'services', 'user'));
      expect(build.ok, build.output).toBe(true);
      const user = (await contractSuite(p, 'user'))!;
      expect(user.ok).toBe(false);
      expect(user.output).toContain('user does not give its consumers what they expect');
      expect(user.output).toMatch(/- notification expects: Given a User exists - GET \/users\/\{id\} of an existing User\s+\$ Actual map is missing the following keys: displayName\s+\(contracts\/pacts\/notification-user\.json\)/);
      // The consumers' own suites are unaffected: they test against the pact, not against user.
      expect((await contractSuite(p, 'notification'))!.ok).toBe(true);
    } finally {
      writeFileSync(join(p.system.dir, entity), saved);
      await attempt('npm', ['run', 'build', '--silent'], join(p.system.dir, 'services', 'user'));
    }
    expect((await contractSuite(p, 'user'))!.ok).toBe(true);
  }, suiteTimeout);
});

const polyglotYaml = `
version: 1
name: polyglot
description: A Python provider and publisher with a Node.js and a Python consumer
defaults:
  runtime: node
broker: rabbitmq
services:
  catalog:
    runtime: python
    database: catalog
    entities:
      Product:
        name: string
        price: number
        stock: integer
        tags: string[]
        released: date?
    publishes: [ProductChanged]
  shop:
    calls:
      catalog: ['GET /products/{id}', 'POST /products']
    subscribes: [ProductChanged]
  mailer:
    runtime: python
    calls:
      catalog: ['GET /products', 'GET /products/{id}', 'PUT /products/{id}', 'DELETE /products/{id}', 'POST /products']
    subscribes: [ProductChanged]
events:
  ProductChanged: { productId: uuid, price: number, tags: 'string[]' }
`;

describe('contract tests of a Python provider and publisher with a Node.js and a Python consumer', () => {
  let p: Polyglot;

  beforeAll(async () => {
    p = await prepare(await prepareYaml('polyglot', polyglotYaml));
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it('catalog (Python) honours the pacts shop (Node.js) and mailer (Python) write: every CRUD call and the event', async () => {
    const ran = await allGreen(p);
    expect(ran.sort()).toEqual(['catalog', 'mailer', 'shop']);
    expect(pactFiles(p.system)).toEqual(['mailer-catalog.json', 'shop-catalog.json']);
    const mailer = JSON.parse(readFileSync(join(p.system.dir, 'contracts', 'pacts', 'mailer-catalog.json'), 'utf8')) as { interactions: { description: string }[]; metadata: { pactSpecification: { version: string } } };
    expect(mailer.metadata.pactSpecification.version).toBe('4.0');
    expect(mailer.interactions.map((i) => i.description).sort()).toEqual([
      'DELETE /products/{id} of an existing Product',
      'GET /products while a Product exists',
      'GET /products/{id} of a missing Product',
      'GET /products/{id} of an existing Product',
      'POST /products with a valid Product',
      'PUT /products/{id} of an existing Product',
      'a ProductChanged event',
    ]);
  }, suiteTimeout);

  it("break: ProductChanged without price, as catalog's code publishes it, fails catalog's verification naming shop and mailer, and its schema test", async () => {
    await writePacts(p);
    const extensions = 'services/catalog/tests/contracts/extensions.py';
    const saved = readFileSync(join(p.system.dir, extensions), 'utf8');
    try {
      edit(p.system, extensions, 'await tx.publish("ProductChanged", event_sample("ProductChanged"))', 'await tx.publish("ProductChanged", {k: v for k, v in event_sample("ProductChanged").items() if k != "price"})');
      const catalog = (await contractSuite(p, 'catalog'))!;
      expect(catalog.ok).toBe(false);
      expect(catalog.output).toContain('catalog does not give its consumers what they expect');
      expect(catalog.output).toMatch(/- shop expects: a ProductChanged event\s+\$\.data Actual map is missing the following keys: price\s+\(contracts\/pacts\/shop-catalog\.json\)/);
      expect(catalog.output).toMatch(/- mailer expects: a ProductChanged event\s+\$\.data Actual map is missing the following keys: price\s+\(contracts\/pacts\/mailer-catalog\.json\)/);
      expect(catalog.output).toMatch(/catalog publishes a ProductChanged event that does not match system.yaml: .*'price' is a required property/);
    } finally {
      writeFileSync(join(p.system.dir, extensions), saved);
    }
  }, suiteTimeout);
});

const stockroomYaml = `
version: 1
name: stockroom
description: A Python provider and publisher whose handler calls a Node.js service
defaults:
  runtime: python
broker: rabbitmq
services:
  catalog:
    runtime: node
    database: catalog
    entities:
      Product: { name: string, price: number }
  stock:
    database: stock
    entities:
      Reservation: { productId: uuid, quantity: integer, unitPrice: number }
    api:
      # Hand-written: prices the reservation with catalog's current price, and publishes StockReserved.
      - POST /reservations
    calls:
      catalog: ['GET /products/{id}']
    publishes: [StockReserved]
  shop:
    database: shop
    calls:
      stock: ['GET /reservations/{id}']
    subscribes: [StockReserved]
events:
  StockReserved: { reservationId: uuid, productId: uuid, quantity: integer, unitPrice: number }
`;

// stock's POST /reservations, as its team writes it: it asks catalog for the price before it reserves.
const postReservations = `"""POST /reservations: holds a quantity of a product at catalog's current price, and says so (StockReserved)."""

from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import ContextDep
from app.core.errors import HttpError
from app.models.reservation import ReservationInput


class ReservationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: UUID = Field(alias="productId")
    quantity: int = Field(ge=1)


async def handle(body: ReservationRequest, ctx: ContextDep) -> JSONResponse:
    product = await ctx.clients.catalog.get_product(body.product_id)
    if product is None:
        raise HttpError(404, f"Product {body.product_id} not found in catalog")
    async with ctx.transaction() as tx:
        reservation = await tx.reservations.create(
            ReservationInput.model_validate({"productId": product.id, "quantity": body.quantity, "unitPrice": product.price})
        )
        await tx.publish(
            "StockReserved",
            {"reservationId": str(reservation.id), "productId": str(product.id), "quantity": body.quantity, "unitPrice": product.price},
        )
    return JSONResponse(reservation.model_dump(mode="json", by_alias=True), status_code=201)
`;

// stock's extensions.py: catalog stood in for, StockReserved published by that handler through the API.
const stockExtensions = (standIns: boolean) => `"""The hand-written part of stock's contract tests."""

from uuid import UUID

import httpx

from app.clients import Clients
from app.clients.catalog import CatalogClient, Product

from .support import Extensions, ServiceUnderTest


class PricedCatalog(CatalogClient):
    """catalog as stock's handlers see it while stock is verified: every product exists, at 12.5."""

    async def get_product(self, id: UUID) -> Product | None:
        return Product(id=id, name="Mug", price=12.5)


async def publish_stock_reserved(service: ServiceUnderTest) -> None:
    async with httpx.AsyncClient(base_url=service.url) as http:
        answer = await http.post("/reservations", json={"productId": "6b1f0c2e-8d4a-4f5b-9c3e-2a7d1e5f8b90", "quantity": 2})
    assert answer.status_code == 201, answer.text


EXTENSIONS = Extensions(
${standIns ? '    clients=lambda: Clients(catalog=PricedCatalog("http://127.0.0.1:9")),\n' : ''}    publishes={"StockReserved": publish_stock_reserved},
)
`;

describe('contract tests of a Python provider whose handler calls another service', () => {
  let p: Polyglot;
  const extensions = 'services/stock/tests/contracts/extensions.py';

  beforeAll(async () => {
    p = await prepare(await prepareYaml('stockroom', stockroomYaml));
    writeFileSync(join(p.system.dir, 'services/stock/app/handlers/post_reservations.py'), postReservations);
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it("stock (Python) honours shop's pact, StockReserved as its handler publishes it after asking catalog, stood in by extensions.py's clients", async () => {
    writeFileSync(join(p.system.dir, extensions), stockExtensions(true));
    const ran = await allGreen(p);
    expect(ran.sort()).toEqual(['catalog', 'shop', 'stock']);
    expect(pactFiles(p.system)).toEqual(expectedPacts(p.system));
    const pact = JSON.parse(readFileSync(join(p.system.dir, 'contracts', 'pacts', 'shop-stock.json'), 'utf8')) as { interactions: { description: string }[] };
    expect(pact.interactions.map((i) => i.description)).toContain('a StockReserved event');
  }, suiteTimeout);

  it('without stand-ins its handler gets a port nothing listens on for catalog, and the verification says catalog is unavailable', async () => {
    await writePacts(p);
    writeFileSync(join(p.system.dir, extensions), stockExtensions(false));
    try {
      const stock = (await contractSuite(p, 'stock'))!;
      expect(stock.ok).toBe(false);
      expect(stock.output).toContain('catalog is unavailable');
    } finally {
      writeFileSync(join(p.system.dir, extensions), stockExtensions(true));
    }
  }, suiteTimeout);
});
