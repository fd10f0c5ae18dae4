import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { natsNames } from '../../src/render/broker/naming.js';
import { modelOf } from './render/render.js';
import { envName } from '../../src/shared/naming.js';
import { cliPath, repoRoot } from './cli.js';
import { hs256 } from './jwt.js';
import { pythonVenv } from './python-venv.js';
import { ensureNats, ensurePostgres, ensureRabbitMq, freePort, psql } from './services.js';

/**
 * A reference example generated, installed, built and started as real
 * processes on this machine: every service against its own database on the
 * local PostgreSQL (or the embedded PGlite), the local RabbitMQ or NATS, and
 * the generated gateway in front. Only processes started here are ever
 * stopped, by their pid; databases and broker objects made here are removed
 * by `close()`.
 */

const run = promisify(execFile);

export type BrokerChoice = 'rabbitmq' | 'nats';

export interface PreparedSystem {
  readonly dir: string;
  /** The system's name as generated: unique per run, so broker objects of other runs never mix in. */
  readonly name: string;
  /** `none` for a system without events (see prepareYaml). */
  readonly broker: BrokerChoice | 'none';
  readonly services: readonly string[];
  /** The virtual environment of each Python service (installed from its requirements.txt); Node.js services are not in it. */
  readonly python: ReadonlyMap<string, string>;
  /** Services each service calls (for `<CALLEE>_URL`). */
  readonly callees: ReadonlyMap<string, readonly string[]>;
  readonly gateway: boolean;
}

export interface PrepareOptions {
  /** Changes system.yaml before it is generated (e.g. the benchmark lifts the gateway's rate limit). */
  readonly edit?: (yaml: string) => string;
}

/** Copies examples/<example> (system.yaml and its hand-written handlers), generates it with the CLI, installs and builds every folder. */
export async function prepareSystem(example: string, broker: BrokerChoice, options: PrepareOptions = {}): Promise<PreparedSystem> {
  const dir = mkdtempSync(join(tmpdir(), `tf-e2e-${example}-`));
  cpSync(join(repoRoot, 'examples', example), dir, { recursive: true });
  const name = `e2e${randomBytes(3).toString('hex')}-${example}`;
  const exampleYaml = readFileSync(join(dir, 'system.yaml'), 'utf8')
    .replace(/^name: .*$/m, `name: ${name}`)
    .replace(/^broker: .*$/m, `broker: ${broker}`);
  return build(dir, name, broker, options.edit ? options.edit(exampleYaml) : exampleYaml);
}

/**
 * A system written in the test (its `name:` line replaced by a unique name,
 * and no events: `broker: none`), generated, installed and built like an example.
 */
export async function prepareYaml(label: string, yaml: string): Promise<PreparedSystem> {
  const dir = mkdtempSync(join(tmpdir(), `tf-e2e-${label}-`));
  const name = `e2e${randomBytes(3).toString('hex')}-${label}`;
  return build(dir, name, 'none', yaml.replace(/^name: .*$/m, `name: ${name}`));
}

