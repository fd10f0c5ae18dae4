import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Listr, type ListrTask } from 'listr2';
import { dashboardModel } from '../../dev/dashboard-view.js';
import { devPlan, localUrl, type DevWiring } from '../../dev/plan.js';
import { defaultRestartPolicy } from '../../dev/restart.js';
import { lint } from '../../lint/lint.js';
import { findBroker, NoBrokerError, type Broker } from '../dev/broker.js';
import { buildFolder, BuildError, foldersToBuild, install, installNeeded, preparePython, pythonNeeded, TypeChecks, venvPython } from '../dev/build.js';
import { startDashboard, type Dashboard } from '../dev/dashboard.js';
import { databaseServer, postgresDatabases, serverLaunch, serverNews, serverUrl, type DatabaseServer } from '../dev/databases.js';
import { anyFreePort, assignPorts } from '../dev/net.js';
import { Ledger, stopLeftovers } from '../dev/ledger.js';
import { acceptsConnections, Supervisor, StartError, type Unit } from '../dev/supervisor.js';
import { dashboardPort, databaseHomes, devSecret, launchOf, resetData, withoutUnstartable } from '../dev/setup.js';
import { signals } from '../dev/signals.js';
import { summary } from '../dev/summary.js';
import { tapEvents, type Tap } from '../dev/tap.js';
import { createView, type View } from '../dev/view.js';
import { watchFolders } from '../dev/watch.js';
import { ExitCode, type Io } from '../io.js';
import { displayPath, readSystem } from '../read-system.js';
import { colorsFor } from '../style.js';
import { generateCommand } from './generate.js';

export interface DevOptions {
  readonly reset: boolean;
  readonly databaseUrl?: string;
  readonly watch: boolean;
  readonly dashboardPort: number;
  readonly logLevel: string;
  /** Seconds a process may take to answer /ready. */
  readonly readyTimeout: number;
}

/** How long a process gets to stop after SIGTERM before it is killed. */
const graceMs = 5_000;

/**
 * `taskflow-gen dev`: the whole system on this machine, without Docker.
 * Reads top to bottom: generate (a no-op when current) -> broker ->
 * install and build (when changed) -> databases -> ports -> start callees first ->
 * dashboard and event tap -> what to do next; then runs until Ctrl-C or
 * SIGTERM, and stops everything in reverse order.
 */
