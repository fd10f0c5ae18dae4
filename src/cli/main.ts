import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, processIo, type Io } from './io.js';
import { registerEditCommands } from './commands/edit.register.js';
import { registerInitCommands } from './commands/init.register.js';
import { toolVersion } from './version.js';

const defaultFile = 'system.yaml';

/**
 * Builds the command-line interface. Each command's module is imported only
 * when that command runs, so `--help` stays fast.
 */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('taskflow-gen')
    .description('Design, generate and keep honest a microservice system described in one system.yaml.')
    .version(toolVersion(), '-v, --version')
    .showHelpAfterError('(run taskflow-gen --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  program
    .command('validate')
    .description('check system.yaml against the schema and its references; exit 2 on problems')
    .argument('[file]', 'path of system.yaml', defaultFile)
    .action(async (file: string) => {
      const { validateCommand } = await import('./commands/validate.js');
      setExit(validateCommand(file, io));
    });

  program
    .command('lint')
    .description('flag distributed-monolith smells: sync cycles, shared databases, long sync chains, ...')
    .argument('[file]', 'path of system.yaml', defaultFile)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--max-warnings <count>', 'exit 1 when there are more warnings than this', parseCount, -1)
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--against <file|git-ref>', 'also report what breaks consumers since an older system.yaml: a file, or a git revision such as origin/main')
    .action(async (file: string, options: { format: 'text' | 'json' | 'sarif'; maxWarnings: number; output?: string; against?: string }) => {
      const { lintCommand } = await import('./commands/lint.js');
      setExit(lintCommand(file, options, io));
    });

  program
    .command('graph')
    .description('draw the service graph as Mermaid or DOT, with edges of lint errors in red')
    .argument('[file]', 'path of system.yaml', defaultFile)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .option('-o, --output <file>', 'write the graph to a file instead of standard output')
    .action(async (file: string, options: { format: 'mermaid' | 'dot'; output?: string }) => {
      const { graphCommand } = await import('./commands/graph.js');
      setExit(graphCommand(file, options, io));
    });

  program
    .command('generate')
    .description('render the system (compose, Kubernetes, broker, AsyncAPI, CI, README) from system.yaml')
    .argument('[file]', 'path of system.yaml', defaultFile)
    .option('--out <dir>', 'output directory (default: the folder of system.yaml)')
    .option('--check', 'write nothing; exit 1 when any generated file is missing, stale or edited')
    .option('--dry-run', 'write nothing; print what would change')
    .option('--force', 'overwrite generated files that were edited')
    .option('--allow-data-loss', 'let through entity changes that drop or convert stored data (a removed field or entity, a narrowing type change)')
    .action(async (file: string, options: { out?: string; check?: boolean; dryRun?: boolean; force?: boolean; allowDataLoss?: boolean }) => {
      const { generateCommand } = await import('./commands/generate.js');
      setExit(await generateCommand(file, { ...(options.out !== undefined && { out: options.out }), check: options.check === true, dryRun: options.dryRun === true, force: options.force === true, allowDataLoss: options.allowDataLoss === true }, io));
    });

  program
    .command('dev')
    .description('run the whole system here, without Docker: databases, broker, every service and the gateway, a live view and a dashboard')
    .argument('[file]', 'path of system.yaml', defaultFile)
    .option('--reset', 'wipe the embedded databases (and the broker dev started) before starting')
    .option('--database-url <url>', 'a PostgreSQL server to use instead of PGlite: one database per service is created on it when missing')
    .option('--watch', 'rebuild and restart a service when its files change')
    .option('--dashboard-port <port>', 'port of the dashboard page (another one when taken)', parseCount, 4800)
    .option('--log-level <level>', 'LOG_LEVEL of every process', 'info')
    .option('--ready-timeout <seconds>', 'how long a process may take to answer /ready', parseCount, 60)
    .action(async (file: string, options: { reset?: boolean; databaseUrl?: string; watch?: boolean; dashboardPort: number; logLevel: string; readyTimeout: number }) => {
      const { devCommand } = await import('./commands/dev.js');
      setExit(
        await devCommand(
          file,
          { reset: options.reset === true, ...(options.databaseUrl !== undefined && { databaseUrl: options.databaseUrl }), watch: options.watch === true, dashboardPort: options.dashboardPort, logLevel: options.logLevel, readyTimeout: options.readyTimeout },
          io,
        ),
      );
    });

  registerInitCommands(program, io, setExit);
  registerEditCommands(program, io, setExit);
  return program;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number, e.g. 0');
  return Number(value);
}

/** Runs the CLI and resolves to the process exit code; never throws. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(io, (c) => (code = c));
  if (argv.length <= 2) {
    program.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; any other usage error is a bad invocation.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    io.err(`taskflow-gen: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    io.err('This is a bug in taskflow-gen; please report it with the command you ran.');
    return ExitCode.internal;
  }
}
