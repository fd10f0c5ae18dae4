import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  auths,
  brokers,
  checkAuth,
  checkDatabase,
  checkPublishes,
  checkServiceName,
  checkSubscribes,
  checkSystemName,
  defaultAnswers,
  defaultServices,
  defaultSystemName,
  defaultTeams,
  format,
  gateways,
  parseCalls,
  parseEntities,
  parseEventNames,
  parseTeams,
  runtimes,
  type Auth,
  type Broker,
  type GatewayKind,
  type InitAnswers,
  type ServiceAnswer,
} from '../../init/answers.js';
import { summary, systemYaml, withSchemaLine } from '../../init/system-yaml.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { loadSystem } from '../../load.js';
import { editorSchemaPath } from '../../render/editor-schema/index.js';
import { ExitCode, type Io } from '../io.js';
import { displayPath } from '../read-system.js';
import { colorsFor } from '../style.js';
import { generateCommand } from './generate.js';
import { lintCommand } from './lint.js';

export interface InitOptions {
  readonly yes?: boolean;
  readonly example?: string;
  readonly listExamples?: boolean;
  readonly force?: boolean;
  readonly name?: string;
  readonly description?: string;
  readonly broker?: Broker;
  readonly gateway?: GatewayKind;
  readonly auth?: Auth;
}

/** Exit code of a run cancelled with Ctrl-C (128 + SIGINT). */
export const interruptedExitCode = 130;

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
const answerFlags = '--yes (accept every default), --example NAME (start from an example; see --list-examples), --name NAME, --description TEXT, --broker rabbitmq|nats|kafka|none, --gateway node|nginx|none, --auth jwt|none';

/**
 * `taskflow-gen init [DIR]`: asks (or takes from flags / --yes / --example)
 * what the system is, writes DIR/system.yaml, renders the system and lints it.
 */
