import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { changedMigration } from './support/evolution.js';
import { serviceVenv, startProcess, type ServiceProcess } from './support/python-service.js';
import { ensurePostgres, freePort, psql } from './support/services.js';

/**
 * Generated Python services run for real: ruff, mypy and their own pytest
 * pass; started as `python -m app` against a fresh PostgreSQL database, a
 * Python service answers bad input exactly as a Node.js service generated
 * from the same entity does (same status, same body), serves the same
 * OpenAPI document and applies the same migration files.
 */

const run = promisify(execFile);
const id = randomBytes(3).toString('hex');
const system = `pair${id}`;
const entity = `{ name: string, count: integer, price: number?, done: boolean, kind: { enum: [small, large] }, ownerId: uuid?, due: date?, at: datetime?, tags: 'string[]?', meta: json? }`;
const yaml = `version: 1
name: ${system}
defaults: { runtime: node, database: postgres }
broker: none
services:
  left:
    database: left_db
    entities:
      Item: ${entity}
    api:
      - POST /items/{id}/archive
      - GET /items/{id}/mirror
  right:
    runtime: python
    database: right_db
    entities:
      Item: ${entity}
    api:
      - POST /items/{id}/archive
      - GET /items/{id}/mirror
    calls:
      left:
        endpoints:
          - GET /items/{id}
        timeoutMs: 500
        retries: 1
        circuitBreaker: { failures: 2, resetMs: 1000 }
`;
// right's handler of GET /items/{id}/mirror, written as a user would (the generated one answers 501).
const mirror = `"""GET /items/{id}/mirror: the item as the left service has it."""

from uuid import UUID

from fastapi.responses import JSONResponse

from app.api.deps import ContextDep
from app.core.errors import HttpError


async def handle(id: UUID, ctx: ContextDep) -> JSONResponse:
    item = await ctx.clients.left.get_item(id)
    if item is None:
        raise HttpError(404, f"Item {id} not found in left")
    return JSONResponse(item.model_dump(mode="json", by_alias=True))
`;
const sample = { name: 'pen', count: 3, price: 9.5, done: false, kind: 'small', ownerId: randomUUID(), due: '2026-01-31', at: '2026-01-31T12:00:00.000Z', tags: ['a', 'b'], meta: { x: [1, 2] } };
const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
const databases = { left: `${system}_left`, right: `${system}_right` };

let dir: string;
let venv: string;
let left: ServiceProcess;
let right: ServiceProcess;
let leftPort: number;
const python = () => join(venv, 'bin', 'python');
const databaseUrl = (db: string) => `postgres://postgres@127.0.0.1:5432/${db}`;
const startLeft = () => startProcess(process.execPath, ['dist/src/main.js'], join(dir, 'services', 'left'), leftPort, { DATABASE_URL: databaseUrl(databases.left) });
const rightDir = () => join(dir, 'services', 'right');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tf-python-'));
  writeFileSync(join(dir, 'system.yaml'), yaml);
  await run(process.execPath, [cliPath, 'generate', join(dir, 'system.yaml')], { cwd: dir });
  writeFileSync(join(rightDir(), 'app', 'handlers', 'get_items_by_id_mirror.py'), mirror);
  const [venvDir] = await Promise.all([
    serviceVenv(),
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).then(() =>
      run('npm', ['run', 'build', '--workspaces', '--silent'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }),
    ),
    ensurePostgres(),
  ]);
  venv = venvDir;
  for (const db of Object.values(databases)) await psql('postgres', `CREATE DATABASE "${db}"`);
  leftPort = await freePort();
  [left, right] = await Promise.all([
    startLeft(),
    freePort().then((port) => startProcess(python(), ['-m', 'app'], rightDir(), port, { DATABASE_URL: databaseUrl(databases.right), LEFT_URL: `http://127.0.0.1:${leftPort}` })),
  ]);
}, 600_000);

afterAll(async () => {
  await Promise.all([left?.stop(), right?.stop()]);
  for (const db of Object.values(databases)) await psql('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** The Allow header, on a 405. */
  readonly allow?: string;
}

async function ask(base: string, method: string, path: string, body?: unknown, raw?: string): Promise<Answer> {
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(`${base}${path}`, { method, ...(payload !== undefined && { body: payload, headers: { 'content-type': 'application/json' } }) });
  const text = await response.text();
  const allow = response.headers.get('allow');
  return { status: response.status, body: text === '' ? undefined : withoutIds(JSON.parse(text)), ...(allow !== null && { allow }) };
}

// Ids are made by each service: only their presence can match.
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, key === 'id' && typeof v === 'string' ? 'made by the service' : withoutIds(v)]));
}

