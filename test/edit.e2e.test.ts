import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { afterAll, describe, expect, it } from 'vitest';
import { codeRuntimes } from '../src/render/targets.js';
import { runCli } from './support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'taskflow-edit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const example = new URL('../examples/ecommerce/system.yaml', import.meta.url);
let count = 0;

/** A fresh folder holding a copy of the ecommerce system.yaml, rendered once when `generated`. */
function project(generated: boolean): string {
  const dir = join(scratch, `p${count++}`);
  mkdirSync(dir);
  copyFileSync(example, join(dir, 'system.yaml'));
  if (generated) expect(runCli(['generate'], { cwd: dir }).status).toBe(0);
  return dir;
}

/** Every file under dir with its content, to prove that nothing was written. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, readFileSync(path, 'utf8'));
    }
  }
  return files;
}


describe('edit commands (built CLI)', () => {
  it('lists the edit commands with one-line descriptions', () => {
    const help = runCli(['--help']).stdout;
    for (const command of ['add-service', 'add-event', 'add-call', 'remove-service']) expect(help).toMatch(new RegExp(`^  ${command} .*\\S`, 'm'));
  });

  it('add-service edits system.yaml in place, re-renders, and generate --check then passes', () => {
    const dir = project(true);
    const before = readFileSync(join(dir, 'system.yaml'), 'utf8');
    const run = runCli(
      ['add-service', 'shipping', '--runtime', 'python', '--entity', 'Shipment orderId:uuid carrier:string', '--calls', 'order:GET /orders/{id}', '--subscribes', 'OrderCreated', '--team', 'ordering'],
      { cwd: dir },
    );
    // Until Python code is generated, the re-render says so at the new service's runtime, and nothing else.
    expect(run.stderr).toEqual(
      codeRuntimes.has('python') ? '' : expect.stringMatching(/^system\.yaml:\d+:14 {2}warning: service 'shipping': no code is generated for runtime 'python' yet[^\n]*\n$/),
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("✔ added service 'shipping' to team 'ordering' in system.yaml");
    expect(run.stdout).toMatch(/^create +k8s\/shipping\/deployment\.yaml$/m);
    const after = readFileSync(join(dir, 'system.yaml'), 'utf8');
    // Every line of the original is still there, in order and byte-identical, except the team line.
    const removed = diffLines(before, after).filter((p) => p.removed);
    expect(removed.map((p) => p.value)).toEqual(['  ordering: [order]\n']);
    expect(after).toContain('  ordering: [order, shipping]');
    expect(after).toContain('# Stock is checked before the order is accepted; the stock itself is');
    expect(runCli(['generate', '--check'], { cwd: dir }).status).toBe(0);
    expect(runCli(['validate'], { cwd: dir }).status).toBe(0);
    // The new sync edges make user and product single points of failure: warnings, so lint still exits 0.
    expect(run.stdout).toContain('single-point-of-failure');
    expect(runCli(['lint'], { cwd: dir }).status).toBe(0);
    expect(runCli(['lint', '--max-warnings', '0'], { cwd: dir }).status).toBe(1);
  });

  it('add-event and add-call edit in place and re-render', () => {
    const dir = project(true);
    const event = runCli(['add-event', 'OrderShipped', '--fields', 'orderId:uuid shippedAt:datetime', '--publisher', 'order', '--subscriber', 'search'], { cwd: dir });
    expect(event.status, event.stderr).toBe(0);
    const call = runCli(['add-call', 'search', 'product', 'GET /products/{id}'], { cwd: dir });
    expect(call.status, call.stderr).toBe(0);
    const text = readFileSync(join(dir, 'system.yaml'), 'utf8');
    expect(text).toContain('    publishes: [OrderCreated, OrderCancelled, OrderShipped]');
    expect(text).toContain('    subscribes: [OrderCreated, OrderCancelled, ProductChanged, OrderShipped]');
    expect(text).toMatch(/\n {2}OrderShipped:\n {4}orderId: uuid\n {4}shippedAt: datetime\n/);
    expect(text).toContain('    calls:\n      product: ["GET /products/{id}"]\n');
    expect(runCli(['generate', '--check'], { cwd: dir }).status).toBe(0);
    expect(runCli(['add-call', 'search', 'product', 'GET /products/{id}'], { cwd: dir })).toMatchObject({ status: 2, stderr: expect.stringContaining('already') });
  });

  it('--dry-run prints the diff and the generate plan, and writes nothing', () => {
    const dir = project(true);
    const before = snapshot(dir);
    const run = runCli(['add-service', 'shipping', '--team', 'ordering', '--dry-run'], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('+++ system.yaml');
    expect(run.stdout).toContain('-  ordering: [order]\n+  ordering: [order, shipping]');
    expect(run.stdout).toMatch(/^\+ {2}shipping: \{\}$/m);
    expect(run.stdout).toMatch(/^create +k8s\/shipping\/deployment\.yaml$/m);
    expect(run.stdout).toMatch(/would be created/);
    for (const args of [['remove-service', 'search', '--dry-run'], ['add-event', 'X', '--fields', 'id:uuid', '--dry-run'], ['add-call', 'search', 'user', 'GET /users/{id}', '--dry-run']]) {
      expect(runCli(args, { cwd: dir }).status).toBe(0);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('remove-service is refused while others depend on the service, and --force removes it and the calls to it', () => {
    const dir = project(true);
    const file = join(dir, 'system.yaml');
    const before = readFileSync(file, 'utf8');
    const refused = runCli(['remove-service', 'product'], { cwd: dir });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^system\.yaml:\d+:\d+ {2}service 'order' calls 'product'/m);
    expect(refused.stderr).toContain("service 'search' subscribes to ProductChanged, which only 'product' publishes");
    expect(readFileSync(file, 'utf8')).toBe(before);

    const forced = runCli(['remove-service', 'product', '--force'], { cwd: dir });
    expect(forced.status, forced.stderr).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).not.toMatch(/^ {2}product:/m);
    expect(after).not.toContain('POST /products/availability');
    expect(after).toContain('  catalog: [search]');
    expect(after).toContain('  ProductChanged:'); // events stay declared
    expect(forced.stdout).toMatch(/event-without-publisher/); // the finding the removal introduces
    expect(existsSync(join(dir, 'k8s/product'))).toBe(false);
    expect(runCli(['generate', '--check'], { cwd: dir }).status).toBe(0);
    expect(runCli(['lint'], { cwd: dir }).status).toBe(1); // search subscribes to ProductChanged, now published by nobody

    // A service nobody depends on goes without --force.
    expect(runCli(['remove-service', 'search'], { cwd: dir }).status).toBe(0);
    expect(runCli(['generate', '--check'], { cwd: dir }).status).toBe(0);
  });

  it.each([
    [['add-service', 'Bad_Name'], /lower-case DNS label/],
    [['add-service', 'order'], /service 'order' exists already/],
    [['add-service', 'x', '--publishes', 'NoSuchEvent'], /unknown event 'NoSuchEvent'/],
    [['add-service', 'x', '--entity', 'order id:string'], /PascalCase/],
    [['add-event', 'order-placed', '--fields', 'id:uuid'], /PascalCase/],
    [['add-event', 'OrderCreated', '--fields', 'id:uuid'], /exists already/],
    [['add-call', 'order', 'nope', 'GET /x'], /unknown service 'nope'/],
    [['add-call', 'order', 'user', 'FETCH /x'], /METHOD \/path/],
    [['remove-service', 'nope'], /unknown service 'nope'/],
    [['add-service', 'x', '--file', 'missing.yaml'], /file not found/],
  ])('exits 2 for invalid input, file untouched: %j', (args, message) => {
    const dir = project(false);
    const run = runCli(args, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^\S+:\d+:\d+ {2}/m);
    expect(readdirSync(dir)).toEqual(['system.yaml']);
    expect(readFileSync(join(dir, 'system.yaml'), 'utf8')).toBe(readFileSync(example, 'utf8'));
  });
});
