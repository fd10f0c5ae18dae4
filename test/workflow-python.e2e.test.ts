import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { pythonVenv } from './support/python-venv.js';
import { removeBrokerObjects } from './support/running-system.js';
import { ensureNats, ensurePostgres, ensureRabbitMq } from './support/services.js';

/**
 * The test job of a Python service's generated CI workflow, run here the way
 * GitHub runs its steps: each `run` in the service's folder with the job's
 * `env` exactly as written (DATABASE_URL, BROKER_URL), the machine's
 * PostgreSQL and broker standing in for the job's service containers at the
 * same ports (and for the container the NATS step starts: the machine's NATS
 * runs JetStream too). The service subscribes to an event, so its pytest
 * needs the broker: it passes with the job's BROKER_URL, and fails when that
 * points nowhere.
 */

const run = promisify(execFile);

const yaml = (name: string, broker: string) => `version: 1
name: ${name}
broker: ${broker}
services:
  feed:
    database: feed
    publishes: [Posted]
  mailer:
    runtime: python
    database: mail
    entities:
      Mail: { to: string, subject: string }
    subscribes: [Posted]
events:
  Posted: { postId: uuid, title: string }
`;

interface Job {
  readonly env: Record<string, string>;
  readonly services: Record<string, unknown>;
  readonly steps: { readonly run?: string; readonly uses?: string }[];
  readonly defaults: { readonly run: { readonly 'working-directory': string } };
}

const dirs: string[] = [];
afterAll(() => {
  if (!process.env['TF_E2E_KEEP']) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `python`, `ruff` and `mypy` as the job has them after `pip install -r requirements-dev.txt`: those of a venv with exactly its pins. */
async function toolsOf(service: string): Promise<string> {
  const pins = ['requirements.txt', 'requirements-dev.txt'].flatMap((f) => readFileSync(join(service, f), 'utf8').split('\n')).filter((l) => /^[\w.-]+==/.test(l));
  const venv = await pythonVenv(pins);
  const bin = mkdtempSync(join(tmpdir(), 'tf-job-bin-'));
  dirs.push(bin);
  // The venv was built elsewhere and renamed into place: its scripts' shebangs point nowhere, `python -m` works.
  for (const [tool, command] of [['python', ''], ['ruff', '-m ruff'], ['mypy', '-m mypy']]) {
    writeFileSync(join(bin, tool!), `#!/bin/sh\nexec ${join(venv, 'bin', 'python')} ${command} "$@"\n`);
    chmodSync(join(bin, tool!), 0o755);
  }
  return bin;
}

/** Runs a step's script as GitHub does (`bash --noprofile --norc -eo pipefail`, in the job's working directory, with its env). */
async function step(script: string, cwd: string, env: Record<string, string>, bin: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: { PATH: `${bin}:${process.env['PATH']}`, HOME: process.env['HOME'], ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

describe.each(['rabbitmq', 'nats'] as const)('the generated workflow of a Python subscriber, %s', (broker) => {
  // Made in beforeAll, so merely collecting this file (vitest list) leaves nothing behind.
  let dir = '';
  let name = '';
  let job: Job;
  let cwd = '';
  let bin = '';

  // The system and the job's tools, made before the test: installing a venv takes an install's time, several minutes
  // on a busy machine while other files install theirs, which the test's own time (the job's checks) is not meant for.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `tf-e2e-workflow-${broker}-`));
    dirs.push(dir);
    name = `wf${Date.now().toString(36)}-${broker}`;
    writeFileSync(join(dir, 'system.yaml'), yaml(name, broker));
    await run(process.execPath, [cliPath, 'generate', join(dir, 'system.yaml')], { cwd: dir });
    job = (load(readFileSync(join(dir, '.github', 'workflows', 'mailer.yml'), 'utf8')) as { jobs: { test: Job } }).jobs.test;
    cwd = join(dir, job.defaults.run['working-directory']);
    bin = await toolsOf(cwd);
  }, 900_000);

  it("runs its checks and pytest with the job's env against the broker it names, and pytest fails without that broker", async () => {
    await Promise.all([ensurePostgres(), broker === 'rabbitmq' ? ensureRabbitMq() : ensureNats()]);
    expect(job.env['BROKER_URL']).toBe(broker === 'rabbitmq' ? 'amqp://guest:guest@localhost:5672' : 'nats://localhost:4222');
    try {
      const scripts = job.steps.flatMap((s) => (s.run ? [s.run] : []));
      // The broker's own step (NATS) is what the machine's broker stands in for; the pact check needs the repository's git.
      const checks = scripts.filter((s) => !s.startsWith('docker run') && !s.startsWith('pip install') && !s.includes('git status'));
      expect(checks).toEqual(['ruff check .', 'ruff format --check .', 'mypy app tests', 'python -m pytest']);
      for (const script of checks) {
        const result = await step(script, cwd, job.env, bin);
        expect(result.ok, `${script}:\n${result.output}`).toBe(true);
      }
      // Without the broker BROKER_URL names, the service's own tests cannot start it.
      const nowhere = { ...job.env, BROKER_URL: broker === 'rabbitmq' ? 'amqp://guest:guest@localhost:9' : 'nats://localhost:9' };
      const without = await step('python -m pytest -x -q tests/test_service.py', cwd, nowhere, bin);
      expect(without.ok, without.output).toBe(false);
      expect(without.output).toMatch(new RegExp(`ConnectionError: cannot connect to ${broker === 'rabbitmq' ? 'RabbitMQ' : 'NATS'} at \\S+localhost:9`));
    } finally {
      await removeBrokerObjects({ dir, name, broker });
    }
  }, 600_000);
});
