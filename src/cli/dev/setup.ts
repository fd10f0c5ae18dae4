import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processEnv, type DevPlan, type DevProcess, type DevWiring } from '../../dev/plan.js';
import type { DevOptions } from '../commands/dev.js';
import { assignPorts } from './net.js';
import type { Launch } from './supervisor.js';

/** What dev decides about this machine before it starts anything: what can start, how, with which secret and ports. */

/** Python services start only from code that exists. */
export function withoutUnstartable(plan: DevPlan, root: string): DevPlan {
  const skipped = [...plan.skipped];
  const processes = plan.processes.filter((p) => {
    if (p.runtime !== 'python' || existsSync(join(root, p.dir, 'requirements.txt'))) return true;
    skipped.push({ name: p.name, reason: `no Python code in ${p.dir} (requirements.txt) yet` });
    return false;
  });
  return { ...plan, processes, skipped };
}

/**
 * Where each process that needs a database keeps it: with --database-url, every one on that server;
 * else PGlite under .taskflow/dev/<service>/pglite, which a Node.js service opens itself and a
 * Python one reaches over the PostgreSQL wire protocol, served by a child of dev (`served`).
 */
export function databaseHomes(plan: DevPlan, options: Pick<DevOptions, 'databaseUrl'>): { onServer: DevProcess[]; embedded: DevProcess[]; served: DevProcess[] } {
  const owners = plan.processes.filter((p) => p.needsDatabase);
  if (options.databaseUrl !== undefined) return { onServer: owners, embedded: [], served: [] };
  return { onServer: [], embedded: owners.filter((p) => p.runtime === 'node'), served: owners.filter((p) => p.runtime === 'python') };
}

export function launchOf(root: string, plan: DevPlan, p: DevProcess, wiring: DevWiring, python: string): Launch {
  const cwd = join(root, p.dir);
  const env = processEnv(plan, p, wiring);
  if (p.runtime === 'python') return { file: python, args: ['-m', 'app'], cwd, env };
  // `npm start` would compile first (prestart); dev has built already, so it runs what `start` runs.
  const start = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { scripts?: { start?: string } }).scripts?.start ?? 'node dist/src/main.js';
  const direct = /^node\s+(\S+)$/.exec(start.trim());
  return direct ? { file: process.execPath, args: [direct[1]!], cwd, env } : { file: 'sh', args: ['-c', start], cwd, env };
}

export function resetData(devDir: string, plan: DevPlan): void {
  for (const p of plan.processes) rmSync(join(devDir, p.name, 'pglite'), { recursive: true, force: true });
  rmSync(join(devDir, 'broker'), { recursive: true, force: true });
}

/** The HS256 secret of this system's dev runs: made once, kept in .taskflow/dev/jwt-secret. */
export function devSecret(devDir: string): string {
  const path = join(devDir, 'jwt-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(devDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  return secret;
}

export async function dashboardPort(wanted: number): Promise<number> {
  const { ports } = await assignPorts([{ name: 'dashboard', port: wanted }]);
  return ports.get('dashboard')!;
}
