import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSystem, type PreparedSystem } from './support/running-system.js';

/**
 * The contract tests generated for examples/checkout, installed and built as
 * a user would: the system's one contract command runs every consumer and
 * provider suite, and each passes.
 */

const run = promisify(execFile);

/** Several services' suites and builds; generous, for a busy two-core machine. */
const suiteTimeout = 600_000;

describe('contract tests of the generated checkout system', () => {
  let system: PreparedSystem;

  beforeAll(async () => {
    system = await prepareSystem('checkout', 'rabbitmq');
  }, 600_000);

  afterAll(() => {
    if (system && !process.env['TF_E2E_KEEP']) rmSync(system.dir, { recursive: true, force: true });
  });

  it('passes every consumer and provider suite', async () => {
    const { stdout } = await run('npm', ['run', 'test:contracts'], { cwd: system.dir, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    const fails = [...stdout.matchAll(/^# fail (\d+)$/gm)].map((m) => Number(m[1]));
    // Consumers first (order, inventory), then the suites of cart, order, payment and inventory.
    expect(fails.length).toBe(6);
    expect(fails.every((n) => n === 0), stdout).toBe(true);
  }, suiteTimeout);
});
