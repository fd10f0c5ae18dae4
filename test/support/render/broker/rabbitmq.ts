import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SystemModel } from '../../../../src/model/types.js';
import { rabbitNames } from '../../../../src/render/broker/naming.js';
import type { RabbitDefinitions } from '../../../../src/render/broker/view.js';
import { subscriptions } from '../../../../src/render/broker/view.js';
import { program } from '../../programs.js';

const exec = promisify(execFile);

/**
 * Structural problems of a definitions file against the model it was made
 * from: dangling binding ends, dead-letter exchanges that do not exist or do
 * not route anywhere, subscriptions without exactly one queue and one DLQ,
 * queues nobody subscribes to, users or passwords. Empty when sound.
 */
export function definitionProblems(defs: RabbitDefinitions & Record<string, unknown>, model: SystemModel): string[] {
  const problems: string[] = [];
  for (const key of ['users', 'permissions']) if (key in defs) problems.push(`has ${key}`);
  const exchanges = new Set(defs.exchanges.map((e) => e.name));
  const queues = new Set(defs.queues.map((q) => q.name));
  for (const b of defs.bindings) {
    if (!exchanges.has(b.source)) problems.push(`binding from missing exchange ${b.source}`);
    if (b.destination_type !== 'queue' || !queues.has(b.destination)) problems.push(`binding to missing queue ${b.destination}`);
  }
  for (const q of defs.queues) {
    const dlx = q.arguments['x-dead-letter-exchange'];
    if (dlx === undefined) continue;
    if (typeof dlx !== 'string' || !exchanges.has(dlx)) problems.push(`queue ${q.name}: dead-letter exchange ${String(dlx)} does not exist`);
    const key = q.arguments['x-dead-letter-routing-key'];
    if (!defs.bindings.some((b) => b.source === dlx && b.routing_key === key)) problems.push(`queue ${q.name}: dead letters (key ${String(key)}) reach no queue`);
  }
  const expected = subscriptions(model).map(({ service, event }) => rabbitNames(model.name, service, event));
  for (const n of expected) {
    const count = (name: string): number => defs.queues.filter((q) => q.name === name).length;
    if (count(n.queue) !== 1) problems.push(`${count(n.queue)} queues named ${n.queue}`);
    if (count(n.deadLetterQueue) !== 1) problems.push(`${count(n.deadLetterQueue)} queues named ${n.deadLetterQueue}`);
    const bound = defs.bindings.filter((b) => b.source === n.exchange && b.destination === n.queue);
    if (bound.length !== 1 || bound[0]!.routing_key !== n.routingKey) problems.push(`${n.queue} is not bound to ${n.exchange} by ${n.routingKey} exactly once`);
  }
  const wanted = new Set(expected.flatMap((n) => [n.queue, n.deadLetterQueue]));
  for (const q of defs.queues) if (!wanted.has(q.name)) problems.push(`queue ${q.name} has no subscription`);
  return problems;
}

/** The topology part of a definitions file, comparable across export formats (no vhost fields, sorted). */
export interface Topology {
  readonly exchanges: readonly unknown[];
  readonly queues: readonly unknown[];
  readonly bindings: readonly unknown[];
}

type Entry = Record<string, unknown>;

export function topologyOf(defs: { readonly exchanges?: readonly object[]; readonly queues?: readonly object[]; readonly bindings?: readonly object[] }): Topology {
  const pick = (entries: readonly object[] | undefined, keys: readonly string[]): unknown[] =>
    (entries ?? [])
      .map((e) => Object.fromEntries(keys.map((k) => [k, (e as Entry)[k]])))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return {
    // rabbitmqctl leaves `internal` out when it is false.
    exchanges: pick(defs.exchanges, ['name', 'type', 'durable', 'auto_delete', 'internal', 'arguments']).map((e) => ({ ...(e as Entry), internal: (e as Entry)['internal'] ?? false })),
    queues: pick(defs.queues, ['name', 'durable', 'auto_delete', 'arguments']),
    bindings: pick(defs.bindings, ['source', 'destination', 'destination_type', 'routing_key', 'arguments']),
  };
}

