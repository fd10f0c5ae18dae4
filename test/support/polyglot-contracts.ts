import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { pythonVenv } from './python-venv.js';
import { modelOf } from './render/render.js';
import type { PreparedSystem } from './running-system.js';

/**
 * Running the contract suites of a system written in both runtimes, as its
 * developers do: Python services through pytest in a venv with their
 * requirements-dev.txt, Node.js ones through npm; consumers first, since
 * their tests write the pacts the providers verify.
 */

const run = promisify(execFile);
export const suiteTimeout = 600_000;
/** The PostgreSQL server the Python services' tests make their databases on. */
const server = 'postgres://postgres@127.0.0.1:5432/postgres';

interface SuiteRun {
  readonly ok: boolean;
  readonly output: string;
}

export interface Polyglot {
  readonly system: PreparedSystem;
  /** The venv of each Python service, with its requirements-dev.txt (pytest, pact-python, ruff, mypy). */
  readonly venvs: ReadonlyMap<string, string>;
}

export async function prepare(system: PreparedSystem): Promise<Polyglot> {
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

export async function attempt(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<SuiteRun> {
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
export async function contractSuite(p: Polyglot, service: string, env: NodeJS.ProcessEnv = { DATABASE_URL: server }): Promise<SuiteRun | undefined> {
  const dir = join(p.system.dir, 'services', service);
  const venv = p.venvs.get(service);
  if (venv) return existsSync(join(dir, 'tests', 'contracts')) ? attempt(join(venv, 'bin', 'python'), ['-m', 'pytest', '-q', 'tests/contracts'], dir, env) : undefined;
  const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return scripts['test:contracts'] ? attempt('npm', ['run', 'test:contracts', '--silent'], dir) : undefined;
}

/** Every consumer's tests, whatever its runtime: they write the pacts the providers verify. */
export async function writePacts(p: Polyglot): Promise<void> {
  for (const service of p.system.services) {
    const result = await consumerSuite(p, service);
    if (result && !result.ok) throw new Error(`${service}'s consumer tests failed:\n${result.output}`);
  }
}

/** Consumers first, then every suite; each must pass. */
export async function allGreen(p: Polyglot): Promise<string[]> {
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
export function expectedPacts(system: PreparedSystem): string[] {
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

export function pactFiles(system: PreparedSystem): string[] {
  return readdirSync(join(system.dir, 'contracts', 'pacts')).sort();
}

export function edit(system: PreparedSystem, file: string, from: string | RegExp, to: string): void {
  const path = join(system.dir, file);
  const text = readFileSync(path, 'utf8');
  // A function, so that `$'` and the like in `to` stay as they are.
  const changed = text.replace(from, () => to);
  if (changed === text) throw new Error(`${file} does not contain ${String(from)}`);
  writeFileSync(path, changed);
}

export function cleanUp(system: PreparedSystem | undefined): void {
  if (system && !process.env['TF_E2E_KEEP']) rmSync(system.dir, { recursive: true, force: true });
}
