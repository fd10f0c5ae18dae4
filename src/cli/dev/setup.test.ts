import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevPlan, DevProcess } from '../../dev/plan.js';
import { databaseHomes, resetData } from './setup.js';

const root = mkdtempSync(join(tmpdir(), 'tf-dev-setup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const process_ = (name: string, runtime: 'node' | 'python'): DevProcess => ({ name, kind: 'service', runtime, dir: `services/${name}`, declaredPort: 0, callees: [], needsDatabase: true, usesBroker: true, wave: 0 });

describe('dev --reset', () => {
  it('wipes every embedded database and the broker dev started, and keeps what is not data: installs, venvs, logs, the dev secret', () => {
    const devDir = join(root, '.taskflow', 'dev');
    const plan: DevPlan = { system: 'shop', broker: 'nats', processes: [process_('order', 'node'), process_('notify', 'python')], skipped: [] };
    const files = ['order/pglite/PG_VERSION', 'order/pglite/base/1/1259', 'notify/venv/pyvenv.cfg', 'broker/nats/jetstream/meta.inf', 'logs/order.log', 'jwt-secret', 'stamps.json'];
    for (const file of files) {
      mkdirSync(join(devDir, file, '..'), { recursive: true });
      writeFileSync(join(devDir, file), 'x');
    }
    resetData(devDir, plan);
    expect(files.filter((f) => existsSync(join(devDir, f)))).toEqual(['notify/venv/pyvenv.cfg', 'logs/order.log', 'jwt-secret', 'stamps.json']);
    expect(readdirSync(join(devDir, 'order'))).toEqual([]);
    expect(existsSync(join(devDir, 'broker'))).toBe(false);
  });
});

describe('where each database lives', () => {
  const stateless = { ...process_('gateway', 'node'), needsDatabase: false };
  const plan: DevPlan = { system: 'shop', broker: 'nats', processes: [process_('order', 'node'), process_('notify', 'python'), stateless], skipped: [] };
  const names = (homes: ReturnType<typeof databaseHomes>): Record<string, string[]> => Object.fromEntries(Object.entries(homes).map(([home, ps]) => [home, ps.map((p) => p.name)]));

  it('is PGlite for every owner without --database-url: opened by a Node.js service, served to a Python one; never a server dev was not given', () => {
    expect(names(databaseHomes(plan, {}))).toEqual({ onServer: [], embedded: ['order'], served: ['notify'] });
  });

  it('is the --database-url server for every owner, Node.js and Python alike', () => {
    expect(names(databaseHomes(plan, { databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres' }))).toEqual({ onServer: ['order', 'notify'], embedded: [], served: [] });
  });
});
