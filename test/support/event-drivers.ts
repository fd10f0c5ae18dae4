import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';

/**
 * What the event end-to-end tests share: driver processes steered over stdin
 * (one JSON reply line per command, `{"reply": ...}`; every other line is
 * their log), the Node.js driver programs compiled with a generated
 * service's events files, a TCP proxy that stages a broker outage without
 * touching the shared server, and metric helpers.
 */

/** Node.js driver: publishes `event` on command: enqueue (one transaction per event, then wake()), report readiness, stop. */
export const nodePublishDriver = (event: string): string => `import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { connectBroker } from '../src/events/broker.js';
import { newEnvelope } from '../src/events/envelope.js';
import { enqueue } from '../src/events/outbox.js';
import { OutboxRelay } from '../src/events/relay.js';
import { runWithContext } from '../src/observability/context.js';

type Command = { cmd: 'publish'; from: number; count: number; gapMs: number } | { cmd: 'poison' } | { cmd: 'ready' };
const reply = (value: object): void => void process.stdout.write(JSON.stringify({ reply: value }) + '\\n');

const db = await openDatabase(process.env['DATABASE_URL']);
await migrate(db);
const broker = await connectBroker(process.env['BROKER_URL'] ?? '');
const relay = new OutboxRelay(db, broker);
relay.start();
process.once('SIGTERM', () => {
  void (async () => {
    await relay.stop();
    await broker.close();
    await db.close();
    reply({ stopped: true });
    process.exit(0);
  })();
});
reply({ started: true });

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  if (command.cmd === 'publish') {
    for (let seq = command.from; seq < command.from + command.count; seq += 1) {
      await runWithContext({ correlationId: 'corr-' + seq }, () => db.transaction((tx) => enqueue(tx, newEnvelope('${event}', { seq }))));
      relay.wake();
      if (command.gapMs > 0) await sleep(command.gapMs);
    }
    reply({ published: command.count });
  } else if (command.cmd === 'poison') {
    await db.transaction((tx) => enqueue(tx, newEnvelope('${event}', { seq: -1, poison: true })));
    relay.wake();
    reply({ published: 1 });
  } else {
    reply({ ready: await broker.ready() });
  }
}
`;

/** Node.js driver: consumes `event` into table `applied` (no unique key, so a double application would show); throws on poison; reports metrics. */
export const nodeConsumeDriver = (event: string): string => `import { createInterface } from 'node:readline';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { connectBroker } from '../src/events/broker.js';
import { consume } from '../src/events/consumer.js';
import type { ${event} } from '../src/events/envelope.js';
import { currentContext } from '../src/observability/context.js';
import { registry } from '../src/observability/metrics.js';

const reply = (value: object): void => void process.stdout.write(JSON.stringify({ reply: value }) + '\\n');
const metrics = async () => {
  const all = await registry.getMetricsAsJSON();
  return all.filter((m) => m.name.startsWith('events_') || m.name === 'consumer_lag').map((m) => ({ name: m.name, values: m.values }));
};

const db = await openDatabase(process.env['DATABASE_URL']);
await migrate(db);
await db.exec('CREATE TABLE IF NOT EXISTS applied (event_id uuid NOT NULL, seq int NOT NULL, correlation text, delay_ms float8 NOT NULL)');
const broker = await connectBroker(process.env['BROKER_URL'] ?? '');
await consume(db, broker, '${event}', async (envelope, tx) => {
  const data = envelope.data as ${event};
  if (data.poison) throw new Error('poison');
  await tx.query(
    'INSERT INTO applied (event_id, seq, correlation, delay_ms) VALUES ($1, $2, $3, extract(epoch from clock_timestamp() - $4::timestamptz) * 1000)',
    [envelope.id, data.seq, currentContext()?.correlationId, envelope.time],
  );
});
process.once('SIGTERM', () => {
  void (async () => {
    await broker.close();
    reply({ metrics: await metrics() });
    await db.close();
    process.exit(0);
  })();
});
reply({ started: true });

for await (const _ of createInterface({ input: process.stdin })) reply({ metrics: await metrics() });
`;

