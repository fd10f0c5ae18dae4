/**
 * One service's PGlite database on the PostgreSQL wire protocol, run by dev as
 * a child of its own (a crash of the wasm engine stops this process, not dev):
 * `node pglite-server.js <data dir> [port]` (without a port, one the system
 * picks). Prints `{"listening":<port>}` once it accepts connections; SIGTERM
 * or SIGINT closes the database and exits.
 */
import { servePglite } from './pglite-wire.js';

const [dataDir, port = '0'] = process.argv.slice(2);
if (!dataDir || !/^\d+$/.test(port)) {
  console.error('usage: pglite-server.js <data dir> [port]');
  process.exit(2);
}
const server = await servePglite(dataDir, Number(port));
console.log(JSON.stringify({ listening: server.port }));
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  });
}
