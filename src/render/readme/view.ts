import type { LintResult } from '../../lint/lint.js';
import type { BrokerKind, Runtime, Severity, SystemModel } from '../../model/types.js';
import { operationalEndpoints } from '../../shared/naming.js';
import type { RuntimeView } from '../runtime-view.js';
import { checkArgs, shellArg } from '../workflows/view.js';
import { consumesWithContracts, contractRoles } from '../contracts.js';

/** Exactly what templates/readme/README.md.hbs prints; every string is already Markdown. */
export interface ReadmeView {
  readonly title: string;
  /** The system's description as a paragraph, or null. */
  readonly description: string | null;
  /** One sentence: what the system is made of. */
  readonly summary: string;
  readonly systemFile: string;
  /** The two commands that keep the repository honest, as code spans. */
  readonly checkCommand: string;
  readonly lintCommand: string;
  /** Where a client reaches the system once it runs. */
  readonly entryPoint: string;
  /**
   * Services of a runtime taskflow-gen generates no code for, as one paragraph
   * saying their folders are still to be written, or null: the README never
   * promises a folder that is not there.
   */
  readonly notGenerated: string | null;
  /** How to start one service folder without Docker, one line per generated runtime in use. */
  readonly standalone: readonly string[];
  /** The one command that runs every service's tests, as a sentence. */
  readonly tests: string;
  /** The endpoints every service serves besides its API. */
  readonly operational: string;
  readonly services: readonly ServiceRow[];
  /** Services that have a description, as `` `name`: description ``. */
  readonly descriptions: readonly string[];
  readonly hasDescriptions: boolean;
  readonly gateway: GatewayView | null;
  readonly broker: BrokerView | null;
  readonly mermaid: string;
  readonly contracts: ContractsReadme | null;
  readonly lint: LintView;
}

/** One row of the services table, each cell ready to print. */
export interface ServiceRow {
  readonly name: string;
  readonly runtime: string;
  readonly port: string;
  readonly database: string;
  readonly team: string;
  readonly calls: string;
  readonly publishes: string;
  readonly consumes: string;
}

export interface GatewayView {
  /** One sentence: what runs, where, with which auth and rate limit. */
  readonly summary: string;
  readonly routes: readonly { readonly path: string; readonly service: string }[];
  readonly hasRoutes: boolean;
}

export interface BrokerView {
  readonly summary: string;
  readonly events: readonly { readonly name: string; readonly publishers: string; readonly subscribers: string }[];
  readonly hasEvents: boolean;
}

/** The consumer-driven contracts: one pact file per consumer and provider (consumers of either runtime). */
export interface ContractsReadme {
  readonly pacts: readonly { readonly file: string; readonly consumer: string; readonly provider: string; readonly edges: string }[];
  /** A consumer and provider pair for the worked example of the loop. */
  readonly example: { readonly consumer: string; readonly provider: string };
  /** Whether Python services have contract tests too (pytest, pact-python). */
  readonly python: boolean;
}

export interface LintView {
  /** `2 errors, 5 warnings and 1 info` or `no findings`. */
  readonly counts: string;
  readonly findings: readonly { readonly severity: string; readonly rule: string; readonly where: string; readonly message: string }[];
  readonly hasFindings: boolean;
}

const none = '—';
const severityNames: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'info' };
const brokerNames: Record<Exclude<BrokerKind, 'none'>, string> = { rabbitmq: 'RabbitMQ', nats: 'NATS JetStream', kafka: 'Apache Kafka' };