/** What the Python drivers share: the reply protocol, commands read off stdin, a clean stop on SIGTERM. */
const pythonDriverCommon = `import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from app.db.database import Database, open_database
from app.db.migrate import migrate
from app.events.broker import connect_broker


def reply(value: object) -> None:
    sys.stdout.write(json.dumps({"reply": value}) + "\\n")
    sys.stdout.flush()


async def serve(on_command: Callable[[dict[str, Any]], Awaitable[None]], on_stop: Callable[[], Awaitable[None]]) -> None:
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    reply({"started": True})

    async def commands() -> None:
        while line := await asyncio.to_thread(sys.stdin.readline):
            await on_command(json.loads(line))

    reader = asyncio.create_task(commands())
    await stopping.wait()
    reader.cancel()
    await on_stop()
    os._exit(0)


resources = contextlib.AsyncExitStack()


async def open_pool() -> AsyncConnectionPool[AsyncConnection[Any]]:
    """The service's own pool, migrated by the service's own migrator; closed by the driver's stop."""
    database: Database = await resources.enter_async_context(open_database(os.environ["DATABASE_URL"]))
    await migrate(database)
    return database.pool
`;

/** Python driver: publishes `event` through the generated outbox and relay, as the Node.js publish driver does. */
export const pythonPublishDriver = (event: string): string => `${pythonDriverCommon}
from app.core.correlation import RequestContext, bind
from app.events.envelope import new_envelope
from app.events.outbox import enqueue
from app.events.relay import OutboxRelay


async def main() -> None:
    pool = await open_pool()
    broker = await connect_broker(os.environ["BROKER_URL"])
    relay = OutboxRelay(pool, broker)
    relay.start()

    async def enqueue_one(data: dict[str, Any], correlation: str | None) -> None:
        async with pool.connection() as conn, conn.transaction():
            if correlation is None:
                await enqueue(conn, new_envelope("${event}", data))  # type: ignore[arg-type]
            else:
                with bind(RequestContext(correlation_id=correlation)):
                    await enqueue(conn, new_envelope("${event}", data))  # type: ignore[arg-type]
        relay.wake()

    async def on_command(command: dict[str, Any]) -> None:
        if command["cmd"] == "publish":
            for seq in range(command["from"], command["from"] + command["count"]):
                await enqueue_one({"seq": seq}, f"corr-{seq}")
                if command["gapMs"] > 0:
                    await asyncio.sleep(command["gapMs"] / 1000)
            reply({"published": command["count"]})
        elif command["cmd"] == "poison":
            await enqueue_one({"seq": -1, "poison": True}, None)
            reply({"published": 1})
        else:
            reply({"ready": await broker.ready()})

    async def on_stop() -> None:
        await relay.stop()
        await broker.close()
        await pool.close()
        reply({"stopped": True})

    await serve(on_command, on_stop)


asyncio.run(main())
`;

/** Python driver: consumes `event` into table \`applied\` as the Node.js consume driver does; throws on poison; reports metrics. */
export const pythonConsumeDriver = (event: string): string => `${pythonDriverCommon}
from prometheus_client import REGISTRY

from app.core.correlation import current_context
from app.events.consumer import consume
from app.events.envelope import Envelope


def metrics() -> list[dict[str, Any]]:
    found = []
    for family in REGISTRY.collect():
        if family.name.startswith("events_") or family.name == "consumer_lag":
            name = family.name + ("_total" if family.type == "counter" else "")
            values = [{"value": s.value, "labels": s.labels} for s in family.samples if s.name == name]
            found.append({"name": name, "values": values})
    return found


async def main() -> None:
    pool = await open_pool()
    async with pool.connection() as conn:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS applied (event_id uuid NOT NULL, seq int NOT NULL, correlation text, delay_ms float8 NOT NULL)"
        )
    broker = await connect_broker(os.environ["BROKER_URL"])

    async def handle(envelope: Envelope[Any], tx: AsyncConnection[Any]) -> None:
        if envelope["data"].get("poison"):
            raise RuntimeError("poison")
        await tx.execute(
            "INSERT INTO applied (event_id, seq, correlation, delay_ms)"
            " VALUES (%s, %s, %s, extract(epoch from clock_timestamp() - %s::timestamptz) * 1000)",
            (envelope["id"], envelope["data"]["seq"], getattr(current_context(), "correlation_id", None), envelope["time"]),
        )

    await consume(pool, broker, "${event}", handle)

    async def on_command(command: dict[str, Any]) -> None:
        reply({"metrics": metrics()})

    async def on_stop() -> None:
        await broker.close()
        reply({"metrics": metrics()})
        await pool.close()

    await serve(on_command, on_stop)


asyncio.run(main())
`;