export async function initCommand(dirArg: string | undefined, options: InitOptions, io: Io, stdinIsTTY: boolean = Boolean(process.stdin.isTTY)): Promise<number> {
  const c = colorsFor({ isTTY: io.outIsTTY });
  if (options.listExamples) {
    for (const example of listExamples()) io.out(`${example.name.padEnd(14)} ${example.description}`);
    return ExitCode.ok;
  }
  const dir = resolve(dirArg ?? '.');
  const file = join(dir, 'system.yaml');
  const shown = displayPath(file);
  const refuse = (message: string): number => {
    io.err(`taskflow-gen init: ${message}`);
    return ExitCode.badInput;
  };
  if (existsSync(dir) && !statSync(dir).isDirectory()) return refuse(`${displayPath(dir)} is a file, not a folder; pass the folder to create the system in`);
  if (existsSync(file) && !options.force) return refuse(`${shown} already exists; nothing written. Edit it and run taskflow-gen generate, or pass --force to replace it`);
  if (options.name !== undefined && checkSystemName(options.name) !== true) return refuse(`--name: ${checkSystemName(options.name) as string}`);
  if (options.gateway !== undefined && options.auth !== undefined && checkAuth(options.gateway, options.auth) !== true) return refuse(checkAuth(options.gateway, options.auth) as string);
  if (options.gateway === 'none' && options.auth === 'jwt') return refuse('--auth jwt needs a gateway: use --gateway node');

  let text: string;
  // Relative to system.yaml, at the copy generate keeps beside it: the line survives moving the folder and updating the tool.
  const schemaRef = `./${editorSchemaPath}`;
  if (options.example !== undefined) {
    const given = (['name', 'description', 'broker', 'gateway', 'auth'] as const).filter((k) => options[k] !== undefined);
    if (given.length > 0) return refuse(`--example copies the example as is; leave out ${given.map((k) => `--${k}`).join(', ')} (edit system.yaml afterwards)`);
    const names = listExamples().map((e) => e.name);
    if (!names.includes(options.example)) return refuse(`unknown example '${options.example}'; choose one of ${names.join(', ')}`);
    text = withSchemaLine(readFileSync(join(examplesDir, options.example, 'system.yaml'), 'utf8'), schemaRef);
  } else {
    let answers: InitAnswers;
    if (options.yes) {
      answers = defaultAnswers({ name: options.name ?? defaultSystemName(basename(dir)), broker: options.broker, gateway: options.gateway, auth: options.auth, description: options.description });
      io.out(summary(answers, shown));
    } else {
      if (!stdinIsTTY) {
        return refuse(`no terminal to ask the questions on (standard input is not a TTY), and nothing says what to write.\nPass ${answerFlags}.\nExample: taskflow-gen init ${dirArg ?? '.'} --yes --name shop --broker nats`);
      }
      try {
        const asked = await ask(dir, options);
        io.out(summary(asked, shown));
        const { confirm } = await import('@inquirer/prompts');
        if (!(await confirm({ message: `Write ${shown} and render the system?`, default: true }))) {
          io.out('Nothing written.');
          return ExitCode.ok;
        }
        answers = asked;
      } catch (error) {
        if (error instanceof Error && error.name === 'ExitPromptError') {
          io.err('\nInterrupted: nothing written.');
          return interruptedExitCode;
        }
        throw error;
      }
    }
    text = systemYaml(answers, schemaRef);
  }

  const loaded = loadSystem(text, shown);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) io.err(formatDiagnostic(d));
    io.err(`taskflow-gen init: the system.yaml built from the answers is not valid; nothing written. This is a bug in taskflow-gen; please report it.`);
    return ExitCode.internal;
  }
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text, { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    return refuse(`cannot write ${shown}: ${(error as Error).message}`);
  }
  io.out(`${c.green('✔')} wrote ${shown}`);
  if (options.example !== undefined) copyHandlers(options.example, dir, io);

  const generated = await generateCommand(file, { check: false, dryRun: false, force: false }, io);
  if (generated !== ExitCode.ok) {
    io.err(`taskflow-gen init: ${shown} was written, but rendering the system failed; fix the problem above and run taskflow-gen generate ${shown}`);
    return generated;
  }
  io.out('');
  io.out(c.bold('Lint:'));
  lintCommand(file, { format: 'text', maxWarnings: -1 }, io);
  const fromCwd = relative(process.cwd(), dir);
  const rel = fromCwd === '' ? '.' : fromCwd.startsWith('..') ? dir : fromCwd;
  io.out('');
  io.out(c.bold('Next steps:'));
  if (rel !== '.') io.out(`  cd ${rel}`);
  const linked = linkTool(dir);
  io.out(`  ${(linked ? 'npx taskflow-gen dev' : 'taskflow-gen dev').padEnd(32)}# run it all here, without Docker: databases, broker, services, gateway, a token`);
  io.out('  docker compose up --build       # or build and start every service, database and broker in containers');
  if (loaded.model.services.some((s) => s.runtime === 'node')) {
    io.out('  npm install && npm run build    # or install and build every Node.js service and the gateway here (one npm workspace)');
  }
  io.out('  taskflow-gen generate --check   # test: exit 1 when a generated file is missing, stale or edited (use in CI)');
  io.out('  taskflow-gen lint               # check the architecture: cycles, shared databases, sync chains, ...');
  io.out('  Change system.yaml, then run taskflow-gen generate to re-render.');
  return ExitCode.ok;
}

/**
 * The new folder has a package.json of its own (the npm workspace), so `npx
 * taskflow-gen` run there looks in its node_modules only. When this CLI runs
 * from a checkout rather than an installed package, a link to it in
 * `node_modules/.bin` lets `cd DIR && npx taskflow-gen dev` find this very
 * tool (npm leaves links it does not own in place). Returns whether npx finds it.
 */