describe('a Python service beside a Node.js service of the same entity', () => {
  const missing = randomUUID();
  const requests: [string, string, string, unknown?, string?][] = [
    ['unknown field', 'POST', '/items', { ...sample, unexpected: 1 }],
    ['empty body', 'POST', '/items', {}],
    ['missing required field', 'POST', '/items', { ...sample, name: undefined }],
    ['text for an integer', 'POST', '/items', { ...sample, count: 'many' }],
    ['fraction for an integer', 'POST', '/items', { ...sample, count: 1.5 }],
    ['value outside the enum', 'POST', '/items', { ...sample, kind: 'huge' }],
    ['malformed uuid field', 'POST', '/items', { ...sample, ownerId: 'nope' }],
    ['malformed date', 'POST', '/items', { ...sample, due: 'yesterday' }],
    ['array for an object', 'POST', '/items', [sample]],
    ['object for an optional list', 'POST', '/items', { ...sample, tags: { a: 1 } }],
    ['text for an optional number', 'POST', '/items', { ...sample, price: 'cheap' }],
    ['number for a text', 'POST', '/items', { ...sample, name: 5 }],
    ['text for a boolean', 'POST', '/items', { ...sample, done: 'yes' }],
    ['null for a required field', 'POST', '/items', { ...sample, kind: null }],
    ['time without a zone', 'POST', '/items', { ...sample, at: '2026-01-31T12:00:00' }],
    ['malformed JSON', 'POST', '/items', undefined, '{"name": '],
    ['malformed id', 'GET', '/items/not-a-uuid'],
    ['unknown id', 'GET', `/items/${missing}`],
    ['replace an unknown id', 'PUT', `/items/${missing}`, sample],
    ['delete an unknown id', 'DELETE', `/items/${missing}`],
    ['limit below 1', 'GET', '/items?limit=0'],
    ['limit above 500', 'GET', '/items?limit=501'],
    ['limit not a number', 'GET', '/items?limit=ten'],
    ['negative offset', 'GET', '/items?offset=-1'],
    ['unknown query parameter', 'GET', '/items?sort=name'],
    ['unknown route', 'GET', '/nowhere'],
    ['declared endpoint not written yet', 'POST', `/items/${missing}/archive`, {}],
    ['declared endpoint, malformed id', 'POST', '/items/nope/archive', {}],
    ['unknown route, percent-encoded', 'GET', '/no%20where'],
    ['known route with a trailing slash', 'GET', '/items/'],
    ['wrong method on the collection', 'DELETE', '/items'],
    ['wrong method on an item', 'PATCH', `/items/${missing}`, {}],
    ['wrong method on an item, malformed id', 'POST', '/items/nope', {}],
    ['wrong method on a declared endpoint', 'GET', `/items/${missing}/archive`],
    ['wrong method on an operational route', 'POST', '/health', {}],
    ['integer above 32 bits', 'POST', '/items', { ...sample, count: 2147483648 }],
    ['integer below 32 bits', 'POST', '/items', { ...sample, count: -2147483649 }],
    ['integer in exponent notation, far out of range', 'POST', '/items', undefined, JSON.stringify(sample).replace('"count":3', '"count":1e20')],
    ['infinite integer', 'POST', '/items', undefined, JSON.stringify(sample).replace('"count":3', '"count":1e400')],
    ['infinite number', 'POST', '/items', undefined, JSON.stringify(sample).replace('"price":9.5', '"price":-1e400')],
    ['number as text for an integer', 'POST', '/items', { ...sample, count: '5' }],
    ['boolean for an integer', 'POST', '/items', { ...sample, count: true }],
    ['number as text for a number', 'POST', '/items', { ...sample, price: '9.5' }],
    ['"true" for a boolean', 'POST', '/items', { ...sample, done: 'true' }],
    ['1 for a boolean', 'POST', '/items', { ...sample, done: 1 }],
    ['NUL character in a text', 'POST', '/items', { ...sample, name: 'pen\u0000cil' }],
    ['NUL character in a list of texts', 'POST', '/items', { ...sample, tags: ['a', 'b\u0000'] }],
    ['NUL character in a replacement', 'PUT', `/items/${missing}`, { ...sample, name: '\u0000' }],
    ['NUL character inside a json field (SQLSTATE 22P05 from PostgreSQL)', 'POST', '/items', { ...sample, meta: { note: 'a\u0000b' } }],
  ];

  it.each(requests)('%s: same status and body', async (_name, method, path, body, raw) => {
    const [fromNode, fromPython] = await Promise.all([ask(left.url, method, path, body, raw), ask(right.url, method, path, body, raw)]);
    expect(fromPython).toEqual(fromNode);
  });

  it('stores and serves an entity the same way', async () => {
    const [fromNode, fromPython] = await Promise.all([ask(left.url, 'POST', '/items', sample), ask(right.url, 'POST', '/items', sample)]);
    expect(fromNode.status).toBe(201);
    expect(fromPython).toEqual(fromNode);
    const [nodeList, pythonList] = await Promise.all([ask(left.url, 'GET', '/items?limit=1'), ask(right.url, 'GET', '/items?limit=1')]);
    expect(pythonList.status).toBe(200);
    expect(pythonList).toEqual(nodeList);
  });

  it.each([2147483647, -2147483648])('stores the 32-bit integer limit %d as the Node.js service does', async (count) => {
    const [fromNode, fromPython] = await Promise.all([ask(left.url, 'POST', '/items', { ...sample, count }), ask(right.url, 'POST', '/items', { ...sample, count })]);
    expect(fromNode).toMatchObject({ status: 201, body: { count } });
    expect(fromPython).toEqual(fromNode);
  });

  it('serves the same OpenAPI document', async () => {
    const [fromNode, fromPython] = await Promise.all([ask(left.url, 'GET', '/openapi.json'), ask(right.url, 'GET', '/openapi.json')]);
    const strip = (doc: unknown) => ({ ...(doc as object), info: undefined, servers: undefined });
    expect(strip(fromPython.body)).toEqual(strip(fromNode.body));
  });

  it('applies the same migration files, recorded the same way in schema_migrations', async () => {
    const query = 'SELECT name, checksum FROM schema_migrations ORDER BY name';
    const [fromNode, fromPython] = await Promise.all([psql(databases.left, query), psql(databases.right, query)]);
    expect(fromPython).toContain('0002_create_items.sql');
    expect(fromPython).toBe(fromNode);
  });

  it('labels its metrics like the Node.js service', async () => {
    const metrics = await (await fetch(`${right.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/items\/:id",status="400"\} \d/);
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/items\/:id"\}/);
  });
});

describe('the Python service folder', () => {
  it("passes the system's one test command: the Node.js tests, and ruff (lint and format), mypy --strict and pytest of the Python service", async () => {
    const { stdout } = await run('make', ['test'], { cwd: dir, env: { ...process.env, DATABASE_URL: admin }, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`make test failed:\n${error.stdout}\n${error.stderr}`);
    });
    expect(stdout).toContain('All checks passed!');
    expect(stdout).toMatch(/\d+ files already formatted/);
    expect(stdout).toMatch(/Success: no issues found in \d+ source files/);
    expect(stdout).toMatch(/\d+ passed/);
    expect(stdout).toMatch(/# pass \d+\n# fail 0/);
  }, 600_000);

  it('refuses to start without DATABASE_URL, saying what to set', async () => {
    const result = await run(python(), ['-m', 'app'], { cwd: rightDir(), env: { PATH: process.env['PATH'] } }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DATABASE_URL is not set: right keeps its data in PostgreSQL');
  });

  it('refuses to start when an applied migration file has changed, naming it', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'tf-python-changed-'));
    try {
      cpSync(rightDir(), copy, { recursive: true });
      const file = join(copy, 'migrations', '0002_create_items.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- changed\n`);
      const result = await run(python(), ['-m', 'app'], { cwd: copy, env: { PATH: process.env['PATH'], PORT: String(await freePort()), DATABASE_URL: databaseUrl(databases.right), LEFT_URL: 'http://127.0.0.1:9' } }).then(
        () => ({ code: 0, stdout: '' }),
        (error: { code: number; stdout: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(changedMigration('0002_create_items.sql'));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('finishes on SIGTERM with exit code 0', async () => {
    const port = await freePort();
    const service = await startProcess(python(), ['-m', 'app'], rightDir(), port, { DATABASE_URL: databaseUrl(databases.right), LEFT_URL: 'http://127.0.0.1:9' });
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(service.logs()).toContain('"msg":"Application shutdown complete."');
  });
});


describe('calls from the Python service to the Node.js one', () => {
  it('pass the correlation id and answer with what the callee has', async () => {
    const created = await fetch(`${left.url}/items`, { method: 'POST', body: JSON.stringify(sample), headers: { 'content-type': 'application/json' } });
    const item = (await created.json()) as { id: string };
    const correlationId = `mirror-${randomUUID()}`;
    const mirrored = await fetch(`${right.url}/items/${item.id}/mirror`, { headers: { 'x-correlation-id': correlationId } });
    expect(mirrored.status).toBe(200);
    expect(await mirrored.json()).toEqual(item);
    expect(left.logs()).toContain(correlationId);
    expect((await ask(right.url, 'GET', `/items/${randomUUID()}/mirror`)).status).toBe(404);
  });

  it('answer 503 at once while the callee is down, with the circuit open after two failures, and recover', async () => {
    const id = randomUUID();
    await left.stop();
    const started = Date.now();
    const down = await ask(right.url, 'GET', `/items/${id}/mirror`);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: 'Service Unavailable', message: expect.stringMatching(/^left is unavailable: /) });
    const open = await ask(right.url, 'GET', `/items/${id}/mirror`);
    expect(open).toEqual({ status: 503, body: { error: 'Service Unavailable', message: 'left is unavailable: its circuit is open after repeated failures' } });
    expect(Date.now() - started).toBeLessThan(1000);
    left = await startLeft();
    // After the reset period (1 s) one trial call goes through and closes the circuit.
    let answer = open;
    for (let i = 0; i < 50 && answer.status !== 404; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await ask(right.url, 'GET', `/items/${id}/mirror`);
    }
    expect(answer).toEqual({ status: 404, body: { error: `Item ${id} not found in left` } });
  });
});
