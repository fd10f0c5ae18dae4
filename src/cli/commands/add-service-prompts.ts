import { readFileSync } from 'node:fs';
import { addService } from '../../edit/add-service.js';
import { checkDatabase, checkSubscribes, parseCalls, parseEntities, parseEventNames, runtimes, type Callee, type Check, type ServiceAnswer } from '../../init/answers.js';
import { loadSystem } from '../../load.js';
import type { SystemModel } from '../../model/types.js';
import type { Io } from '../io.js';
import { displayPath } from '../read-system.js';
import { addServiceCommand, type EditOptions } from './edit.js';
import { interruptedExitCode } from './init.js';

const reason = (result: { ok: true } | { ok: false; reason: string }): Check => (result.ok ? true : result.reason);

/**
 * `add-service NAME` on a terminal without any service flag: asks what the
 * service is, then runs exactly the flag path with the answers as its flags.
 * A file that cannot be read or loaded, or a name the edit refuses, is
 * reported by the flag path without asking anything.
 */
export async function addServiceInteractive(name: string, options: EditOptions, io: Io): Promise<number> {
  let model: SystemModel;
  try {
    const text = readFileSync(options.file, 'utf8');
    const display = displayPath(options.file);
    const loaded = loadSystem(text, display);
    if (!loaded.ok || !addService(text, display, { name }).ok) return addServiceCommand(name, { ...options, entities: [], calls: [], publishes: [], subscribes: [] }, io);
    model = loaded.model;
  } catch {
    return addServiceCommand(name, { ...options, entities: [], calls: [], publishes: [], subscribes: [] }, io);
  }
  let answers: Awaited<ReturnType<typeof ask>>;
  try {
    answers = await ask(name, model);
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      io.err('\nInterrupted: nothing written.');
      return interruptedExitCode;
    }
    throw error;
  }
  return addServiceCommand(name, { ...options, ...answers }, io);
}

/** The services of the model in the form the init validators check against. */
function existing(model: SystemModel): (ServiceAnswer & Required<Pick<Callee, 'api'>>)[] {
  return model.services.map((s) => ({
    name: s.name,
    runtime: s.runtime,
    database: s.database?.name,
    entities: s.entities.map((e) => ({ name: e.name, fields: e.fields.map((f) => ({ name: f.name, type: f.type })) })),
    api: s.api.map((e) => e.text),
    calls: s.calls.flatMap((c) => c.endpoints.map((e) => ({ callee: c.callee, endpoint: e.text }))),
    publishes: s.publishes.map((p) => p.event),
    subscribes: s.subscribes.map((p) => p.event),
  }));
}

async function ask(name: string, model: SystemModel) {
  const { input, select } = await import('@inquirer/prompts');
  const services = existing(model);
  const declared = model.events.map((e) => e.name);

  const runtime = await select({
    message: `Runtime of ${name}:`,
    default: 'node',
    choices: runtimes.map((r) => ({ value: r, name: r, description: r === 'node' ? 'TypeScript + Fastify' : 'Python + FastAPI' })),
  });

  const base = name.replaceAll('-', '_');
  const database = (
    await input({
      message: `Database owned by ${name} (a name, or none):`,
      default: checkDatabase(base, name, services) === true ? base : 'none',
      validate: (v) => checkDatabase(v.trim(), name, services),
    })
  ).trim();

  let entities: string[] = [];
  if (database !== 'none') {
    const text = await input({
      message: `Entities of ${name} (Name field:type ..., ';' between entities; empty or none for no entity):`,
      default: '',
      validate: (v) => reason(parseEntities(v)),
    });
    const parsed = parseEntities(text);
    if (parsed.ok) entities = parsed.entities.map((e) => [e.name, ...e.fields.map((f) => `${f.name}:${f.type}`)].join(' '));
  }

  let calls: string[] = [];
  if (services.some((s) => s.entities.length > 0 || s.api.length > 0)) {
    const text = await input({
      message: `Sync calls of ${name} (callee:METHOD /path, ',' between; or none):`,
      default: 'none',
      validate: (v) => reason(parseCalls(v, name, services)),
    });
    const parsed = parseCalls(text, name, services);
    if (parsed.ok) calls = parsed.calls.map((c) => `${c.callee}:${c.endpoint}`);
  }

  let publishes: string[] = [];
  let subscribes: string[] = [];
  if (model.broker !== 'none' && declared.length > 0) {
    const pubText = await input({
      message: `Events ${name} publishes (declared: ${declared.join(', ')}; ',' between; or none):`,
      default: 'none',
      validate: (v) => {
        const parsed = parseEventNames(v);
        return parsed.ok ? checkDeclared(parsed.events) : parsed.reason;
      },
    });
    const pub = parseEventNames(pubText);
    publishes = pub.ok ? pub.events : [];
    // An event may be subscribed to when some service publishes it, this one included.
    const publishers: ServiceAnswer[] = [...services, { name, runtime, entities: [], calls: [], publishes, subscribes: [] }];
    const subText = await input({
      message: `Events ${name} subscribes to (',' between; or none):`,
      default: 'none',
      validate: (v) => {
        const parsed = parseEventNames(v);
        return parsed.ok ? checkSubscribes(parsed.events, [], publishers) : parsed.reason;
      },
    });
    const sub = parseEventNames(subText);
    subscribes = sub.ok ? sub.events : [];
  }

  let team: string | undefined;
  if (model.teams.length > 0) {
    const chosen = await select<string>({
      message: `Team that owns ${name}:`,
      default: '',
      choices: [...model.teams.map((t) => ({ value: t.name, name: t.name, description: `owns ${t.services.join(', ')}` })), { value: '', name: 'none', description: 'no team' }],
    });
    if (chosen !== '') team = chosen;
  }

  return {
    runtime,
    ...(database !== 'none' ? { database } : {}),
    entities,
    calls,
    publishes,
    subscribes,
    ...(team !== undefined ? { team } : {}),
  };

  function checkDeclared(events: readonly string[]): Check {
    for (const event of events) {
      if (!declared.includes(event)) return `event '${event}' is not declared under events: (declared: ${declared.join(', ')}); declare it first with taskflow-gen add-event ${event} --fields ...`;
    }
    return true;
  }
}
