import pg from 'pg';

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

/** A PostgreSQL server that answered, as a URL of its `postgres` database (or PGDATABASE). */
export type FoundPostgres = { readonly url: string; readonly where: string } | { readonly error: string; readonly where: string };

/**
 * The PostgreSQL server libpq's environment names (PGHOST, PGPORT, PGUSER,
 * PGPASSWORD, PGDATABASE), else 127.0.0.1:5432 as the current user, if it
 * answers within two seconds: where dev makes the databases of Python
 * services when no --database-url is given.
 */
export async function findPostgres(env: NodeJS.ProcessEnv, username: string): Promise<FoundPostgres> {
  const host = env['PGHOST'] || '127.0.0.1';
  const port = env['PGPORT'] || '5432';
  const url = new URL(`postgres://${host.includes(':') ? `[${host}]` : host}:${port}`);
  url.username = env['PGUSER'] || username;
  if (env['PGPASSWORD']) url.password = env['PGPASSWORD'];
  url.pathname = `/${env['PGDATABASE'] || 'postgres'}`;
  const where = `${host}:${port} as ${url.username}`;
  if (host.startsWith('/')) return { where, error: 'PGHOST names a socket directory; dev needs a TCP address here' };
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url: url.toString(), where };
  } catch (error) {
    return { where, error: error instanceof Error ? error.message || error.constructor.name : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
