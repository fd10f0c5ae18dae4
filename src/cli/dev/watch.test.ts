import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevProcess } from '../../dev/plan.js';
import { watchFolders } from './watch.js';

/** `dev --watch` on real folders: which service is rebuilt, how often, and never twice at once. */

const root = mkdtempSync(join(tmpdir(), 'tf-dev-watch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const service = (name: string, runtime: 'node' | 'python'): DevProcess => ({ name, kind: 'service', runtime, dir: `services/${name}`, declaredPort: 0, callees: [], needsDatabase: false, usesBroker: false, wave: 0 });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('watchFolders', () => {
  it('a burst of changes under one service brings one rebuild of that service alone; changes during it bring exactly one more', async () => {
    const processes = [service('order', 'node'), service('user', 'node'), service('notify', 'python')];
    for (const p of processes) mkdirSync(join(root, p.dir, p.runtime === 'node' ? 'src' : 'app', 'routes'), { recursive: true });
    const calls: { name: string; at: number }[] = [];
    let running = 0;
    let overlapped = false;
    let release: () => void = () => undefined;
    const stop = watchFolders(root, processes, async (p) => {
      overlapped ||= running > 0;
      running += 1;
      calls.push({ name: p.name, at: Date.now() });
      // The first rebuild of order is slow: changes made meanwhile must wait for it.
      if (p.name === 'order' && calls.filter((c) => c.name === 'order').length === 1) await new Promise<void>((r) => (release = r));
      running -= 1;
    });
    try {
      // Ten writes in two bursts 50 ms apart (a nested folder included): well within the 300 ms debounce.
      for (let i = 0; i < 10; i++) {
        writeFileSync(join(root, 'services/order/src', i % 2 ? 'routes/orders.ts' : 'main.ts'), `export const v = ${i};\n`);
        if (i === 4) await sleep(50);
      }
      await expect.poll(() => calls.length, { timeout: 5_000 }).toBe(1);
      expect(calls[0]!.name).toBe('order');
      // While order's rebuild runs: two more bursts under order, one under the Python service's app/.
      writeFileSync(join(root, 'services/order/src/main.ts'), 'export const v = 10;\n');
      await sleep(500);
      writeFileSync(join(root, 'services/order/src/main.ts'), 'export const v = 11;\n');
      writeFileSync(join(root, 'services/notify/app/main.py'), 'v = 1\n');
      await sleep(1_500);
      expect(calls.map((c) => c.name)).toEqual(['order', 'notify']);
      release();
      // One more rebuild of order for everything that changed during the first, not one per change.
      await expect.poll(() => calls.map((c) => c.name), { timeout: 5_000 }).toEqual(['order', 'notify', 'order']);
      await sleep(1_500);
      expect(calls.map((c) => c.name)).toEqual(['order', 'notify', 'order']);
      expect(overlapped).toBe(true); // notify ran while order's rebuild did: services do not wait for each other
      // A file outside src/ (here package.json of user) is not a change to rebuild for.
      writeFileSync(join(root, 'services/user/package.json'), '{}\n');
      await sleep(1_500);
      expect(calls.filter((c) => c.name === 'user')).toEqual([]);
    } finally {
      stop();
    }
    // Stopped: nothing more is called.
    writeFileSync(join(root, 'services/user/src/main.ts'), 'export const v = 1;\n');
    await sleep(1_500);
    expect(calls.filter((c) => c.name === 'user')).toEqual([]);
  }, 30_000);
});
