import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSystem } from '../src/load.js';
import { cliPath, repoRoot, runCli } from './support/cli.js';
import { terminal } from './support/terminal.js';

const scratch = mkdtempSync(join(tmpdir(), 'taskflow-init-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const schemaFile = join(repoRoot, 'schema/system.schema.json');

/**
 * The $schema line points, relative to system.yaml, at the copy of the tool's
 * schema that generate keeps in DIR/.taskflow/: a draft-07 schema that the
 * file itself satisfies.
 */
function expectSchemaLine(dir: string, line: string | undefined): void {
  const ref = /^# yaml-language-server: \$schema=(.+)$/.exec(line ?? '')?.[1];
  expect(ref, line).toBe('./.taskflow/system.schema.json');
  const copy = resolve(dir, ref!);
  expect(readFileSync(copy, 'utf8')).toBe(readFileSync(schemaFile, 'utf8'));
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(copy, 'utf8')) as object);
  const valid = validate(parse(readFileSync(join(dir, 'system.yaml'), 'utf8')));
  expect(validate.errors ?? [], `${copy} rejects ${dir}/system.yaml`).toEqual([]);
  expect(valid).toBe(true);
}

/** Every file under `dir` whose text names an absolute path of this machine (the folder itself or the tool's checkout). */
function filesNaming(dir: string, paths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (paths.some((p) => readFileSync(path, 'utf8').includes(p))) found.push(path);
    }
  };
  walk(dir);
  return found;
}