async function build(dir: string, name: string, broker: PreparedSystem['broker'], yaml: string): Promise<PreparedSystem> {
  const systemFile = join(dir, 'system.yaml');
  writeFileSync(systemFile, yaml);
  await run(process.execPath, [cliPath, 'generate', systemFile], { cwd: dir });
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  // `tsc` per folder: a type error anywhere fails here, with the compiler's message.
  await run('npm', ['run', 'build', '--workspaces', '--silent'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const model = modelOf(yaml);
  const services = model.services.filter((s) => s.runtime === 'node' || s.runtime === 'python');
  const callees = new Map(services.map((s) => [s.name, [...new Set(s.calls.map((c) => c.callee))]]));
  // `pip install -r requirements.txt` per Python service, into a venv cached per set of pins.
  const python = new Map<string, string>();
  for (const service of services.filter((s) => s.runtime === 'python')) {
    const requirements = readFileSync(join(dir, 'services', service.name, 'requirements.txt'), 'utf8').split('\n').filter((l) => /^[\w.-]+==/.test(l));
    python.set(service.name, await pythonVenv(requirements));
  }
  return { dir, name, broker, services: services.map((s) => s.name), python, callees, gateway: model.gateway?.kind === 'node' };
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningSystem {
  readonly gatewayUrl: string;
  /** Base URL of a service, bypassing the gateway. */
  url(service: string): string;
  /** A JWT the gateway accepts, for subject `sub`. */
  token(sub?: string): string;
  /** SIGTERM (or SIGKILL) to a service this harness started, and wait for it to exit. */
  stop(service: string, signal?: NodeJS.Signals): Promise<Exit>;
  /** Starts a stopped service again on the same port and database, and waits until it is ready. */
  start(service: string): Promise<void>;
  /** Runs SQL on a service's database (PostgreSQL runs only). */
  sql(service: string, query: string): Promise<string>;
  /** Connection URL of a service's database (PostgreSQL runs only). */
  databaseUrl(service: string): string;
  /** Process id of a running service (or `gateway`), e.g. to read its CPU time. */
  pid(service: string): number | undefined;
  /** Everything a process printed, for failure messages. */
  logs(service: string): string;
  close(): Promise<void>;
}

const jwtSecret = 'e2e-secret-that-is-long-enough-for-hs256';

export interface StartOptions {
  /** LOG_LEVEL of every process (default info; the benchmark uses warn so logging does not weigh on the figures). */
  readonly logLevel?: string;
  /** Leaves the system's folder in place on close(), for another run started on it (its owner removes it). */
  readonly keepDir?: boolean;
}

export async function startSystem(system: PreparedSystem, database: 'postgres' | 'pglite', options: StartOptions = {}): Promise<RunningSystem> {
  await Promise.all([ensurePostgres(), ...(system.broker === 'none' ? [] : [system.broker === 'rabbitmq' ? ensureRabbitMq() : ensureNats()])]);
  const ports = new Map<string, number>();
  for (const name of [...system.services, 'gateway']) ports.set(name, await freePort());
  const url = (service: string) => `http://127.0.0.1:${ports.get(service)!}`;
  const databases = new Map(system.services.map((s) => [s, `${system.name.replaceAll('-', '_')}_${s}`]));
  const databaseUrl = (service: string) => `postgres://postgres@127.0.0.1:5432/${databases.get(service)!}`;
  if (database === 'postgres') for (const db of databases.values()) await psql('postgres', `CREATE DATABASE "${db}"`);
  const brokerUrl = system.broker === 'rabbitmq' ? 'amqp://guest:guest@127.0.0.1:5672' : system.broker === 'nats' ? 'nats://127.0.0.1:4222' : undefined;
  const processes = new Map<string, ChildProcess>();
  const logFiles = new Map<string, string>();

  const envOf = (name: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], PORT: String(ports.get(name)), LOG_LEVEL: options.logLevel ?? 'info' };
    if (name === 'gateway') {
      env['JWT_SECRET'] = jwtSecret;
      for (const s of system.services) env[`${envName(s)}_URL`] = url(s);
      return env;
    }
    if (brokerUrl) env['BROKER_URL'] = brokerUrl;
    if (database === 'postgres') env['DATABASE_URL'] = databaseUrl(name);
    for (const callee of system.callees.get(name) ?? []) env[`${envName(callee)}_URL`] = url(callee);
    return env;
  };

  const start = async (name: string): Promise<void> => {
    const cwd = name === 'gateway' ? join(system.dir, 'gateway') : join(system.dir, 'services', name);
    const venv = system.python.get(name);
    const command = venv
      ? [join(venv, 'bin', 'python'), '-m', 'app']
      : [process.execPath, (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.replace(/^node /, '')];
    const log = logFiles.get(name) ?? join(system.dir, `${name}.log`);
    logFiles.set(name, log);
    const out = createWriteStream(log, { flags: 'a' });
    const child = spawn(command[0]!, command.slice(1), { cwd, env: envOf(name), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    processes.set(name, child);
    await waitReady(url(name), child, () => readFileSync(log, 'utf8'));
  };

  const stop = async (name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> => {
    const child = processes.get(name);
    processes.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })));
    child.kill(signal);
    return exited;
  };

  const close = async (): Promise<void> => {
    await Promise.all([...processes.keys()].map((name) => stop(name)));
    if (database === 'postgres') for (const db of databases.values()) await psql('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await removeBrokerObjects(system);
    if (!options.keepDir && !process.env['TF_E2E_KEEP']) rmSync(system.dir, { recursive: true, force: true });
  };

  try {
    // Callees first, so a caller's first requests find them up; then the gateway.
    for (const name of startOrder(system)) await start(name);
    if (system.gateway) await start('gateway');
  } catch (error) {
    await close();
    throw error;
  }

  return {
    gatewayUrl: url('gateway'),
    url,
    token: (sub = 'e2e-user') => hs256(jwtSecret, { sub, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 }),
    stop,
    start,
    sql: (service, query) => psql(databases.get(service)!, query),
    databaseUrl,
    pid: (service) => processes.get(service)?.pid,
    logs: (service) => readFileSync(logFiles.get(service)!, 'utf8'),
    close,
  };
}

function startOrder(system: PreparedSystem): string[] {
  const order: string[] = [];
  const visit = (s: string, seen: Set<string>) => {
    if (order.includes(s) || seen.has(s)) return;
    seen.add(s);
    for (const callee of system.callees.get(s) ?? []) visit(callee, seen);
    order.push(s);
  };
  for (const s of system.services) visit(s, new Set());
  return order;
}

async function waitReady(base: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${base} exited with ${child.exitCode} before it was ready:\n${logs()}`);
    try {
      const response = await fetch(`${base}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base}/ready was not ready within 60 s:\n${logs()}`);
}

/** Removes the queues and exchanges (RabbitMQ) or the stream (NATS) the system's services declared on the machine's broker. */
export async function removeBrokerObjects(system: Pick<PreparedSystem, 'dir' | 'name' | 'broker'>): Promise<void> {
  if (system.broker === 'none') return;
  if (system.broker === 'rabbitmq') {
    const amqp = await import('amqplib');
    const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const definitions = JSON.parse(readFileSync(join(system.dir, 'broker', 'definitions.json'), 'utf8')) as {
      queues: { name: string }[];
      exchanges: { name: string }[];
    };
    for (const queue of definitions.queues) {
      const channel = await connection.createChannel();
      await channel.deleteQueue(queue.name).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    for (const exchange of definitions.exchanges) {
      const channel = await connection.createChannel();
      await channel.deleteExchange(exchange.name).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    await connection.close();
  } else {
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const nc = await connect({ servers: '127.0.0.1:4222' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(natsNames(system.name, '', '').stream).catch(() => undefined);
    await nc.close();
  }
}
