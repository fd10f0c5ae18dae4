import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { BrokerKind } from '../../model/types.js';
import { spawnGroup, stopGroup, type GroupChild } from './child.js';
import type { Ledger } from './ledger.js';
import { anyFreePort, listening, portFree, sleep } from './net.js';

/**
 * Finding a broker for dev, first that works: BROKER_URL; a broker already
 * listening on its default local port; the broker's program installed here,
 * started as a child; the official image, when Docker runs. Otherwise a clear
 * refusal naming what to install. Every step is bounded in time.
 */

type Kind = Exclude<BrokerKind, 'none'>;

export interface Broker {
  readonly url: string;
  /** How it was found, for the summary: `BROKER_URL`, `already running on 127.0.0.1:4222`, ... */
  readonly how: string;
  /** Stops a broker dev started (absent for one it found). */
  readonly stop?: (force: Promise<void>) => Promise<void>;
  readonly logFile?: string;
}

export class NoBrokerError extends Error {}

const debianServer = '/usr/lib/rabbitmq/bin/rabbitmq-server';

const defaults: Record<Kind, { port: number; url: (port: number) => string; program?: string; install?: string; image: string; imageArgs: string[] }> = {
  rabbitmq: { port: 5672, url: (p) => `amqp://guest:guest@127.0.0.1:${p}`, program: 'rabbitmq-server', install: 'apt-get install rabbitmq-server', image: 'rabbitmq:3.13-management-alpine', imageArgs: [] },
  nats: { port: 4222, url: (p) => `nats://127.0.0.1:${p}`, program: 'nats-server', install: 'apt-get install nats-server', image: 'nats:2.10-alpine', imageArgs: ['-js'] },
  kafka: { port: 9092, url: (p) => `kafka://127.0.0.1:${p}`, image: 'apache/kafka:3.8.0', imageArgs: [] },
};

export interface BrokerOptions {
  readonly kind: Kind;
  readonly system: string;
  readonly env: NodeJS.ProcessEnv;
  /** `.taskflow/dev`: the started broker keeps its data under `broker/`, its log under `logs/`. */
  readonly devDir: string;
  readonly ledger?: Ledger;
}

export async function findBroker(options: BrokerOptions): Promise<Broker> {
  const { kind, env } = options;
  const given = env['BROKER_URL'];
  if (given) return { url: given, how: 'BROKER_URL' };
  const known = defaults[kind];
  if (await listening(known.port)) return { url: known.url(known.port), how: `already running on 127.0.0.1:${known.port}` };
  const program = known.program && findProgram(known.program, env['PATH'] ?? '');
  if (program) return startProgram(options, program);
  const docker = await dockerEngine(env);
  if (docker.runs) return startImage(options);
  const install = known.install ? `install ${known.program} (${known.install}) so dev can start it` : `start a ${kind} broker on 127.0.0.1:${known.port}`;
  throw new NoBrokerError(
    `no ${kind} broker: nothing listens on 127.0.0.1:${known.port}, ${known.program ? `${known.program} is not installed` : `dev cannot start ${kind} itself`}, and ${docker.why}.\n` +
      `  ${install}, or give one with BROKER_URL=${known.url(known.port)} taskflow-gen dev`,
  );
}