/** The README of the generated system: what it is, how to run it, what it is made of, and what lint thinks of it. */
export function readmeView(model: SystemModel, runtime: RuntimeView, lint: LintResult, systemFile: string, mermaid: string, codeRuntimes: ReadonlySet<Runtime>): ReadmeView {
  const described = model.services.filter((s) => s.description !== undefined);
  const runtimes = new Set(model.services.map((s) => s.runtime).filter((r) => codeRuntimes.has(r)));
  const missing = model.services.filter((s) => !codeRuntimes.has(s.runtime));
  return {
    title: text(model.name),
    description: model.description === undefined ? null : text(model.description),
    summary: summary(model),
    systemFile: code(systemFile),
    checkCommand: code(`taskflow-gen ${checkArgs(systemFile)}`),
    lintCommand: code(`taskflow-gen lint ${shellArg(systemFile)}`),
    entryPoint: runtime.gateway
      ? `The gateway listens on port ${runtime.gateway.port}; its ${code('GET /health')} lists the readiness of every service it routes to.`
      : `There is no gateway: each service listens on its own port (see below).`,
    operational: list(operationalEndpoints),
    notGenerated: missing.length === 0 ? null : notGenerated(missing.map((s) => ({ name: s.name, runtime: s.runtime })), systemFile),
    standalone: [
      ...(runtimes.has('node') ? [`Node.js: ${code('npm install && npm start')}`] : []),
      ...(runtimes.has('python') ? [`Python: ${code('pip install -r requirements.txt && python -m app')} (in a virtual environment; DATABASE_URL is required, a Python service has no embedded database)`] : []),
    ],
    tests: runtimes.has('python')
      ? `Every service's tests, Node.js and Python, run with ${code('make test')} here; the Python services' tests make their own database on the PostgreSQL server DATABASE_URL names.`
      : `Every service's tests run with ${code('npm install && npm run build && npm test')} here.`,
    services: model.services.map((service): ServiceRow => {
      // The database it owns, as system.yaml says (not the one a Python service gets for its events).
      const database = service.database && runtime.services.find((s) => s.name === service.name)?.database;
      const sharedWith = database?.owners.filter((o) => o !== service.name) ?? [];
      return cells({
        name: code(service.name),
        runtime: service.runtime,
        port: String(service.port),
        database: database
          ? `${code(database.name)} (${database.engine}${sharedWith.length > 0 ? `, shared with ${list(sharedWith)}` : ''})`
          : none,
        team: service.team === undefined ? none : code(service.team),
        calls: list([...new Set(service.calls.map((c) => c.callee))]),
        publishes: list(service.publishes.map((e) => e.event)),
        consumes: list(service.subscribes.map((e) => e.event)),
      });
    }),
    descriptions: described.map((s) => `${code(s.name)}: ${text(s.description!)}`),
    hasDescriptions: described.length > 0,
    gateway: gatewayView(model),
    broker: brokerView(model, runtime),
    mermaid,
    contracts: contractsReadme(model),
    lint: lintView(lint, systemFile),
  };
}

function contractsReadme(model: SystemModel): ContractsReadme | null {
  const pairs = new Map<string, { consumer: string; provider: string; edges: string[] }>();
  const add = (consumer: string, provider: string, edge: string) => {
    const key = `${consumer}-${provider}`;
    const pair = pairs.get(key) ?? { consumer, provider, edges: [] };
    pair.edges.push(edge);
    pairs.set(key, pair);
  };
  for (const service of model.services.filter((s) => s.runtime === 'node' || s.runtime === 'python')) {
    for (const call of service.calls) for (const endpoint of call.endpoints) add(service.name, call.callee, code(endpoint.text));
    if (!consumesWithContracts(service, model)) continue;
    for (const { event } of service.subscribes) {
      for (const publisher of model.events.find((e) => e.name === event)?.publishers ?? []) add(service.name, publisher, `${code(event)} (event)`);
    }
  }
  const rows = [...pairs.entries()].map(([key, p]) => cells({ file: code(`contracts/pacts/${key}.json`), consumer: code(p.consumer), provider: code(p.provider), edges: p.edges.join(', ') }));
  const first = [...pairs.values()][0];
  const python = model.services.some((s) => s.runtime === 'python' && contractRoles(model, s).any);
  return first ? { pacts: rows, example: { consumer: first.consumer, provider: first.provider }, python } : null;
}

const runtimeNames: Record<Runtime, string> = { node: 'Node.js', python: 'Python' };

function notGenerated(services: readonly { name: string; runtime: Runtime }[], systemFile: string): string {
  const folders = services.map((s) => code(`services/${s.name}/`));
  const which = [...new Set(services.map((s) => runtimeNames[s.runtime]))].join(' or ');
  const one = services.length === 1;
  return (
    `taskflow-gen does not generate ${which} service code yet, so ${folders.join(', ')} ${one ? 'is' : 'are'} not generated: ` +
    `write ${one ? 'that service' : 'those services'} there yourself (${one ? 'with' : 'each with'} a ${code('Dockerfile')}) before starting the system, ` +
    `or change ${one ? 'its' : 'their'} ${code('runtime')} in ${code(systemFile)} to one that is generated.`
  );
}

