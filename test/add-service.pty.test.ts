import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadSystem } from '../src/load.js';
import { runCli } from './support/cli.js';
import { snapshot } from './support/files.js';
import { terminal } from './support/terminal.js';

const scratch = mkdtempSync(join(tmpdir(), 'taskflow-add-service-pty-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const example = new URL('../examples/ecommerce/system.yaml', import.meta.url);
let count = 0;

/** A fresh, rendered copy of the ecommerce example. */
function project(): string {
  const dir = join(scratch, `p${count++}`);
  mkdirSync(dir);
  copyFileSync(example, join(dir, 'system.yaml'));
  expect(runCli(['generate'], { cwd: dir }).status).toBe(0);
  return dir;
}

const { requireTmux, waitFor, type, keys, closeAll, start: startIn } = terminal(scratch, 'add-service');
const start = (dir: string, ...args: string[]): string => startIn(dir, args);
afterEach(closeAll);

describe('taskflow-gen add-service in a real terminal (tmux)', () => {
  it('asks for the service, refuses invalid answers at the prompt, and edits system.yaml as the flags would', async () => {
    requireTmux();
    const dir = project();
    const file = join(dir, 'system.yaml');
    const before = readFileSync(file, 'utf8');
    const s = start(dir, 'add-service', 'shipping');
    await waitFor(s, 'Runtime of shipping');
    keys(s, 'Down', 'Enter'); // node -> python
    await waitFor(s, 'Database owned by shipping');
    type(s, 'orders');
    keys(s, 'Enter');
    await waitFor(s, "owned by service 'order'");
    keys(s, ...Array<string>(6).fill('BSpace'));
    keys(s, 'Enter'); // default: shipping
    await waitFor(s, 'Entities of shipping');
    type(s, 'Shipment orderId:uuid carrier:strin');
    keys(s, 'Enter');
    await waitFor(s, 'the type must be string');
    type(s, 'g; Parcel shipmentId:uuid weight:number?');
    keys(s, 'Enter');
    await waitFor(s, 'Sync calls of shipping');
    type(s, 'order:GET /nope');
    keys(s, 'Enter');
    await waitFor(s, "service 'order' does not serve GET /nope");
    keys(s, ...Array<string>(15).fill('BSpace'));
    type(s, 'order:GET /orders/{id}, product:POST /products/availability');
    keys(s, 'Enter');
    await waitFor(s, 'Events shipping publishes');
    type(s, 'ParcelShipped');
    keys(s, 'Enter');
    await waitFor(s, "event 'ParcelShipped' is not declared under events:");
    keys(s, ...Array<string>(13).fill('BSpace'));
    keys(s, 'Enter'); // none
    await waitFor(s, 'Events shipping subscribes to');
    type(s, 'Nope');
    keys(s, 'Enter');
    await waitFor(s, "publishes 'Nope'");
    keys(s, ...Array<string>(4).fill('BSpace'));
    type(s, 'OrderCreated');
    keys(s, 'Enter');
    await waitFor(s, 'Team that owns shipping');
    keys(s, 'Up', 'Enter'); // none -> ordering
    const done = await waitFor(s, 'EXIT=');
    expect(done).toContain('EXIT=0');
    expect(done).toContain("✔ added service 'shipping' to team 'ordering' in system.yaml");

    const after = readFileSync(file, 'utf8');
    // Every line of the original is still there, byte-identical, except the team line.
    expect(diffLines(before, after).filter((p) => p.removed).map((p) => p.value)).toEqual(['  ordering: [order]\n']);
    expect(after).toContain('  ordering: [order, shipping]\n');
    expect(after).toContain(
      [
        '  shipping:',
        '    runtime: python',
        '    database: shipping',
        '    entities:',
        '      Shipment:',
        '        orderId: uuid',
        '        carrier: string',
        '      Parcel:',
        '        shipmentId: uuid',
        '        weight: number?',
        '    calls:',
        '      order: ["GET /orders/{id}"]',
        '      product: [POST /products/availability]',
        '    subscribes: [OrderCreated]',
      ].join('\n'),
    );
    const loaded = loadSystem(after, 'system.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const shipping = loaded.model.services.find((x) => x.name === 'shipping')!;
    expect(shipping.runtime).toBe('python');
    expect(shipping.team).toBe('ordering');
    expect(runCli(['generate', '--check'], { cwd: dir }).status).toBe(0);
  });

  it('Ctrl-C at a prompt writes nothing and exits 130', async () => {
    requireTmux();
    const dir = project();
    const before = snapshot(dir);
    const s = start(dir, 'add-service', 'shipping');
    await waitFor(s, 'Runtime of shipping');
    keys(s, 'Enter');
    await waitFor(s, 'Database owned by shipping');
    keys(s, 'Enter');
    await waitFor(s, 'Entities of shipping');
    keys(s, 'C-c');
    const done = await waitFor(s, 'EXIT=');
    expect(done).toContain('EXIT=130');
    expect(done).toContain('nothing written');
    expect(snapshot(dir)).toEqual(before);
  });
});
