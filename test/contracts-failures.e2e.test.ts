import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { pythonVenv } from './support/python-venv.js';
import { prepareYaml, type PreparedSystem } from './support/running-system.js';
import { ensurePostgres } from './support/services.js';

/**
 * What a provider verification does when the code it runs for Pact fails: a
 * provider state whose handler raises, never finishes or does not exist, and
 * the code that publishes an event raising. Pact's core retries a failed state
 * change 8 times, waiting 1 s and twice as long each time (127 s per interaction):
 * a Python provider whose handler raised hung its suite; a Node.js one only
 * logged the error and replayed the interaction anyway, which could pass. Each
 * case must now fail at once, naming the state or message, the error and the
 * file to fix. Every suite runs under a deadline of its own, so a hang fails
 * this test instead of stalling it.
 */

const run = promisify(execFile);
/** The PostgreSQL server the Python services' tests make their databases on. */
const server = 'postgres://postgres@127.0.0.1:5432/postgres';
/** Below what one retried state costs (127 s of waits), above what a failing suite needs (a 15 s step or two, on a loaded machine). */
const deadlineMs = 110_000;

interface SuiteRun {
  readonly ok: boolean;
  readonly output: string;
  readonly timedOut: boolean;
}

async function attempt(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<SuiteRun> {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd, env: { ...process.env, ...env }, timeout: deadlineMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr, timedOut: false };
  } catch (error) {
    const { stdout = '', stderr = '', killed = false } = error as { stdout?: string; stderr?: string; killed?: boolean };
    // Without `E   ` before each line of a pytest failure, so that it reads like node's.
    return { ok: false, output: (stdout + stderr).replace(/^E {3}/gm, ''), timedOut: killed };
  }
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(file, text.replace(from, () => to));
}

const pythonYaml = `
version: 1
name: failing
defaults:
  runtime: python
broker: rabbitmq
services:
  catalog:
    database: catalog
    entities:
      Product: { name: string, price: number }
    publishes: [ProductChanged]
  mailer:
    database: mailer
    calls:
      catalog: ['GET /products/{id}']
    subscribes: [ProductChanged]
events:
  ProductChanged: { productId: uuid, price: number }
`;

