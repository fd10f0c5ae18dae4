import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Launch, Unit } from './supervisor.js';

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

/**
 * A Python service's PGlite database, served on the PostgreSQL wire protocol
 * by a child of dev (pglite-server.ts) that dev supervises like a service:
 * always on the same port, so that after a crash it comes back where the
 * service's DATABASE_URL points and psycopg's pool reconnects.
 */
export interface DatabaseServer {
  /** The service whose database it is. */
  readonly service: string;
  /** Its name among dev's processes, which names its log too (`logs/<service>-pglite.log`). */
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
}

export function databaseServer(service: string, port: number, dataDir: string): DatabaseServer {
  return { service, name: `${service}-pglite`, port, dataDir };
}

const script = fileURLToPath(new URL('./pglite-server.js', import.meta.url));

export function serverLaunch(server: DatabaseServer): Launch {
  return { file: process.execPath, args: [script, server.dataDir, String(server.port)], cwd: server.dataDir, env: {} };
}

/** The service's DATABASE_URL, for a PostgreSQL driver. */
export function serverUrl(server: DatabaseServer): string {
  return `postgresql://postgres@127.0.0.1:${server.port}/postgres`;
}

/** What dev says while it runs when a database server's state matters to its service: it went down, came back, or was given up on. */
export function serverNews(server: DatabaseServer, unit: Unit): { level: 'warn' | 'ok' | 'error'; text: string } | undefined {
  const { service, name } = server;
  if (unit.state === 'crashed') return { level: 'warn', text: `! ${service}'s database is down (its PGlite server, ${name}: ${unit.note ?? 'exited'}); it comes back on :${unit.port} with its data, where ${service}'s DATABASE_URL points` };
  if (unit.state === 'ready' && unit.restarts > 0) return { level: 'ok', text: `✔ ${service}'s database is back: ${name} serves it again on :${unit.port} (restarts: ${unit.restarts})` };
  if (unit.state === 'given up') return { level: 'error', text: `✖ ${service} has no database: dev gave up on its PGlite server ${name} (${unit.note ?? 'crash loop'}); stop dev and start it again once the cause is fixed` };
  return undefined;
}
