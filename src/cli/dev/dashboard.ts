import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DashboardModel } from '../../dev/dashboard-view.js';
import type { Unit } from './supervisor.js';
import type { FlowEvent } from './tap.js';

/**
 * The page dev serves on 127.0.0.1: the service graph coloured by each
 * process's live state, each service's URL, endpoints and OpenAPI, and the
 * events flowing through the broker. The page gets the state once
 * (`/api/state`) and then every change as server-sent events (`/api/stream`).
 */

export interface ProcessInfo {
  readonly name: string;
  readonly url: string;
  readonly openapi?: string;
}

export interface Dashboard {
  readonly url: string;
  state(units: readonly Unit[]): void;
  event(event: FlowEvent): void;
  close(): Promise<void>;
}

const page = fileURLToPath(new URL('../../../templates/dev/dashboard.html', import.meta.url));
const keptEvents = 200;

export async function startDashboard(view: DashboardModel, processes: readonly ProcessInfo[], port: number, extra: Record<string, unknown>): Promise<Dashboard> {
  const mermaidJs = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  let units: readonly Unit[] = [];
  const events: FlowEvent[] = [];
  const clients = new Set<ServerResponse>();
  const send = (kind: string, data: unknown): void => {
    const frame = `event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) client.write(frame);
  };
  const snapshot = (): object => ({ ...view, ...extra, processes, units: units.map(unitJson), events });

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET') return void response.writeHead(405).end();
    if (path === '/') return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(readFileSync(page));
    if (path === '/mermaid.min.js') return void response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' }).end(readFileSync(mermaidJs));
    if (path === '/api/state') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot()));
    if (path === '/api/stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    state(next) {
      units = next;
      send('state', units.map(unitJson));
    },
    event(event) {
      events.unshift(event);
      events.length = Math.min(events.length, keptEvents);
      send('event', event);
    },
    async close() {
      for (const client of clients) client.end();
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
    },
  };
}

function unitJson(unit: Unit): object {
  return { name: unit.name, state: unit.state, port: unit.port, restarts: unit.restarts, ...(unit.pid !== undefined && { pid: unit.pid }), ...(unit.note !== undefined && { note: unit.note }) };
}
