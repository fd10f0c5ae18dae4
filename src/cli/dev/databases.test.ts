import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/cli.js';
import { databaseServer, serverLaunch, serverNews, serverUrl, type DatabaseServer } from './databases.js';
import { Ledger } from './ledger.js';
import { anyFreePort } from './net.js';
import { acceptsConnections, Supervisor, type Launch } from './supervisor.js';
import { alive } from './signal.js';

/**
 * A Python service's PGlite server supervised as dev supervises it: the real
 * server (dist/cli/dev/pglite-server.js, which global-setup builds), killed
 * with SIGKILL, restarted on its port and data directory, recorded in a real
 * ledger; and one that cannot open its data given up on after the loop.
 */

const root = mkdtempSync(join(tmpdir(), 'tf-dev-databases-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** dev's launch of the server, run from dist/ (under vitest this module is the TypeScript source, beside no pglite-server.js). */
const launchOf = (server: DatabaseServer): Launch => {
  const launch = serverLaunch(server);
  return { ...launch, args: [join(repoRoot, 'dist', 'cli', 'dev', 'pglite-server.js'), ...launch.args.slice(1)] };
};

async function query(server: DatabaseServer, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: serverUrl(server), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function supervised(server: DatabaseServer, maxCrashes: number, ledger?: Ledger): { supervisor: Supervisor; said: string[] } {
  const said: string[] = [];
  const supervisor = new Supervisor({
    logsDir: join(root, 'logs'),
    policy: { initialMs: 200, maxMs: 400, stableMs: 30_000, maxCrashes },
    readyTimeoutMs: 60_000,
    onState: (unit) => {
      said.push(`${unit.state}${unit.note ? `: ${unit.note}` : ''}`);
      const news = serverNews(server, unit);
      if (news) said.push(`${news.level} ${news.text}`);
    },
    onLine: () => undefined,
    ...(ledger && { ledger }),
  });
  supervisor.add(server.name, server.port, () => launchOf(server), acceptsConnections);
  return { supervisor, said };
}

describe('a PGlite server supervised by dev (real server, real processes)', () => {
  it('killed with SIGKILL, is said down naming its service, restarted on the same port and data (a row written before is there, a new write works), its new pid in the ledger; stopped, nothing is left', async () => {
    const dataDir = join(root, 'notification', 'pglite');
    mkdirSync(dataDir, { recursive: true });
    const server = databaseServer('notification', await anyFreePort(), dataDir);
    const runFile = join(root, 'run.json');
    const ledger = new Ledger(runFile);
    const recorded = (): number[] => (JSON.parse(readFileSync(runFile, 'utf8')) as { groups: { pid: number }[] }).groups.map((g) => g.pid);
    const { supervisor, said } = supervised(server, 3, ledger);
    const unit = supervisor.units()[0]!;
    expect(unit.name).toBe('notification-pglite');

    await supervisor.start(server.name);
    const first = unit.pid!;
    expect(recorded()).toEqual([first]);
    await query(server, 'CREATE TABLE notes (body text)');
    await query(server, "INSERT INTO notes VALUES ('before the kill')");

    process.kill(first, 'SIGKILL');
    await expect.poll(() => said, { timeout: 10_000 }).toContain('crashed: killed by SIGKILL; restarting in 0.2 s');
    expect(said).toContain(`warn ! notification's database is down (its PGlite server, notification-pglite: killed by SIGKILL; restarting in 0.2 s); it comes back on :${server.port} with its data, where notification's DATABASE_URL points`);
    await expect.poll(() => unit.state, { timeout: 60_000 }).toBe('ready');
    expect(said).toContain('restarting');
    expect(said.at(-1)).toBe(`ok ✔ notification's database is back: notification-pglite serves it again on :${server.port} (restarts: 1)`);
    expect(unit.port).toBe(server.port);
    expect(unit.pid).not.toBe(first);
    expect(alive(first)).toBe(false);
    expect(recorded()).toEqual([unit.pid]);
    expect(await query(server, 'SELECT body FROM notes')).toEqual([{ body: 'before the kill' }]);
    await query(server, "INSERT INTO notes VALUES ('after')");
    expect(await query(server, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 2 }]);

    const second = unit.pid!;
    await supervisor.stopAll([server.name], 5_000, new Promise(() => undefined));
    expect(unit.state).toBe('stopped');
    expect(alive(second)).toBe(false);
    expect(recorded()).toEqual([]);
  }, 180_000);

  it('one that keeps crashing (its data directory is of another PostgreSQL) is restarted with backoff, then given up on, said as its service\'s missing database', async () => {
    const dataDir = join(root, 'billing', 'pglite');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'PG_VERSION'), '9\n');
    const server = databaseServer('billing', await anyFreePort(), dataDir);
    const { supervisor, said } = supervised(server, 3);
    await expect(supervisor.start(server.name)).rejects.toThrow(/^billing-pglite did not become ready \(exit 1; crashed 3 times in a row, not restarted again/);
    expect(said.filter((s) => s.startsWith('crashed'))).toEqual(['crashed: exit 1; restarting in 0.2 s', 'crashed: exit 1; restarting in 0.4 s']);
    expect(said.at(-1)).toMatch(/^error ✖ billing has no database: dev gave up on its PGlite server billing-pglite \(exit 1; crashed 3 times in a row, not restarted again \(see .*billing-pglite\.log\)\); stop dev and start it again once the cause is fixed$/);
    expect(supervisor.pids()).toEqual([]);
  }, 120_000);
});
