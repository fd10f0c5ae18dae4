import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * A PGlite database served over the PostgreSQL wire protocol on 127.0.0.1,
 * for the services that reach their database through a PostgreSQL driver
 * (the Python ones, with psycopg). PGlite is one backend: every client
 * connection shares it, one message at a time.
 */
export interface WireServer {
  readonly port: number;
  stop(): Promise<void>;
}

export async function servePglite(dataDir: string, port = 0): Promise<WireServer> {
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db: oneExchangeAtATime(db), host: '127.0.0.1', port, maxConnections });
  await server.start();
  return {
    port: Number(server.getServerConn().split(':').pop()),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** More than a service's pool and its relay and consumers open at once. */
const maxConnections = 100;

const sync = 'S'.charCodeAt(0);
const query = 'Q'.charCodeAt(0);
const terminate = 'X'.charCodeAt(0);
const startup = 0;

/**
 * pglite-socket's multiplexer runs one message at a time and keeps a client
 * whose transaction block is open to itself (`isInTransaction`). An
 * extended-protocol exchange (Parse, Bind, Describe, Execute ... Sync) is no
 * transaction block, so another client's messages could run between its Parse
 * and its Bind, replacing or dropping the unnamed statement it binds
 * ("unnamed prepared statement does not exist", another client's result).
 * Seen by the multiplexer through this view, a client is also "in a
 * transaction" from its first message of an exchange until its Sync, and is
 * served alone until then.
 */
export function oneExchangeAtATime(db: PGlite): PGlite {
  let midExchange = false;
  return new Proxy(db, {
    get(target, key) {
      if (key === 'isInTransaction') return () => midExchange || target.isInTransaction();
      if (key === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          const type = message[0];
          midExchange = type !== sync && type !== query && type !== terminate && type !== startup;
          return target.execProtocolRawStream(message, options);
        };
      }
      // The multiplexer's ROLLBACK for a client that left mid-transaction ends its exchange too.
      if (key === 'exec') {
        return (sql: string) => {
          midExchange = false;
          return target.exec(sql);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