/** Loads definitions files into fresh virtual hosts of the local broker, reads them back, deletes the hosts. */
export interface RabbitAdmin {
  /** How definitions get in: RabbitMQ's own importer, through the HTTP API or rabbitmqctl. */
  readonly via: 'management API' | 'rabbitmqctl';
  importInto(entries: readonly { vhost: string; defs: RabbitDefinitions }[]): Promise<void>;
  /** The topology of each vhost as the broker exports it. */
  exportFrom(vhosts: readonly string[]): Promise<Map<string, Topology>>;
  deleteVhosts(vhosts: readonly string[]): Promise<void>;
}

const management = 'http://127.0.0.1:15672/api';
const guest = { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`, 'content-type': 'application/json' };
const fullAccess = { configure: '.*', write: '.*', read: '.*' };

/** The management API when the plugin answers, else rabbitmqctl (which needs no plugin). */
export async function rabbitAdmin(): Promise<RabbitAdmin> {
  return (await managementAnswers()) ? managementAdmin : rabbitmqctlAdmin;
}

async function managementAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${management}/overview`, { headers: guest, signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function http(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${management}${path}`, { method, headers: guest, ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

const managementAdmin: RabbitAdmin = {
  via: 'management API',
  async importInto(entries) {
    for (const { vhost, defs } of entries) {
      const v = encodeURIComponent(vhost);
      await http('PUT', `/vhosts/${v}`, {});
      await http('PUT', `/permissions/${v}/guest`, fullAccess);
      const { vhosts: _, ...topology } = defs;
      await http('POST', `/definitions/${v}`, topology);
    }
  },
  async exportFrom(vhosts) {
    const result = new Map<string, Topology>();
    for (const vhost of vhosts) result.set(vhost, topologyOf((await http('GET', `/definitions/${encodeURIComponent(vhost)}`)) as Entry));
    return result;
  },
  async deleteVhosts(vhosts) {
    for (const vhost of vhosts) await http('DELETE', `/vhosts/${encodeURIComponent(vhost)}`);
  },
};

const rabbitmqctlAdmin: RabbitAdmin = {
  via: 'rabbitmqctl',
  async importInto(entries) {
    // One file for every vhost: each rabbitmqctl call starts an Erlang VM.
    const rehome = <T extends { vhost: string }>(items: readonly T[], vhost: string): T[] => items.map((item) => ({ ...item, vhost }));
    const combined = {
      vhosts: entries.map(({ vhost }) => ({ name: vhost })),
      permissions: entries.map(({ vhost }) => ({ user: 'guest', vhost, ...fullAccess })),
      exchanges: entries.flatMap(({ vhost, defs }) => rehome(defs.exchanges, vhost)),
      queues: entries.flatMap(({ vhost, defs }) => rehome(defs.queues, vhost)),
      bindings: entries.flatMap(({ vhost, defs }) => rehome(defs.bindings, vhost)),
    };
    // rabbitmqctl runs as the rabbitmq user on Debian, so that user must be able to read the file.
    const dir = mkdtempSync(join(tmpdir(), 'taskflow-gen-rabbit-'));
    try {
      chmodSync(dir, 0o755);
      const file = join(dir, 'definitions.json');
      writeFileSync(file, JSON.stringify(combined), { mode: 0o644 });
      await exec(program('rabbitmqctl'), ['--quiet', 'import_definitions', file], { timeout: 60_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  async exportFrom(vhosts) {
    const { stdout } = await exec(program('rabbitmqctl'), ['--quiet', 'export_definitions', '-'], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    const all = JSON.parse(stdout) as { exchanges: Entry[]; queues: Entry[]; bindings: Entry[] };
    const of = (entries: Entry[], vhost: string): Entry[] => entries.filter((e) => e['vhost'] === vhost);
    return new Map(vhosts.map((v) => [v, topologyOf({ exchanges: of(all.exchanges, v), queues: of(all.queues, v), bindings: of(all.bindings, v) })]));
  },
  async deleteVhosts(vhosts) {
    // A vhost whose import never started does not exist; that is fine here.
    const existing = new Set((await exec(program('rabbitmqctl'), ['--quiet', 'list_vhosts', 'name'], { timeout: 60_000 })).stdout.split('\n'));
    // One at a time: concurrent vhost deletions during another run's import once wedged the broker.
    for (const vhost of vhosts.filter((v) => existing.has(v))) await exec(program('rabbitmqctl'), ['--quiet', 'delete_vhost', vhost], { timeout: 60_000 });
  },
};
