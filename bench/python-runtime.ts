// `npm run bench:python`: a Python (FastAPI) and a Node.js (Fastify) service generated
// from the same entity, run side by side as processes on this machine, measured.
// Not a test: it prints figures and asserts nothing (vitest only runs the TypeScript).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'vitest';
import { cliPath } from '../test/support/cli.js';
import { serviceVenv, startProcess, type ServiceProcess } from '../test/support/python-service.js';
import { ensurePostgres, freePort, psql } from '../test/support/services.js';
import { cpuSeconds, int, ms } from './runtime/stats.js';
import { wrk } from './runtime/wrk.js';

const run = promisify(execFile);
const connections = 10;
const loadSeconds = 10;
const warmUpSeconds = 3;
const entity = '{ name: string, count: integer, price: number?, done: boolean, kind: { enum: [small, large] }, ownerId: uuid?, due: date? }';

const print = (line = ''): void => console.log(line);
const progress = (line: string): void => console.error(`  ... ${line}`);

test('python runtime benchmark (prints figures, asserts nothing)', async () => {
  const system = `bench${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tf-bench-python-'));
  const databases = { node: `${system}_node`, python: `${system}_python` };
  const processes: ServiceProcess[] = [];
  print(`Python runtime benchmark: one entity served by a generated Node.js and a generated Python service, side by side`);
  print(`  machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; local PostgreSQL; LOG_LEVEL=warn`);
  print(`  Python service: one uvicorn process (as \`python -m app\` starts it); load generator: wrk on the same machine`);
  try {
    writeFileSync(
      join(dir, 'system.yaml'),
      `version: 1\nname: ${system}\nbroker: none\nservices:\n  node:\n    database: node_db\n    entities:\n      Item: ${entity}\n  python:\n    runtime: python\n    database: python_db\n    entities:\n      Item: ${entity}\n`,
    );
    progress('generating, installing and building (about a minute)');
    await run(process.execPath, [cliPath, 'generate', join(dir, 'system.yaml')], { cwd: dir });
    const [venv] = await Promise.all([
      serviceVenv(),
      run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir }).then(() => run('npm', ['run', 'build', '--workspaces', '--silent'], { cwd: dir })),
      ensurePostgres(),
    ]);
    for (const db of Object.values(databases)) await psql('postgres', `CREATE DATABASE "${db}"`);
    const env = (db: string) => ({ DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, LOG_LEVEL: 'warn' });
    const node = await startProcess(process.execPath, ['dist/src/main.js'], join(dir, 'services', 'node'), await freePort(), env(databases.node));
    processes.push(node);
    const python = await startProcess(join(venv, 'bin', 'python'), ['-m', 'app'], join(dir, 'services', 'python'), await freePort(), env(databases.python));
    processes.push(python);
    print();
    print(`GET /items/{id} (one row by primary key): wrk, ${connections} connections, ${loadSeconds} s each after ${warmUpSeconds} s of warm-up`);
    print(`                 req/s        p50        p99   CPU per request`);
    for (const [label, service] of [['Node.js', node], ['Python', python]] as const) {
      const created = await fetch(`${service.url}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'pen', count: 3, price: 9.5, done: false, kind: 'small', ownerId: null, due: '2026-01-31' }),
      });
      const { id } = (await created.json()) as { id: string };
      const url = `${service.url}/items/${id}`;
      progress(`wrk: ${label}`);
      await wrk(url, { connections, seconds: warmUpSeconds, headers: {} });
      const before = cpuSeconds(service.child.pid);
      const load = await wrk(url, { connections, seconds: loadSeconds, headers: {} });
      const after = cpuSeconds(service.child.pid);
      const cpu = before === undefined || after === undefined ? '?' : `${int(((after - before) / load.requests) * 1e6)} µs`;
      const failed = load.failures > 0 ? `   (${int(load.failures)} failed requests!)` : '';
      print(`  ${label.padEnd(10)} ${int(load.perSecond).padStart(9)} ${ms(load.p50Ms).padStart(10)} ${ms(load.p99Ms).padStart(10)}   ${cpu}${failed}`);
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    for (const db of Object.values(databases)) await psql('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
