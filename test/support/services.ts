import { listening } from '../../src/cli/dev/net.js';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { createServer, type AddressInfo } from 'node:net';
import { program } from './programs.js';

/**
 * The local servers that tests of generated output talk to (PostgreSQL, Redis,
 * RabbitMQ, NATS JetStream), always on 127.0.0.1. Each `ensure*` probes the
 * server's port, starts the server only when nothing answers, and waits for
 * the port, at most a minute. A server that was already up is left alone;
 * nothing here ever stops one. A server that is down and not installed fails
 * at once, naming the program and its package.
 */

const host = '127.0.0.1';
const waitMs = 60_000;

/** RabbitMQ (AMQP 0-9-1) on 127.0.0.1:5672. */
export function ensureRabbitMq(): Promise<void> {
  return ensure('RabbitMQ', 5672, () => [program('rabbitmq-server'), '-detached']);
}

/** NATS with JetStream on 127.0.0.1:4222. */
export function ensureNats(): Promise<void> {
  return ensure('NATS', 4222, () => [
    'start-stop-daemon', '--start', '--oknodo', '--background', '--exec', program('nats-server'), '--',
    '-a', host, '-p', '4222', '-js', '-sd', '/var/lib/nats-server', '-l', '/var/log/nats-server.log',
  ]);
}

/** PostgreSQL on 127.0.0.1:5432 (the machine's one cluster, named `main`). */
export function ensurePostgres(): Promise<void> {
  return ensure('PostgreSQL', 5432, () => {
    const [version] = readdirSync('/etc/postgresql');
    if (!version) throw new Error('no PostgreSQL cluster under /etc/postgresql');
    return [program('pg_ctlcluster'), '--skip-systemctl-redirect', version, 'main', 'start'];
  });
}

/** Redis on 127.0.0.1:6379, keeping nothing on disk. */
export function ensureRedis(): Promise<void> {
  return ensure('Redis', 6379, () => [
    program('redis-server'), '--daemonize', 'yes', '--bind', host, '-::1', '--port', '6379',
    '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log',
  ]);
}

/** A port on 127.0.0.1 nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs one SQL statement on the local PostgreSQL as postgres; its rows unaligned, `|`-separated. */
export async function psql(database: string, query: string): Promise<string> {
  const { stdout } = await promisify(execFile)(program('psql'), ['-h', host, '-U', 'postgres', '-d', database, '-AtX', '-v', 'ON_ERROR_STOP=1', '-c', query]);
  return stdout.trim();
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` (the same probe `dev` uses). */
export function isListening(port: number, timeoutMs = 1000): Promise<boolean> {
  return listening(port, host, timeoutMs);
}

// One start per server per process, however many tests ask at once.
const pending = new Map<string, Promise<void>>();

function ensure(name: string, port: number, command: () => readonly string[]): Promise<void> {
  let started = pending.get(name);
  if (!started) {
    started = start(name, port, command).finally(() => pending.delete(name));
    pending.set(name, started);
  }
  return started;
}

async function start(name: string, port: number, command: () => readonly string[]): Promise<void> {
  if (await isListening(port)) return;
  let file: string | undefined;
  let args: string[];
  try {
    [file, ...args] = command();
  } catch (error) {
    throw new Error(`${name} is not listening on ${host}:${port} and cannot be started: ${(error as Error).message}`);
  }
  // Another test process may be starting the same server: a failed start is
  // only an error if the port still does not open.
  const output = await run(file!, args);
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (await isListening(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} is not listening on ${host}:${port} ${waitMs / 1000} s after \`${[file, ...args].join(' ')}\`${output ? `:\n${output}` : ''}`);
}

function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: waitMs }, (error, stdout, stderr) => {
      resolve([error?.message, stdout, stderr].filter(Boolean).join('\n').trim());
    });
  });
}
