import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { servePglite } from './pglite-wire.js';

const root = mkdtempSync(join(tmpdir(), 'tf-pglite-wire-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One message of the frontend protocol: its type, then its length (itself included) and body. */
function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const cstring = (text: string): Buffer => Buffer.from(`${text}\0`);
const int16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** A raw protocol connection: what the server sends back is collected as text, messages whole. */
async function client(port: number): Promise<{ socket: Socket; received: () => string; ready: (count: number) => Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  let data = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (data = Buffer.concat([data, chunk])));
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = Buffer.concat([int32(196608), cstring('user'), cstring('postgres'), cstring('database'), cstring('postgres'), Buffer.from([0])]);
  socket.write(Buffer.concat([int32(body.length + 4), body]));
  /** Waits for the count-th ReadyForQuery ('Z', length 5). */
  const ready = async (count: number): Promise<void> => {
    await expect.poll(() => data.toString('latin1').split('Z\0\0\0\u0005').length - 1, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  };
  await ready(1);
  return { socket, received: () => data.toString('latin1'), ready };
}

describe('PGlite on the PostgreSQL wire protocol', () => {
  it("serves one client's extended-protocol exchange (Parse ... Sync) whole: another client's query waits for its Sync instead of dropping the statement it binds", async () => {
    const server = await servePglite(join(root, 'exchange'));
    try {
      const [a, b] = [await client(server.port), await client(server.port)];
      // A parses its unnamed statement and has not bound it yet when B's query arrives.
      a.socket.write(message('P', cstring(''), cstring("SELECT 'from-a' AS v"), int16(0)));
      await new Promise((resolve) => setTimeout(resolve, 300));
      b.socket.write(message('Q', cstring("SELECT 'from-b' AS v")));
      await new Promise((resolve) => setTimeout(resolve, 300));
      a.socket.write(Buffer.concat([message('B', cstring(''), cstring(''), int16(0), int16(0), int16(0)), message('E', cstring(''), int32(0)), message('S')]));
      await Promise.all([a.ready(2), b.ready(2)]);
      expect(a.received()).toContain('from-a');
      expect(a.received()).not.toContain('unnamed prepared statement does not exist');
      expect(b.received()).toContain('from-b');
      for (const c of [a, b]) c.socket.destroy();
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('keeps its rows in the data directory between servers, and takes several clients and transactions at once', async () => {
    const dir = join(root, 'kept');
    let server = await servePglite(dir);
    try {
      const url = `postgresql://postgres@127.0.0.1:${server.port}/postgres`;
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      await pool.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
      await pool.query('INSERT INTO counter VALUES (1, 0)');
      // Read-modify-write in transactions from four connections: one at a time, none lost.
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const c = await pool.connect();
          try {
            await c.query('BEGIN');
            const { rows } = await c.query<{ n: number }>('SELECT n FROM counter WHERE id = $1', [1]);
            await new Promise((resolve) => setTimeout(resolve, 5));
            await c.query('UPDATE counter SET n = $1 WHERE id = $2', [rows[0]!.n + 1, 1]);
            await c.query('COMMIT');
          } finally {
            c.release();
          }
        }),
      );
      await pool.end();
      await server.stop();
      server = await servePglite(dir);
      const again = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${server.port}/postgres` });
      await again.connect();
      expect((await again.query('SELECT n FROM counter')).rows).toEqual([{ n: 20 }]);
      await again.end();
    } finally {
      await server.stop();
    }
  }, 60_000);
});