/** `1 error`, `2 errors`. */
function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summary(model: SystemModel): string {
  const byRuntime = (['node', 'python'] as const)
    .map((r) => [r, model.services.filter((s) => s.runtime === r).length] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n} ${r === 'node' ? 'Node.js' : 'Python'}`);
  const parts = [`${count(model.services.length, 'service', 'services')} (${byRuntime.join(', ')})`];
  if (model.gateway) parts.push(`a gateway`);
  parts.push(model.broker === 'none' ? 'no message broker' : `a ${brokerNames[model.broker]} broker carrying ${count(model.events.length, 'event', 'events')}`);
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}.`;
}

function gatewayView(model: SystemModel): GatewayView | null {
  const gateway = model.gateway;
  if (!gateway) return null;
  const kind = gateway.kind === 'node' ? 'The generated Node.js (Fastify) gateway' : 'An nginx gateway';
  const auth = gateway.auth === 'jwt' ? `checks a JWT on every request (HS256, key in ${code('JWT_SECRET')}; tokens without ${code('exp')} are refused unless ${code('JWT_REQUIRE_EXP=false')})` : 'lets requests through without authentication';
  const limit = gateway.rateLimit ? ` and allows each client ${gateway.rateLimit.count} requests per ${gateway.rateLimit.per}` : '';
  return {
    summary: `${kind} listens on port ${gateway.port}, ${auth}${limit}.`,
    routes: gateway.routes.map((r) => cells({ path: code(r.path), service: code(r.service) })),
    hasRoutes: gateway.routes.length > 0,
  };
}

function brokerView(model: SystemModel, runtime: RuntimeView): BrokerView | null {
  const broker = runtime.broker;
  if (!broker) return null;
  return {
    summary:
      `${brokerNames[broker.kind]} (${code(broker.image)}) at ${code(broker.url)}. ` +
      `Every event travels as a JSON envelope ${code('{ id, type, source, time, data }')}; consumers drop repeated ids.`,
    events: model.events.map((e) => cells({ name: code(e.name), publishers: list(e.publishers), subscribers: list(e.subscribers) })),
    hasEvents: model.events.length > 0,
  };
}

function lintView(result: LintResult, systemFile: string): LintView {
  const counts = [count(result.errorCount, 'error', 'errors'), count(result.warningCount, 'warning', 'warnings'), `${result.infoCount} info`];
  return {
    counts: result.findings.length === 0 ? 'no findings' : `${counts.slice(0, -1).join(', ')} and ${counts.at(-1)!}`,
    findings: result.findings.map((f) => ({
      severity: severityNames[f.severity],
      rule: codeCell(f.ruleId),
      where: codeCell(`${systemFile}:${f.line}:${f.column}`),
      message: cell(text(f.message)),
    })),
    hasFindings: result.findings.length > 0,
  };
}

/** `order`, `payment` as code spans, or a dash for none. */
function list(names: readonly string[]): string {
  return names.length === 0 ? none : names.map(code).join(', ');
}

/** A code span that holds `text` literally: its fence is longer than any run of backticks inside. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Inline Markdown as a GFM table cell: `|` escaped, which tables require even inside code spans. */
export function cell(markdown: string): string {
  return markdown.replaceAll('|', '\\|');
}

/**
 * Raw text as a code span in a table cell. Markdown implementations disagree
 * on whether a backslash right before a `|` in a cell's code span escapes it,
 * so text holding that pair is printed as escaped plain text instead.
 */
export function codeCell(raw: string): string {
  return cell(raw.includes('\\|') ? text(raw) : code(raw));
}

/** Every value of a table row as a cell. */
function cells<Row extends Record<string, string>>(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, cell(value)])) as Row;
}

/**
 * Free text as inline Markdown on one line: every character Markdown or HTML
 * would act on is escaped (`|` by {@link cell}, in tables), and so is a start
 * that would open a list, a heading or a quote when the text begins a line.
 */
export function text(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>~&#!]/g, '\\$&')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}
