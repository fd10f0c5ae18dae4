import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import gateway from '../../src/render/gateway/index.js';
import { renderYaml } from './render/render.js';
import { freePort } from './services.js';

/**
 * Running a rendered gateway for real: render it into a folder, install and
 * build it, start it as a child process against small node:http stand-ins
 * for the services, and talk to it over HTTP.
 */

const run = promisify(execFile);

/** Renders the gateway target of a system.yaml text into `dir` (the `gateway/` folder's content); returns the paths written. */
export function writeGateway(yaml: string, dir: string): string[] {
  const files = renderYaml(yaml, [gateway]).files();
  for (const file of files) {
    const target = join(dir, file.path.replace(/^gateway\//, ''));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  return files.map((f) => f.path);
}

/** `npm <args>` in `cwd`; rejects with npm's output when it fails. */
export async function npm(cwd: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** A stand-in service on a free port. */
export interface Upstream {
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops every open connection, so the port refuses from now on. */
  close(): Promise<void>;
}

export async function startUpstream(handle: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<Upstream> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A running gateway process. */
export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  /** Every stdout line so far (pino JSON). */
  readonly lines: string[];
  readonly stderr: string[];
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has ended by itself. */
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Starts `node dist/src/main.js` in `dir` with `env` on a free port and waits until GET /ready answers 200. */
export async function startGateway(dir: string, env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (text: string) => lines.push(...text.split('\n').filter(Boolean)));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => stderr.push(text));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await fetch(`${url}/ready`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not become ready (exit ${child.exitCode}):\n${lines.join('\n')}\n${stderr.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid!,
    lines,
    stderr,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Kills (by pid) every gateway these helpers started that still runs. */
export function killGateways(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts a gateway expecting it to fail; resolves with its exit code and output. */
export async function failedStart(dir: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (output += text));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  running.delete(child);
  return { code, output };
}

/** The JSON log lines of a gateway. */
export function logRecords(process: GatewayProcess): Record<string, unknown>[] {
  return process.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}
