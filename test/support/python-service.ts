import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirementLines } from '../../src/render/python/versions.js';
import { pythonVenv } from './python-venv.js';

/** The venv every generated Python service's tests and checks run in: requirements.txt plus requirements-dev.txt. */
export function serviceVenv(): Promise<string> {
  return pythonVenv(requirementLines(['service', 'dev']));
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  logs(): string;
  /** Sends `signal` and resolves to the exit code (null when a signal ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a service folder as a process (`python -m app` or `node dist/src/main.js`)
 * on `port` with `env`, logging to <dir>/service.log, and waits until GET /health answers.
 */
export async function startProcess(command: string, args: readonly string[], cwd: string, port: number, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const log = join(cwd, 'service.log');
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(command, [...args], { cwd, env: { PATH: process.env['PATH'], PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const logs = () => readFileSync(log, 'utf8');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cwd} exited with ${child.exitCode} before answering:\n${logs()}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${cwd} did not answer /health within 60 s:\n${logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
