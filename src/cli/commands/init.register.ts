import { Option, type Command } from 'commander';
import type { Io } from '../io.js';

/** Declares the init commands; their implementation is imported only when one runs. */
export function registerInitCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('create system.yaml by answering questions (or --yes / flags / --example), then render and lint the system')
    .argument('[dir]', 'folder to create the system in (created if missing)', '.')
    .option('-y, --yes', 'accept every default: a small, lint-clean two-service system behind a gateway')
    .option('--example <name>', 'start from a shipped example (see --list-examples)')
    .option('--list-examples', 'list the shipped examples and exit')
    .option('--name <name>', 'system name (lower-case DNS label)')
    .option('--description <text>', 'one-line description of the system')
    .addOption(new Option('--broker <kind>', 'message broker').choices(['rabbitmq', 'nats', 'kafka', 'none']))
    .addOption(new Option('--gateway <kind>', 'gateway').choices(['node', 'nginx', 'none']))
    .addOption(new Option('--auth <kind>', 'authentication at the gateway (nginx: none)').choices(['jwt', 'none']))
    .option('--force', 'replace an existing system.yaml in DIR')
    .action(async (dir: string, options: import('./init.js').InitOptions) => {
      const { initCommand } = await import('./init.js');
      setExit(await initCommand(dir, options, io));
    });
}