function linkTool(dir: string): boolean {
  const bin = join(dir, 'node_modules', '.bin', 'taskflow-gen');
  if (existsSync(bin)) return true;
  const self = realpathSync(fileURLToPath(new URL('../../../bin/taskflow-gen.js', import.meta.url)));
  if (self.split(sep).includes('node_modules') || !existsSync(join(dir, 'package.json'))) return false;
  try {
    mkdirSync(dirname(bin), { recursive: true });
    symlinkSync(self, bin);
    return true;
  } catch {
    return false;
  }
}

/**
 * An example's hand-written files (its services' business logic, next to its
 * system.yaml) go with it; a file already in `dir` is kept, never overwritten.
 */
function copyHandlers(example: string, dir: string, io: Io): void {
  const source = join(examplesDir, example, 'services');
  if (!existsSync(source)) return;
  cpSync(source, join(dir, 'services'), { recursive: true, force: false, errorOnExist: false });
  io.out(`${colorsFor({ isTTY: io.outIsTTY }).green('✔')} copied the example's hand-written handlers into services/`);
}

/** The examples shipped with the package: folder name and the one-line description from its system.yaml. */
export function listExamples(): { name: string; description: string }[] {
  return readdirSync(examplesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(examplesDir, e.name, 'system.yaml')))
    .map((e) => {
      const text = readFileSync(join(examplesDir, e.name, 'system.yaml'), 'utf8');
      const description = /^description:\s*(.+)$/m.exec(text)?.[1]?.trim().replace(/^["']|["']$/g, '') ?? '';
      return { name: e.name, description: e.name === 'anti-patterns' ? `${description} (every lint rule fires; not a starting point)` : description };
    })
    .sort((a, b) => (a.name === 'anti-patterns' ? 1 : b.name === 'anti-patterns' ? -1 : a.name.localeCompare(b.name)));
}

const reason = <T>(result: { ok: true } & T | { ok: false; reason: string }): true | string => (result.ok ? true : result.reason);

/** The interactive questions; flags given on the command line are not asked. */
async function ask(dir: string, options: InitOptions): Promise<InitAnswers> {
  const { confirm, input, select } = await import('@inquirer/prompts');
  const name = options.name ?? (await input({ message: 'System name (lower-case DNS label):', default: defaultSystemName(basename(dir)), validate: (v) => checkSystemName(v.trim()) })).trim();
  const description = options.description ?? (await input({ message: 'One-line description (optional):', default: '' })).trim();
  const broker: Broker =
    options.broker ??
    (await select<Broker>({
      message: 'Message broker for events:',
      default: 'rabbitmq',
      choices: brokers.map((b) => ({ value: b, name: b, description: { rabbitmq: 'RabbitMQ: queues per subscriber', nats: 'NATS JetStream: light, durable streams', kafka: 'Kafka: partitioned logs', none: 'no events, only HTTP calls' }[b] })),
    }));
  const gateway: GatewayKind =
    options.gateway ??
    (await select<GatewayKind>({
      message: 'Gateway (one public entry point):',
      default: 'node',
      choices: gateways.map((g) => ({ value: g, name: g, description: { node: 'generated Fastify gateway: JWT auth, rate limit', nginx: 'nginx reverse proxy (no JWT auth)', none: 'no gateway; each service is reached directly' }[g] })),
    }));
  let auth: Auth;
  if (gateway === 'node') {
    auth = options.auth ?? (await select<Auth>({ message: 'Authentication at the gateway:', default: 'jwt', choices: auths.map((a) => ({ value: a, name: a, description: a === 'jwt' ? 'verify a JWT bearer token on every request' : 'no authentication' })) }));
  } else {
    auth = 'none';
  }

  const suggested = defaultServices(broker);
  const services: ServiceAnswer[] = [];
  for (;;) {
    const i = services.length;
    const serviceName = (
      await input({
        message: `Service ${i + 1} name:`,
        ...(suggested[i] !== undefined && checkServiceName(suggested[i]!.name, services) === true && { default: suggested[i]!.name }),
        validate: (v) => checkServiceName(v.trim(), services),
      })
    ).trim();
    const d = suggested.find((s) => s.name === serviceName && i === suggested.indexOf(s));
    const runtime = await select({ message: `Runtime of ${serviceName}:`, default: d?.runtime ?? 'node', choices: runtimes.map((r) => ({ value: r, name: r, description: r === 'node' ? 'TypeScript + Fastify' : 'Python + FastAPI' })) });
    const dbDefault = d?.database ?? defaultDatabase(serviceName, services);
    const database = (await input({ message: `Database owned by ${serviceName} (a name, or none):`, default: dbDefault, validate: (v) => checkDatabase(v.trim(), serviceName, services) })).trim();
    let entities: ServiceAnswer['entities'] = [];
    if (database !== 'none') {
      const entitiesText = await input({
        message: `Entities of ${serviceName} (Name field:type ..., ';' between entities; or none):`,
        default: d ? format.entities(d.entities) : `${pascal(serviceName)} name:string`,
        validate: (v) => reason(parseEntities(v)),
      });
      const parsed = parseEntities(entitiesText);
      entities = parsed.ok ? parsed.entities : [];
    }
    let calls: ServiceAnswer['calls'] = [];
    if (services.some((s) => s.entities.length > 0)) {
      const callsText = await input({
        message: `Sync calls of ${serviceName} (callee:METHOD /path, ',' between; or none):`,
        default: d && d.calls.length ? format.calls(d.calls) : 'none',
        validate: (v) => reason(parseCalls(v, serviceName, services)),
      });
      const parsed = parseCalls(callsText, serviceName, services);
      calls = parsed.ok ? parsed.calls : [];
    }
    let publishes: string[] = [];
    let subscribes: string[] = [];
    if (broker !== 'none') {
      const pubText = await input({
        message: `Events ${serviceName} publishes (PascalCase, ',' between; or none):`,
        default: d && d.publishes.length ? format.events(d.publishes) : 'none',
        validate: (v) => {
          const parsed = parseEventNames(v);
          return parsed.ok ? checkPublishes(parsed.events, services) : parsed.reason;
        },
      });
      const pub = parseEventNames(pubText);
      publishes = pub.ok ? pub.events : [];
      if (services.some((s) => s.publishes.length > 0)) {
        const subText = await input({
          message: `Events ${serviceName} subscribes to (published so far: ${services.flatMap((s) => s.publishes).join(', ')}; or none):`,
          default: d && d.subscribes.length ? format.events(d.subscribes) : 'none',
          validate: (v) => {
            const parsed = parseEventNames(v);
            return parsed.ok ? checkSubscribes(parsed.events, publishes, services) : parsed.reason;
          },
        });
        const sub = parseEventNames(subText);
        subscribes = sub.ok ? sub.events : [];
      }
    }
    services.push({ name: serviceName, runtime, database: database === 'none' ? undefined : database, entities, calls, publishes, subscribes });
    if (!(await confirm({ message: 'Add another service?', default: services.length < 2 }))) break;
  }
  const names = services.map((s) => s.name);
  const teamsText = await input({
    message: "Teams (team: service service ..., ';' between teams; or none):",
    default: format.teams(defaultTeams(name, names)) || 'none',
    validate: (v) => reason(parseTeams(v, names)),
  });
  const teams = parseTeams(teamsText, names);
  return { name, description: description || undefined, broker, gateway, auth, services, teams: teams.ok ? teams.teams : {} };
}

function pascal(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')
    .replace(/^[^A-Z]+/, '') || 'Item';
}

function defaultDatabase(service: string, earlier: readonly ServiceAnswer[]): string {
  const base = service.replaceAll('-', '_').slice(0, 48);
  const plural = base.endsWith('s') ? base : `${base}s`;
  return checkDatabase(plural, service, earlier) === true ? plural : 'none';
}