export interface Metric {
  readonly name: string;
  readonly values: readonly { readonly value: number; readonly labels: Readonly<Record<string, string | number>> }[];
}

export type Reply = { started?: true; published?: number; ready?: boolean; metrics?: Metric[]; stopped?: true };

/** A driver process: one reply per command, in order (stdout lines with `reply`); everything else is its log. */
export class Driver {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly unclaimed: Reply[] = [];
  private readonly waiting: ((reply: Reply | Error) => void)[] = [];

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.output.push(line);
      if (!line.startsWith('{"reply"')) return;
      const reply = (JSON.parse(line) as { reply: Reply }).reply;
      const waiter = this.waiting.shift();
      if (waiter) waiter(reply);
      else this.unclaimed.push(reply);
    });
    child.stderr!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        for (const waiter of this.waiting.splice(0)) waiter(new Error(`${child.spawnargs.join(' ')} exited (${code ?? child.signalCode}):\n${this.log()}`));
        resolve(code);
      }),
    );
  }

  /** Starts `command` (a driver speaking the reply protocol) and waits for its first reply; `started` collects it for clean-up. */
  static async start(command: readonly string[], cwd: string, env: Record<string, string>, started: Driver[]): Promise<Driver> {
    const [file, ...args] = command;
    const child = spawn(file!, args, { cwd, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const driver = new Driver(child);
    started.push(driver);
    await driver.next();
    return driver;
  }

  send(command: object): Promise<Reply> {
    const reply = this.next();
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    return reply;
  }

  async metrics(): Promise<Metric[]> {
    const { metrics } = await this.send({ cmd: 'metrics' });
    if (!metrics) throw new Error('expected metrics');
    return metrics;
  }

  /** Signals the process (this test started it) and waits for its exit; a SIGTERM gets a last reply (the consumer's metrics). */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<Metric[] | undefined> {
    const last = signal === 'SIGTERM' ? this.next() : undefined;
    this.child.kill(signal);
    const code = await this.exited;
    if (signal === 'SIGKILL') return undefined;
    expect(code, this.log()).toBe(0);
    return (await last!).metrics;
  }

  log(): string {
    return this.output.join('\n').slice(-6000);
  }

  private next(): Promise<Reply> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply within 30 s from ${this.child.spawnargs.join(' ')}:\n${this.log()}`)), 30_000);
      this.waiting.push((reply) => {
        clearTimeout(timer);
        if (reply instanceof Error) reject(reply);
        else resolve(reply);
      });
    });
  }
}

/** Forwards TCP to a local port; cut() drops every connection and refuses new ones until restore(), as a broker restart would. */
export class Proxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private readonly server: Server;

  constructor(target: number) {
    this.server = createServer((client) => {
      if (this.down) return client.destroy();
      const upstream = tcpConnect(target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)));
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, context: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`);
    await sleep(50);
  }
}

export const counter = (metrics: readonly Metric[] | undefined, name: string, labels: Record<string, string>): number =>
  (metrics ?? [])
    .filter((m) => m.name === name)
    .flatMap((m) => m.values)
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);

