/**
 * One service's PGlite database on the PostgreSQL wire protocol, run by dev as
 * a child of its own (a crash of the wasm engine stops this process, not dev):
 * `node pglite-server.js <data dir>`. Prints `{"listening":<port>}` once it
 * accepts connections; SIGTERM or SIGINT closes the database and exits.
 */
import { servePglite } from './pglite-wire.js';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pglite-server.js <data dir>');
  process.exit(2);
}
const server = await servePglite(dataDir);
console.log(JSON.stringify({ listening: server.port }));
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  });
}