/** An executable named `name` on PATH or in the system folders Debian installs servers to. */
function findProgram(name: string, path: string): string | undefined {
  for (const dir of [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/sbin']) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function startProgram(options: BrokerOptions, program: string): Promise<Broker> {
  const { kind, devDir } = options;
  const known = defaults[kind];
  const port = (await portFree(known.port)) ? known.port : await anyFreePort();
  const dataDir = join(devDir, 'broker', kind);
  const logFile = join(devDir, 'logs', 'broker.log');
  mkdirSync(dataDir, { recursive: true });
  let child: GroupChild;
  let helper: GroupChild | undefined;
  let waitMs = 10_000;
  if (kind === 'nats') {
    child = spawnGroup(program, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dataDir], { cwd: dataDir, env: {}, logFile, ledger: options.ledger });
  } else {
    // A private RabbitMQ node: its own name, ports, data, cookie (HOME) and empty plugin list, and its own
    // epmd as a child of dev (the usual `epmd -daemon` would outlive dev), so the machine's broker is never touched.
    const plugins = join(dataDir, 'enabled_plugins');
    writeFileSync(plugins, '[].\n');
    writeFileSync(join(dataDir, 'rabbitmq.conf'), '# taskflow-gen dev: a private node with the defaults (guest on loopback)\n');
    const epmdPort = await anyFreePort();
    helper = spawnGroup(findProgram('epmd', options.env['PATH'] ?? '') ?? 'epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], { cwd: dataDir, env: {}, logFile, ledger: options.ledger });
    const env = {
      HOME: dataDir,
      ERL_EPMD_PORT: String(epmdPort),
      RABBITMQ_NODENAME: `taskflow-dev-${options.system}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(await anyFreePort()),
      RABBITMQ_MNESIA_BASE: join(dataDir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dataDir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
      RABBITMQ_CONFIG_FILE: join(dataDir, 'rabbitmq.conf'),
    };
    // Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user, who cannot write here: run the server itself.
    const server = existsSync(debianServer) ? debianServer : program;
    child = spawnGroup(server, [], { cwd: dataDir, env, logFile, ledger: options.ledger });
    waitMs = 60_000;
  }
  const deadline = Date.now() + waitMs;
  while (!(await listening(port))) {
    if (!child.running() || Date.now() > deadline) {
      await stopGroup(child, 2_000, new Promise(() => undefined));
      if (helper) await stopGroup(helper, 2_000, new Promise(() => undefined));
      throw new NoBrokerError(`${program} did not start listening on 127.0.0.1:${port} within ${waitMs / 1000} s; its log: ${logFile}`);
    }
    await sleep(100);
  }
  const stop = async (force: Promise<void>): Promise<void> => {
    await stopGroup(child, 10_000, force);
    if (helper) await stopGroup(helper, 2_000, force);
  };
  return { url: known.url(port), how: `${program} started by dev on 127.0.0.1:${port} (data in ${dataDir})`, stop, logFile };
}

/** How long `docker info` may take: a client whose engine is absent or unreachable must not hold dev up. */
const dockerInfoMs = 3_000;

/**
 * Whether a Docker engine answers; when not, why, in the words of the refusal: the client may be
 * installed with no engine behind it (no daemon, a DOCKER_HOST that does not answer).
 */
async function dockerEngine(env: NodeJS.ProcessEnv): Promise<{ runs: true } | { runs: false; why: string }> {
  const docker = findProgram('docker', env['PATH'] ?? '');
  if (!docker) return { runs: false, why: 'Docker is not installed' };
  const info = await execa(docker, ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: dockerInfoMs, stdin: 'ignore', all: true });
  if (info.exitCode === 0) return { runs: true };
  const said = info.timedOut ? `docker info did not answer within ${dockerInfoMs / 1000} s` : firstLine(String(info.all ?? '')) || `docker info exited ${info.exitCode ?? info.signal ?? '?'}`;
  return { runs: false, why: `the Docker client (${docker}) is installed but no Docker engine answers (${said})` };
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

async function startImage(options: BrokerOptions): Promise<Broker> {
  const known = defaults[options.kind];
  const port = (await portFree(known.port)) ? known.port : await anyFreePort();
  const name = `taskflow-dev-${options.system}-broker`;
  const run = await execa('docker', ['run', '--rm', '-d', '--name', name, '-p', `127.0.0.1:${port}:${known.port}`, known.image, ...known.imageArgs], { reject: false, timeout: 120_000, all: true, stdin: 'ignore' });
  if (run.exitCode !== 0) throw new NoBrokerError(`docker could not start ${known.image}:\n${String(run.all ?? '')}`);
  const stop = async (): Promise<void> => void (await execa('docker', ['stop', '-t', '5', name], { reject: false, timeout: 20_000, stdin: 'ignore' }));
  const deadline = Date.now() + 60_000;
  while (!(await listening(port))) {
    if (Date.now() > deadline) {
      await stop();
      throw new NoBrokerError(`the ${known.image} container did not listen on 127.0.0.1:${port} within 60 s`);
    }
    await sleep(250);
  }
  return { url: known.url(port), how: `Docker image ${known.image} (container ${name}) on 127.0.0.1:${port}`, stop };
}