describe('a Python provider whose provider states or messages fail', () => {
  let dir: string;
  let python: string;
  const catalog = () => join(dir, 'services', 'catalog');
  const extensions = () => join(catalog(), 'tests', 'contracts', 'extensions.py');
  let saved: string;
  const verifyCatalog = () => attempt(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/contracts/test_provider.py'], catalog(), { DATABASE_URL: server });

  beforeAll(async () => {
    await ensurePostgres();
    dir = mkdtempSync(join(tmpdir(), 'tf-e2e-failing-'));
    writeFileSync(join(dir, 'system.yaml'), pythonYaml);
    const generated = runCli(['generate', join(dir, 'system.yaml')], { cwd: dir });
    expect(generated.status, generated.stderr).toBe(0);
    const pins = ['catalog', 'mailer'].flatMap((service) =>
      ['requirements.txt', 'requirements-dev.txt'].flatMap((file) => readFileSync(join(dir, 'services', service, file), 'utf8').split('\n').filter((line) => /^[\w.-]+==/.test(line))),
    );
    python = join(await pythonVenv(pins), 'bin', 'python');
    // mailer's consumer tests write the pact catalog verifies: two CRUD interactions (a Product exists, no Product exists) and the event.
    const consumer = await attempt(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-m', 'consumer', 'tests/contracts'], join(dir, 'services', 'mailer'), { DATABASE_URL: server });
    expect(consumer.ok, consumer.output).toBe(true);
    saved = readFileSync(extensions(), 'utf8');
    expect((await verifyCatalog()).ok).toBe(true);
  }, 900_000);

  afterAll(() => {
    if (dir && !process.env['TF_E2E_KEEP']) rmSync(dir, { recursive: true, force: true });
  });

  it('a state handler that raises, and publishing code that raises: the verification fails at once, naming each, its error and extensions.py', async () => {
    try {
      edit(extensions(), 'from .support import Extensions, ServiceUnderTest, event_sample\n', [
        'from collections.abc import Mapping',
        'from typing import Any',
        '',
        'from .support import Extensions, ServiceUnderTest, event_sample',
        '',
        '',
        'async def broken(service: ServiceUnderTest, params: Mapping[str, Any]) -> None:',
        '    raise ValueError("the fixture row is invalid")',
        '',
      ].join('\n'));
      edit(extensions(), '    # Publishes the sample: replace it with the code that publishes ProductChanged.\n', '    raise LookupError("no such product")\n');
      edit(extensions(), 'EXTENSIONS = Extensions(\n', 'EXTENSIONS = Extensions(\n    states={"a Product exists": broken},\n');
      const result = await verifyCatalog();
      expect(result.timedOut, 'the verification hung').toBe(false);
      expect(result.ok).toBe(false);
      expect(result.output).toContain("catalog's contract tests could not set up what its consumers' pacts need, so their interactions were not verified:");
      expect(result.output).toMatch(/- Given a Product exists: its handler failed: ValueError: the fixture row is invalid\s+Fix states\['a Product exists'\] in tests\/contracts\/extensions\.py\./);
      expect(result.output).toContain("- a ProductChanged event: publishes['ProductChanged'] in tests/contracts/extensions.py failed: LookupError: no such product");
      // The interactions replayed without their state say nothing more: the cause is above.
      expect(result.output).not.toContain('does not give its consumers what they expect');
    } finally {
      writeFileSync(extensions(), saved);
    }
  }, deadlineMs + 30_000);

  it('a state no handler knows, a generated state that fails and a handler that never finishes: each is named, within the step timeout', async () => {
    const pactFile = join(dir, 'contracts', 'pacts', 'mailer-catalog.json');
    const pact = readFileSync(pactFile, 'utf8');
    try {
      const changed = JSON.parse(pact) as { interactions: { description: string; providerStates?: { name: string; params?: Record<string, unknown> }[] }[] };
      for (const interaction of changed.interactions) {
        for (const state of interaction.providerStates ?? []) {
          if (state.name === 'a Product exists') state.name = 'a discontinued Product exists';
          if (state.name === 'no Product exists') state.params = { id: 'not-a-uuid' };
        }
      }
      writeFileSync(pactFile, JSON.stringify(changed, null, 2));
      edit(extensions(), '    # Publishes the sample: replace it with the code that publishes ProductChanged.\n', '    await asyncio.Event().wait()  # never set\n');
      edit(extensions(), 'from .support import', 'import asyncio\n\nfrom .support import');
      const result = await verifyCatalog();
      expect(result.timedOut, 'the verification hung').toBe(false);
      expect(result.ok).toBe(false);
      expect(result.output).toContain("- Given a discontinued Product exists: catalog has no such provider state: add states['a discontinued Product exists'] in tests/contracts/extensions.py");
      expect(result.output).toMatch(/- Given no Product exists: its handler failed: ValueError: badly formed hexadecimal UUID string\s+Set it up by hand: states\['no Product exists'\] in tests\/contracts\/extensions\.py replaces the generated one\./);
      expect(result.output).toContain("- a ProductChanged event: publishes['ProductChanged'] in tests/contracts/extensions.py failed: TimeoutError: it did not finish within 15 s");
    } finally {
      writeFileSync(pactFile, pact);
      writeFileSync(extensions(), saved);
    }
  }, deadlineMs + 30_000);

  it("a consumer's event handler that never finishes fails its consumer test, naming the handler", async () => {
    const mailer = join(dir, 'services', 'mailer');
    const handler = join(mailer, 'app', 'handlers', 'on_product_changed.py');
    const original = readFileSync(handler, 'utf8');
    try {
      writeFileSync(handler, `${original}    await asyncio.Event().wait()  # never set\n`.replace('from app.context', 'import asyncio\n\nfrom app.context'));
      const result = await attempt(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-m', 'consumer', 'tests/contracts'], mailer, { DATABASE_URL: server });
      expect(result.timedOut, 'the consumer test hung').toBe(false);
      expect(result.ok).toBe(false);
      expect(result.output).toContain("AssertionError: a ProductChanged event: mailer's handler of ProductChanged did not finish within 15 s");
    } finally {
      writeFileSync(handler, original);
    }
  }, deadlineMs + 30_000);
});

const nodeYaml = `
version: 1
name: failing
defaults:
  runtime: node
broker: rabbitmq
services:
  user:
    database: users
    entities:
      User: { email: string }
    publishes: [UserChanged]
  shop:
    calls:
      user: ['GET /users/{id}']
    subscribes: [UserChanged]
events:
  UserChanged: { userId: uuid }
`;

describe('a Node.js provider whose provider states or messages fail', () => {
  let system: PreparedSystem;
  const user = () => join(system.dir, 'services', 'user');
  const extensions = () => join(user(), 'test', 'contracts', 'extensions.ts');
  let saved: string;

  /** user's contract suite with extensions.ts as `text` (built first). */
  async function verifyUser(text: string): Promise<SuiteRun> {
    writeFileSync(extensions(), text);
    const build = await attempt('npm', ['run', 'build', '--silent'], user());
    expect(build.ok, build.output).toBe(true);
    return attempt('npm', ['run', 'test:contracts', '--silent'], user());
  }

  beforeAll(async () => {
    system = await prepareYaml('failing', nodeYaml);
    const consumer = await attempt('npm', ['run', 'test:consumer', '--silent'], join(system.dir, 'services', 'shop'));
    expect(consumer.ok, consumer.output).toBe(true);
    saved = readFileSync(extensions(), 'utf8');
  }, 900_000);

  afterAll(async () => {
    if (system) {
      writeFileSync(extensions(), saved);
      if (!process.env['TF_E2E_KEEP']) rmSync(system.dir, { recursive: true, force: true });
    }
  });

  it('a state handler that throws fails the verification naming the state, its error and extensions.ts, even where its interaction passes without it', async () => {
    // `no User exists` holds anyway on an empty database: Pact logged the error, replayed the interaction, and it passed.
    const result = await verifyUser(saved.replace('export const extensions: Extensions = {\n', "export const extensions: Extensions = {\n  states: {\n    'no User exists': async () => {\n      throw new Error('the fixture row is invalid');\n    },\n  },\n"));
    expect(result.timedOut, 'the verification hung').toBe(false);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("user's contract tests could not set up what its consumers' pacts need, so their interactions were not verified:");
    expect(result.output).toMatch(/- Given no User exists: its handler failed: Error: the fixture row is invalid\s+Fix states\['no User exists'\] in test\/contracts\/extensions\.ts\./);
  }, 2 * deadlineMs);

  it('a state no handler knows, a handler that never finishes and publishing code that throws: each is named, within the step timeout', async () => {
    const pactFile = join(system.dir, 'contracts', 'pacts', 'shop-user.json');
    const pact = readFileSync(pactFile, 'utf8');
    try {
      writeFileSync(pactFile, pact.replace('"name": "no User exists"', '"name": "a deleted User exists"'));
      const text = saved
        .replace('export const extensions: Extensions = {\n', "export const extensions: Extensions = {\n  states: { 'a User exists': () => new Promise<void>(() => undefined) },\n")
        .replace("    UserChanged: ({ ctx }) => ctx.transaction((tx) => tx.publish('UserChanged', eventSamples.UserChanged)),\n", "    UserChanged: async () => {\n      throw new RangeError('no such user');\n    },\n");
      expect(text).toContain("throw new RangeError('no such user')");
      const result = await verifyUser(text);
      expect(result.timedOut, 'the verification hung').toBe(false);
      expect(result.ok).toBe(false);
      expect(result.output).toContain("- Given a deleted User exists: user has no such provider state: add states['a deleted User exists'] in test/contracts/extensions.ts");
      expect(result.output).toMatch(/- Given a User exists: its handler failed: TimeoutError: it did not finish within 15 s\s+Fix states\['a User exists'\] in test\/contracts\/extensions\.ts\./);
      expect(result.output).toContain('- an UserChanged event: publishes.UserChanged in test/contracts/extensions.ts failed: RangeError: no such user');
    } finally {
      writeFileSync(pactFile, pact);
    }
  }, 2 * deadlineMs);

  // Last: the failing consumer run leaves shop-user.json unwritten.
  it("a consumer's event handler that never finishes fails its consumer test, naming the handler", async () => {
    const shop = join(system.dir, 'services', 'shop');
    edit(join(shop, 'src', 'handlers', 'on-user-changed.ts'), "  ctx.log.info({ eventId: event.id, type: event.type }, 'UserChanged received; no handler written yet');\n", '  await new Promise<void>(() => undefined); // never settles\n');
    const build = await attempt('npm', ['run', 'build', '--silent'], shop);
    expect(build.ok, build.output).toBe(true);
    const result = await attempt('npm', ['run', 'test:consumer', '--silent'], shop);
    expect(result.timedOut, 'the consumer test hung').toBe(false);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("shop's handler of UserChanged did not finish within 15 s");
  }, 2 * deadlineMs);
});
