import { connect, createServer, type AddressInfo } from 'node:net';

/** Whether a process could listen on `port` on every interface (as the generated services do). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now, chosen by the system. */
export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on `host:port`, answering within `timeoutMs`. */
export function listening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A port for each name: its wanted one when free, not `reserved` (for a
 * server that may not listen yet) and not given to an earlier name, else any
 * free port. Returns the ports and the names that moved.
 */
export async function assignPorts(wanted: readonly { name: string; port: number }[], reserved: readonly number[] = []): Promise<{ ports: Map<string, number>; moved: { name: string; from: number; to: number }[] }> {
  const ports = new Map<string, number>();
  const moved: { name: string; from: number; to: number }[] = [];
  const taken = new Set(reserved);
  for (const { name, port } of wanted) {
    let chosen = port;
    if (taken.has(port) || !(await portFree(port))) {
      do chosen = await anyFreePort();
      while (taken.has(chosen));
      moved.push({ name, from: port, to: chosen });
    }
    taken.add(chosen);
    ports.set(name, chosen);
  }
  return { ports, moved };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
