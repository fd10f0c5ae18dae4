import type { BrokerKind, SystemModel } from '../model/types.js';
import { runtimeView } from '../render/runtime-view.js';
import { envName } from '../shared/naming.js';

/**
 * What `taskflow-gen dev` runs, decided from the model alone: one entry per
 * process (every service of a runtime dev can start, then the gateway), the
 * order to start them in and the environment each one gets once the ports,
 * databases and broker are known. Pure: the CLI supplies the machine's facts.
 */

export type ProcessKind = 'service' | 'gateway';

export interface DevProcess {
  readonly name: string;
  readonly kind: ProcessKind;
  readonly runtime: 'node' | 'python';
  /** Folder of the process, relative to the system's root. */
  readonly dir: string;
  /** The port system.yaml gives it (or the one assigned to it). */
  readonly declaredPort: number;
  /** Services it calls (gateway: the services it routes to); their URLs go into its environment. */
  readonly callees: readonly string[];
  /** Whether it keeps state in a database: one it owns, or the embedded outbox/inbox of a broker user. */
  readonly needsDatabase: boolean;
  readonly usesBroker: boolean;
  /** Start wave: 0 calls nobody; a process starts once every earlier wave is ready; the gateway comes last. */
  readonly wave: number;
}

export interface DevPlan {
  readonly system: string;
  readonly broker?: Exclude<BrokerKind, 'none'>;
  readonly processes: readonly DevProcess[];
  /** Services dev cannot start, with the reason (e.g. an nginx gateway). */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly gatewayAuth?: 'jwt' | 'none';
  /** A GET through the gateway that answers 200 on an empty system (a CRUD list), for the printed curl. */
  readonly tryPath?: string;
}

/** The processes of `model` in start order (by wave, then file order). */
export function devPlan(model: SystemModel): DevPlan {
  const view = runtimeView(model);
  const callees = new Map(view.services.map((s) => [s.name, s.callees]));
  const waves = new Map<string, number>();
  const waveOf = (name: string, path: ReadonlySet<string>): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    // A sync cycle (which lint flags) cannot be started callees-first: the loop is cut where it closes.
    const deeper = (callees.get(name) ?? []).filter((c) => !path.has(c)).map((c) => waveOf(c, new Set([...path, name])));
    const wave = deeper.length === 0 ? 0 : Math.max(...deeper) + 1;
    waves.set(name, wave);
    return wave;
  };
  const processes: DevProcess[] = view.services.map((s) => ({
    name: s.name,
    kind: 'service',
    runtime: s.runtime,
    dir: s.dir,
    declaredPort: s.port,
    callees: s.callees,
    needsDatabase: s.database !== undefined || s.embeddedStore || (s.runtime === 'python' && s.usesBroker),
    usesBroker: s.usesBroker,
    wave: waveOf(s.name, new Set()),
  }));
  const skipped: { name: string; reason: string }[] = [];
  const gateway = view.gateway;
  if (gateway?.kind === 'node') {
    const last = Math.max(0, ...processes.map((p) => p.wave)) + 1;
    processes.push({ name: 'gateway', kind: 'gateway', runtime: 'node', dir: gateway.dir, declaredPort: gateway.port, callees: gateway.upstreams, needsDatabase: false, usesBroker: false, wave: last });
  } else if (gateway) {
    skipped.push({ name: 'gateway', reason: 'an nginx gateway runs in its container (docker compose); dev serves the services directly' });
  }
  const order = new Map(processes.map((p, i) => [p.name, i]));
  processes.sort((a, b) => a.wave - b.wave || order.get(a.name)! - order.get(b.name)!);
  return {
    system: model.name,
    ...(view.broker && { broker: view.broker.kind }),
    processes,
    skipped,
    ...(model.gateway && { gatewayAuth: model.gateway.auth }),
    ...(tryPath(model) !== undefined && { tryPath: tryPath(model)! }),
  };
}

function tryPath(model: SystemModel): string | undefined {
  for (const route of model.gateway?.routes ?? []) {
    const service = model.services.find((s) => s.name === route.service);
    const list = service?.crud.find((e) => e.method === 'GET' && !e.path.includes('{'));
    if (!list) continue;
    if (route.stripPrefix) return `${route.path.replace(/\/$/, '')}${list.path}`;
    if (list.path.startsWith(route.path)) return list.path;
  }
  return undefined;
}

/** The facts of this run that the environment of each process is made from. */
export interface DevWiring {
  /** The port each process listens on (its declared one unless that was taken). */
  readonly ports: ReadonlyMap<string, number>;
  /** DATABASE_URL of each process that needs a database. */
  readonly databaseUrls: ReadonlyMap<string, string>;
  /**
   * The processes whose database is PGlite served on the wire: one backend shared by all their
   * connections, where one connection's server-side prepared statements clash with another's.
   */
  readonly sharedBackends?: ReadonlySet<string>;
  readonly brokerUrl?: string;
  readonly jwtSecret: string;
  readonly logLevel: string;
}

/** The local URL of a process. */
export function localUrl(wiring: DevWiring, name: string): string {
  return `http://127.0.0.1:${wiring.ports.get(name)!}`;
}

/** Environment of one process under the runtime conventions (PORT, DATABASE_URL and DATABASE_PREPARED_STATEMENTS, BROKER_URL, <CALLEE>_URL, LOG_LEVEL, JWT_SECRET). */
export function processEnv(plan: DevPlan, process: DevProcess, wiring: DevWiring): Record<string, string> {
  const env: Record<string, string> = { PORT: String(wiring.ports.get(process.name)!), LOG_LEVEL: wiring.logLevel };
  const database = wiring.databaseUrls.get(process.name);
  if (database !== undefined) env['DATABASE_URL'] = database;
  if (wiring.sharedBackends?.has(process.name)) env['DATABASE_PREPARED_STATEMENTS'] = 'false';
  if (process.usesBroker && wiring.brokerUrl !== undefined) env['BROKER_URL'] = wiring.brokerUrl;
  for (const callee of process.callees) if (wiring.ports.has(callee)) env[`${envName(callee)}_URL`] = localUrl(wiring, callee);
  if (process.kind === 'gateway' && plan.gatewayAuth === 'jwt') env['JWT_SECRET'] = wiring.jwtSecret;
  return env;
}
