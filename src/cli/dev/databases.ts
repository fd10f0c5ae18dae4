import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { spawnGroup, stopGroup, type GroupChild } from './child.js';
import type { Ledger } from './ledger.js';

/**
 * One database per service on the PostgreSQL server of `serverUrl`, named
 * `<system>_<service>` (`-` becomes `_`), created when missing. Returns each
 * service's DATABASE_URL: the server's URL with that database.
 */
export async function postgresDatabases(serverUrl: string, system: string, services: readonly string[]): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  const urls = new Map<string, string>();
  try {
    for (const service of services) {
      const name = `${system}_${service}`.replaceAll('-', '_');
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      urls.set(service, url.toString());
    }
  } finally {
    await client.end();
  }
  return urls;
}

/** A service's PGlite database served on the PostgreSQL wire protocol by a child of dev (pglite-server.ts). */
export interface EmbeddedPostgres {
  /** DATABASE_URL for a PostgreSQL driver. */
  readonly url: string;
  stop(force: Promise<void>): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

const script = fileURLToPath(new URL('./pglite-server.js', import.meta.url));

/** How long PGlite may take to open (or create) its data directory and listen. */
const startMs = 60_000;

/**
 * Starts `dataDir`'s PGlite on 127.0.0.1 and a port the system chooses, as a
 * process group of its own recorded in `ledger`; resolves once it listens.
 */
export async function startEmbeddedPostgres(dataDir: string, logFile: string, ledger: Ledger | undefined): Promise<EmbeddedPostgres> {
  let announced: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => (announced = resolve));
  const child: GroupChild = spawnGroup(process.execPath, [script, dataDir], {
    cwd: dataDir,
    env: {},
    logFile,
    ledger,
    onLine: (line) => {
      const said = /^\{"listening":(\d+)\}$/.exec(line);
      if (said) announced(Number(said[1]));
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    port,
    child.exited.then(({ code, signal }) => `exited (${signal ?? `code ${code ?? '?'}`})`),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`did not listen within ${startMs / 1000} s`), startMs))),
  ]);
  clearTimeout(timer);
  if (typeof outcome === 'string') {
    await stopGroup(child, 2_000, new Promise(() => undefined));
    throw new EmbeddedPostgresError(`the PGlite server of ${dataDir} ${outcome}; its log: ${logFile}`);
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${outcome}/postgres`,
    stop: (force) => stopGroup(child, 5_000, force),
  };
}