export async function devCommand(file: string, options: DevOptions, io: Io): Promise<number> {
  const c = colorsFor({ isTTY: io.outIsTTY });
  const began = Date.now();
  const root = resolve(dirname(file));
  const devDir = join(root, '.taskflow', 'dev');
  const logsDir = join(devDir, 'logs');
  if (options.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    io.err(`taskflow-gen dev: --database-url must be a postgres:// URL, got '${options.databaseUrl}'  (e.g. --database-url postgres://postgres@127.0.0.1:5432/postgres)`);
    return ExitCode.badInput;
  }
  const model = readSystem(file, io);
  if (!model) return ExitCode.badInput;

  // What a dev run killed outright left running holds the ports and databases this run needs.
  const runFile = join(devDir, 'run.json');
  const leftovers = await stopLeftovers(runFile, graceMs);
  if (leftovers.kind === 'running') {
    io.err(`taskflow-gen dev: dev is already running for this system (pid ${leftovers.pid}); stop it (Ctrl-C in its terminal, or kill ${leftovers.pid}) before starting another`);
    return ExitCode.badInput;
  }
  if (leftovers.kind === 'stopped') io.out(c.yellow(`! stopped ${leftovers.groups.length} process group(s) an earlier dev run left running when it was killed (pids ${leftovers.groups.join(', ')})`));

  // Signals first: Ctrl-C at any point stops what has started; a second one forces.
  const stop = signals();
  const generated = await generateCommand(file, { check: false, dryRun: false, force: false }, io);
  if (generated !== ExitCode.ok) return stop.dispose(generated);

  const plan = withoutUnstartable(devPlan(model), root);
  for (const skip of plan.skipped) io.out(c.yellow(`! ${skip.name} is not started: ${skip.reason}`));
  const { onServer, embedded, served } = databaseHomes(plan, options);
  if (options.reset) resetData(devDir, plan);
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Date.now() - start;
    }
  };

  const ledger = new Ledger(runFile);
  // Broker before anything slow, so a missing one is said at once.
  let broker: Broker | undefined;
  if (plan.broker && plan.processes.some((p) => p.usesBroker)) {
    try {
      broker = await timed('broker', () => findBroker({ kind: plan.broker!, system: plan.system, env: process.env, devDir, ledger }));
    } catch (error) {
      if (!(error instanceof NoBrokerError)) throw error;
      io.err(`taskflow-gen dev: ${error.message}`);
      ledger.close();
      return stop.dispose(ExitCode.badInput);
    }
  }

  const jwtSecret = devSecret(devDir);
  const units = new Map<string, Unit>();
  /** The Python services' PGlite servers, supervised as the services are; each started early, its start awaited before its service starts. */
  const servers = new Map<string, { server: DatabaseServer; unit: Unit; started: Promise<void> }>();
  const everyUnit = (): Unit[] => [...units.values(), ...[...servers.values()].map((s) => s.unit)];
  let view: View | undefined;
  let dashboard: Dashboard | undefined;
  const supervisor = new Supervisor({
    logsDir,
    policy: defaultRestartPolicy,
    readyTimeoutMs: options.readyTimeout * 1000,
    onState: (unit) => {
      view?.state(unit);
      dashboard?.state(everyUnit());
      const server = [...servers.values()].find((s) => s.unit === unit)?.server;
      const news = server && serverNews(server, unit);
      if (news) view?.say(news.level === 'ok' ? c.green(news.text) : news.level === 'warn' ? c.yellow(news.text) : c.red.bold(news.text));
    },
    onLine: (unit, line) => view?.line(unit, line),
    ledger,
  });
  let tap: Tap | undefined;
  let stopWatching = (): void => undefined;
  const typeChecks = new TypeChecks(root, ledger);
  const shutdown = async (code: number): Promise<number> => {
    stopWatching();
    await typeChecks.stop();
    view?.say(c.dim('stopping: gateway first, then each service, callers before callees'));
    const order = [...plan.processes].reverse().map((p) => p.name);
    await supervisor.stopAll(order, graceMs, stop.forced);
    await tap?.close();
    await dashboard?.close();
    if (servers.size > 0) view?.say(c.dim('stopping the PGlite servers of the Python services'));
    await supervisor.stopAll([...servers.values()].map((s) => s.unit.name), graceMs, stop.forced);
    if (broker?.stop) {
      view?.say(c.dim('stopping the broker dev started'));
      await broker.stop(stop.forced);
    }
    view?.close();
    ledger.close();
    io.out(`${c.green('✔')} stopped; logs in ${displayPath(logsDir)}`);
    return stop.dispose(code);
  };

  const startup = async (): Promise<void> => {
    const databases = new Map<string, string>();
    const dataDir = (name: string): string => {
      const dir = join(devDir, name, 'pglite');
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    // Started now and awaited just before its service starts: opening PGlite (seconds when it makes a new database) overlaps install, build and the earlier waves.
    for (const p of served) {
      const server = databaseServer(p.name, await anyFreePort(), dataDir(p.name));
      const unit = supervisor.add(server.name, server.port, () => serverLaunch(server), acceptsConnections);
      const started = timed(`pglite:${p.name}`, () => supervisor.start(server.name));
      started.catch(() => undefined); // said when awaited, just before its service starts
      servers.set(p.name, { server, unit, started });
      databases.set(p.name, serverUrl(server));
    }
    const built: string[] = [];
    const tasks: ListrTask[] = [
      {
        title: 'Install dependencies (npm install at the root of the workspace)',
        skip: () => (installNeeded(root, devDir) ? false : 'Dependencies installed'),
        task: (_, task) => timed('install', () => install(root, devDir, (line) => io.outIsTTY && (task.output = line))),
      },
      {
        title: 'Build',
        task: (_, task) => {
          const folders = foldersToBuild(root, devDir, plan.processes.filter((p) => p.runtime === 'node').map((p) => p.dir));
          if (folders.length === 0) return task.skip('Build: nothing changed since the last build');
          built.push(...folders);
          const startedAt = Date.now();
          return task.newListr(
            folders.map((folder) => ({ title: `${folder} (TypeScript, type-checked once everything runs)`, task: () => buildFolder(root, devDir, folder) })),
            { concurrent: 2, exitOnError: true },
          ).run().finally(() => (timings['build'] = Date.now() - startedAt));
        },
      },
      ...plan.processes
        .filter((p) => p.runtime === 'python')
        .map(
          (p): ListrTask => ({
            title: `Python environment of ${p.name} (virtual environment and pip install -r ${p.dir}/requirements.txt)`,
            skip: () => (pythonNeeded(root, devDir, p.name, p.dir) ? false : 'requirements unchanged since they were installed'),
            task: (_, task) => timed(`python:${p.name}`, () => preparePython(root, devDir, p.name, p.dir, (line) => io.outIsTTY && (task.output = line))),
          }),
        ),
      {
        title: options.databaseUrl ? 'Databases on the PostgreSQL server' : served.length > 0 ? `Embedded databases (PGlite; served on the PostgreSQL protocol to ${served.map((p) => p.name).join(', ')})` : 'Embedded databases (PGlite)',
        task: () =>
          timed('databases', async () => {
            if (options.databaseUrl !== undefined && onServer.length > 0) {
              const server = options.databaseUrl;
              const made = await postgresDatabases(server, plan.system, onServer.map((p) => p.name)).catch((error: unknown) => {
                throw new BuildError(`cannot create the services' databases on ${server.replace(/\/\/[^@/]*@/, '//')}: ${error instanceof Error ? error.message : String(error)}`);
              });
              for (const [name, url] of made) databases.set(name, url);
            }
            for (const p of embedded) databases.set(p.name, `pglite://${dataDir(p.name)}`);
          }),
      },
    ];
    await new Listr(tasks, { concurrent: false, exitOnError: true, renderer: io.outIsTTY ? 'default' : 'simple', rendererOptions: { collapseSubtasks: false } }).run();

    // Ports last, just before the processes start: an install can take minutes, and a port free before it may not be after.
    const { ports, moved } = await assignPorts(plan.processes.map((p) => ({ name: p.name, port: p.declaredPort })), [...servers.values()].map((s) => s.server.port));
    const wiring: DevWiring = { ports, databaseUrls: databases, sharedBackends: new Set(served.map((p) => p.name)), ...(broker && { brokerUrl: broker.url }), jwtSecret, logLevel: options.logLevel };
    for (const p of plan.processes) units.set(p.name, supervisor.add(p.name, ports.get(p.name)!, () => launchOf(root, plan, p, wiring, venvPython(devDir, p.name))));
    for (const m of moved) io.out(c.yellow(`! port ${m.from} of ${m.name} is taken: ${m.name} listens on ${m.to} instead (every URL dev gives out for it says ${m.to})`));
    const waves = [...new Set(plan.processes.map((p) => p.wave))];
    const startedAt = Date.now();
    await new Listr(
      waves.map((wave) => {
        const members = plan.processes.filter((p) => p.wave === wave);
        return {
          title: `Start ${members.map((p) => p.name).join(', ')}`,
          task: (_, task) =>
            task.newListr(
              members.map((p) => ({
                title: `${p.name} on :${ports.get(p.name)!}`,
                task: async (__, sub) => {
                  await servers.get(p.name)?.started;
                  const at = Date.now();
                  timings[`spawn:${p.name}`] = at - began;
                  await supervisor.start(p.name);
                  timings[`ready:${p.name}`] = Date.now() - began;
                  timings[`pid:${p.name}`] = units.get(p.name)?.pid ?? 0;
                  sub.title = `${p.name} ready on :${ports.get(p.name)!} (${((Date.now() - at) / 1000).toFixed(1)} s)`;
                },
              })),
              { concurrent: true, exitOnError: true },
            ),
        };
      }),
      { concurrent: false, exitOnError: true, renderer: io.outIsTTY ? 'default' : 'simple', rendererOptions: { collapseSubtasks: false } },
    ).run();
    timings['start'] = Date.now() - startedAt;

    const processes = [
      ...plan.processes.map((p) => ({ name: p.name, url: localUrl(wiring, p.name), ...(p.kind === 'service' && { openapi: `${localUrl(wiring, p.name)}/openapi.json` }) })),
      ...[...servers.values()].map(({ server }) => ({ name: server.name, url: serverUrl(server) })),
    ];
    dashboard = await startDashboard(dashboardModel(model, lint(model).findings), processes, await dashboardPort(options.dashboardPort), { broker: broker?.how ?? 'none' });
    dashboard.state(everyUnit());
    if (broker && plan.broker) {
      const feed = dashboard;
      tap = await tapEvents(plan.broker, broker.url, plan.system, (event) => feed.event(event)).catch((error: unknown) => {
        io.out(c.yellow(`! the dashboard's event feed is off: ${error instanceof Error ? error.message : String(error)}`));
        return undefined;
      });
    }
    timings['total'] = Date.now() - began;
    // Where the time went, for `npm run bench:dev` (milliseconds; spawn:/ready: from the start of dev).
    writeFileSync(join(devDir, 'timings.json'), JSON.stringify({ began, ...timings }, null, 2) + '\n');
    summary(io, c, { plan, wiring, broker, dashboard, root, devDir, seconds: (Date.now() - began) / 1000, usesPglite: embedded.length + served.length > 0 });
    view = createView(io, c, everyUnit().map((u) => u.name), (raw) => process.stdout.write(raw));
    view.live(everyUnit());
    const checking = view;
    void (async () => {
      for (const folder of built) {
        const errors = await typeChecks.run(folder);
        if (typeChecks.stopped) return;
        if (errors !== undefined) checking.say(c.red(`✖ type errors in ${folder} (it runs as built; fix them before you ship):\n${errors}`));
      }
      if (built.length > 0) checking.say(c.dim(`type check of ${built.length} rebuilt folder${built.length === 1 ? '' : 's'} done`));
    })();
    if (options.watch) {
      const live = view;
      stopWatching = watchFolders(root, plan.processes, async (p) => {
        live.say(`${p.name}: files changed, ${p.runtime === 'node' ? 'rebuilding' : 'restarting'}`);
        try {
          if (p.runtime === 'node') await buildFolder(root, devDir, p.dir);
          await supervisor.restart(p.name);
          const errors = p.runtime === 'node' ? await typeChecks.run(p.dir) : undefined;
          if (errors !== undefined) live.say(c.red(`✖ type errors in ${p.dir}:\n${errors}`));
        } catch (error) {
          live.say(c.red(`${p.name}: ${error instanceof Error ? error.message : String(error)} (the running one is kept until the next change)`));
        }
      });
    }
  };

  try {
    const outcome = await Promise.race([startup().then(() => 'up' as const), stop.requested.then(() => 'stop' as const)]);
    if (outcome === 'stop') return await shutdown(ExitCode.ok);
  } catch (error) {
    if (!(error instanceof StartError || error instanceof BuildError)) {
      await shutdown(ExitCode.internal);
      throw error;
    }
    io.err(c.red(`✖ ${error.message}`));
    const unit = error instanceof StartError ? everyUnit().find((u) => error.message.startsWith(`${u.name} `)) : undefined;
    if (unit && existsSync(unit.logFile)) io.err(tail(readFileSync(unit.logFile, 'utf8')));
    return shutdown(ExitCode.findings);
  }
  await stop.requested;
  return shutdown(ExitCode.ok);
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
