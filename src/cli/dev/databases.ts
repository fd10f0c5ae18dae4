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