describe('taskflow-gen init (built CLI, no terminal)', () => {
  it('--yes writes a lint-clean two-service system with a gateway, renders it, and generate --check passes', () => {
    const dir = join(scratch, 'yes', 'shop');
    const run = runCli(['init', '--yes', dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Next steps:');
    expect(run.stdout).toContain('docker compose up --build');
    expect(run.stdout).toContain('taskflow-gen generate --check');
    expect(run.stdout).toContain('taskflow-gen lint');
    const text = readFileSync(join(dir, 'system.yaml'), 'utf8');
    expectSchemaLine(dir, text.split('\n')[0]);
    const loaded = loadSystem(text, 'system.yaml');
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      expect(loaded.model.services).toHaveLength(2);
      expect(loaded.model.name).toBe('shop');
    }
    expect(existsSync(join(dir, 'docker-compose.yml'))).toBe(true);
    expect(runCli(['generate', '--check', join(dir, 'system.yaml')]).status).toBe(0);
    const lint = runCli(['lint', join(dir, 'system.yaml'), '--format', 'json']);
    expect(lint.status).toBe(0);
    expect(JSON.parse(lint.stdout)).toEqual({ findings: [], errorCount: 0, warningCount: 0 });
  });

  it('takes answers from flags, and refuses jwt on nginx', () => {
    const dir = join(scratch, 'flags');
    const run = runCli(['init', dir, '--yes', '--name', 'tracker', '--broker', 'nats', '--gateway', 'nginx', '--auth', 'none']);
    expect(run.status).toBe(0);
    const text = readFileSync(join(dir, 'system.yaml'), 'utf8');
    expect(text).toMatch(/^name: tracker$/m);
    expect(text).toMatch(/^broker: nats/m);
    expect(text).toMatch(/^ {2}kind: nginx$/m);
    expect(runCli(['lint', join(dir, 'system.yaml'), '--max-warnings', '0']).status).toBe(0);
    const bad = runCli(['init', join(scratch, 'nginx-jwt'), '--yes', '--gateway', 'nginx', '--auth', 'jwt']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/nginx gateway cannot verify JWTs/);
    expect(existsSync(join(scratch, 'nginx-jwt'))).toBe(false);
    expect(runCli(['init', join(scratch, 'badname'), '--yes', '--name', 'Bad_Name']).stderr).toMatch(/lower-case DNS label/);
  });

  it('points editors at a schema that moves with the folder: relative, refreshed by generate, checked by --check; no absolute path anywhere', () => {
    const first = join(scratch, 'moving', 'before');
    expect(runCli(['init', '--yes', first]).status).toBe(0);
    expect(filesNaming(first, [first, repoRoot])).toEqual([]);
    const moved = join(scratch, 'moving', 'elsewhere', 'after');
    mkdirSync(dirname(moved), { recursive: true });
    renameSync(first, moved);
    expectSchemaLine(moved, readFileSync(join(moved, 'system.yaml'), 'utf8').split('\n')[0]);
    expect(runCli(['generate', '--check', join(moved, 'system.yaml')]).status).toBe(0);
    // A copy older than the tool (or edited) is stale: --check names it, generate refreshes it.
    const copy = join(moved, '.taskflow', 'system.schema.json');
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('"title": "taskflow-gen system.yaml (version 1)"', '"title": "an older taskflow-gen"'));
    const check = runCli(['generate', '--check', join(moved, 'system.yaml')]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('.taskflow/system.schema.json');
    expect(runCli(['generate', '--force', join(moved, 'system.yaml')]).status).toBe(0);
    expectSchemaLine(moved, readFileSync(join(moved, 'system.yaml'), 'utf8').split('\n')[0]);
  });

  it('--example copies the example as is, with the $schema line pointing at the schema copy beside it', () => {
    const dir = join(scratch, 'ecommerce');
    const run = runCli(['init', dir, '--example', 'ecommerce']);
    expect(run.status).toBe(0);
    const original = readFileSync(join(repoRoot, 'examples/ecommerce/system.yaml'), 'utf8').split('\n');
    const written = readFileSync(join(dir, 'system.yaml'), 'utf8').split('\n');
    expectSchemaLine(dir, written[0]);
    expect(written.slice(1)).toEqual(original.slice(1));
    expect(filesNaming(dir, [dir, repoRoot])).toEqual([]);
    // Its hand-written handlers come along, and generate keeps them as they are.
    const handler = 'services/order/src/handlers/post-orders.ts';
    expect(readFileSync(join(dir, handler), 'utf8')).toBe(readFileSync(join(repoRoot, 'examples/ecommerce', handler), 'utf8'));
    expect(run.stdout).toContain("copied the example's hand-written handlers");
    expect(runCli(['generate', '--check', join(dir, 'system.yaml')]).status).toBe(0);
    expect(runCli(['lint', join(dir, 'system.yaml'), '--max-warnings', '0']).status).toBe(0);
    const unknown = runCli(['init', join(scratch, 'nope'), '--example', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('ecommerce');
  });

  it('--list-examples lists every example with a one-line description', () => {
    const run = runCli(['init', '--list-examples']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['checkout', 'ecommerce', 'order-saga', 'task-manager', 'taskflow', 'anti-patterns']);
    for (const line of lines) expect(line).toMatch(/^\S+\s+\S.{10,}$/);
  });

  it('without a terminal and without --yes exits 2 quickly, listing the flags to pass, and writes nothing', () => {
    const dir = join(scratch, 'no-tty');
    const started = Date.now();
    const result = spawnSync(process.execPath, [cliPath, 'init', dir, '--name', 'shop'], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input: '', timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe(2);
    for (const flag of ['--yes', '--example', '--name', '--broker', '--gateway', '--auth']) expect(result.stderr).toContain(flag);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses to replace an existing system.yaml unless --force', () => {
    const dir = join(scratch, 'existing');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'system.yaml'), 'mine\n');
    const run = runCli(['init', dir, '--yes']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/already exists.*--force/);
    expect(readFileSync(join(dir, 'system.yaml'), 'utf8')).toBe('mine\n');
    expect(runCli(['init', dir, '--example', 'taskflow']).status).toBe(2);
    expect(runCli(['init', dir, '--yes', '--force']).status).toBe(0);
    expect(readFileSync(join(dir, 'system.yaml'), 'utf8')).toMatch(/^version: 1$/m);
  });
});

// ---- a real pseudo-terminal, through tmux --------------------------------------------------

const { requireTmux, waitFor, type, keys, screen, closeAll, start: startIn } = terminal(scratch, 'init');
const start = (dir: string): string => startIn(scratch, ['init', dir]);
afterEach(closeAll);

describe('taskflow-gen init in a real terminal (tmux)', () => {
  it('asks every question, refuses invalid names at the prompt, writes system.yaml and renders the system', async () => {
    requireTmux();
    const dir = join(scratch, 'pty', 'demo');
    const s = start(dir);
    await waitFor(s, 'System name');
    type(s, 'Bad_Name');
    keys(s, 'Enter');
    await waitFor(s, 'lower-case DNS label: a letter');
    keys(s, ...Array<string>(8).fill('BSpace'));
    type(s, 'demo');
    keys(s, 'Enter');
    await waitFor(s, 'One-line description');
    type(s, 'A demo shop');
    keys(s, 'Enter');
    await waitFor(s, 'Message broker');
    keys(s, 'Down', 'Enter'); // rabbitmq -> nats
    await waitFor(s, 'Gateway (one public entry point)');
    keys(s, 'Enter'); // node
    await waitFor(s, 'Authentication at the gateway');
    keys(s, 'Down', 'Enter'); // jwt -> none
    await waitFor(s, 'Service 1 name');
    type(s, 'gateway');
    keys(s, 'Enter');
    await waitFor(s, 'taken by the generated gateway');
    keys(s, ...Array<string>(7).fill('BSpace'));
    type(s, 'catalog');
    keys(s, 'Enter');
    await waitFor(s, 'Runtime of catalog');
    keys(s, 'Down', 'Enter'); // python
    await waitFor(s, 'Database owned by catalog');
    keys(s, 'Enter'); // default: catalogs
    await waitFor(s, 'Entities of catalog');
    type(s, 'Product title:string price:number');
    keys(s, 'Enter');
    await waitFor(s, 'Events catalog publishes');
    type(s, 'ProductChanged');
    keys(s, 'Enter');
    await waitFor(s, 'Add another service?');
    keys(s, 'Enter'); // default yes for the second service
    await waitFor(s, 'Service 2 name');
    type(s, 'order');
    keys(s, 'Enter');
    await waitFor(s, 'Runtime of order');
    keys(s, 'Enter');
    await waitFor(s, 'Database owned by order');
    keys(s, 'Enter'); // default: orders
    await waitFor(s, 'Entities of order');
    type(s, 'Order productId:uuid quantity:integer');
    keys(s, 'Enter');
    await waitFor(s, 'Sync calls of order');
    type(s, 'catalog:GET /nope');
    keys(s, 'Enter');
    await waitFor(s, 'does not serve GET /nope');
    keys(s, ...Array<string>(17).fill('BSpace'));
    type(s, 'catalog:GET /products/{id}');
    keys(s, 'Enter');
    await waitFor(s, 'Events order publishes');
    keys(s, 'Enter'); // none
    await waitFor(s, 'Events order subscribes to');
    type(s, 'ProductChanged');
    keys(s, 'Enter');
    await waitFor(s, 'Add another service?', 2);
    keys(s, 'Enter'); // default no
    await waitFor(s, 'Teams');
    keys(s, 'Enter'); // default: demo: catalog order
    await waitFor(s, 'and render the system?');
    const summary = screen(s);
    expect(summary).toContain("System 'demo'");
    expect(summary).toContain('order: node; database orders; entities Order; calls catalog:GET /products/{id}; subscribes ProductChanged');
    keys(s, 'Enter');
    const done = await waitFor(s, 'EXIT=');
    expect(done).toContain('EXIT=0');
    expect(done).toContain('Next steps:');

    const text = readFileSync(join(dir, 'system.yaml'), 'utf8');
    const loaded = loadSystem(text, 'system.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const { model } = loaded;
    expect(model.name).toBe('demo');
    expect(model.broker).toBe('nats');
    expect(text).toMatch(/^ {2}auth: none$/m);
    expect(text).toContain('description: "A demo shop"');
    expect(model.services.map((s) => [s.name, s.runtime])).toEqual([['catalog', 'python'], ['order', 'node']]);
    expect(model.services[1]!.calls[0]!.endpoints[0]!.text).toBe('GET /products/{id}');
    expect(text).toContain('demo: [catalog, order]');
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    for (const name of ['catalog', 'order', 'gateway', 'catalogs-db', 'orders-db']) expect(compose).toContain(`${name}:`);
    expect(existsSync(join(dir, 'k8s', 'catalog', 'deployment.yaml'))).toBe(true);
    expect(runCli(['generate', '--check', join(dir, 'system.yaml')]).status).toBe(0);
    expect(runCli(['lint', join(dir, 'system.yaml')]).status).toBe(0);
  });

  it('Ctrl-C at a prompt leaves nothing written and exits 130', async () => {
    requireTmux();
    const dir = join(scratch, 'pty', 'interrupted');
    const s = start(dir);
    await waitFor(s, 'System name');
    keys(s, 'Enter');
    await waitFor(s, 'One-line description');
    keys(s, 'Enter');
    await waitFor(s, 'Message broker');
    keys(s, 'Enter');
    await waitFor(s, 'Gateway (one public entry point)');
    keys(s, 'C-c');
    const done = await waitFor(s, 'EXIT=');
    expect(done).toContain('EXIT=130');
    expect(done).toContain('nothing written');
    expect(existsSync(dir)).toBe(false);
  });
});
