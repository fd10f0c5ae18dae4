import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Io } from '../io.js';

const defaultFile = 'system.yaml';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a port number, e.g. --port 3005');
  return Number(value);
}

/** Declares the edit commands; their implementation is imported only when one runs. */
export function registerEditCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('add-service')
    .description('add a service to system.yaml (keeping its comments and layout) and re-render')
    .argument('<name>', 'service name (a lower-case DNS label)')
    .option('--file <file>', 'path of system.yaml', defaultFile)
    .addOption(new Option('--runtime <runtime>', 'runtime of the service').choices(['node', 'python']))
    .option('--database <name>', 'database the service owns, or none (default: the service name when it has entities)')
    .option('--entity <spec>', "an entity and its fields, e.g. 'Order userId:string quantity:integer' (repeatable)", collect, [])
    .option('--calls <spec>', "a sync call, e.g. 'product:GET /products/{id}' (repeatable)", collect, [])
    .option('--publishes <event>', 'an event it publishes (repeatable)', collect, [])
    .option('--subscribes <event>', 'an event it subscribes to (repeatable)', collect, [])
    .option('--team <team>', 'team that owns it (created when absent)')
    .option('--port <port>', 'HTTP port (default: assigned)', parsePort)
    .option('--dry-run', 'write nothing; print the change to system.yaml and what generate would do')
    .action(async (name: string, o: { file: string; runtime?: 'node' | 'python'; database?: string; entity: string[]; calls: string[]; publishes: string[]; subscribes: string[]; team?: string; port?: number; dryRun?: boolean }) => {
      const given = o.runtime !== undefined || o.database !== undefined || o.team !== undefined || o.port !== undefined || [o.entity, o.calls, o.publishes, o.subscribes].some((list) => list.length > 0);
      if (!given && process.stdin.isTTY) {
        // On a terminal with no service flag, the flags are asked for.
        const { addServiceInteractive } = await import('./add-service-prompts.js');
        setExit(await addServiceInteractive(name, { file: o.file, dryRun: o.dryRun === true }, io));
        return;
      }
      const { addServiceCommand } = await import('./edit.js');
      setExit(
        await addServiceCommand(
          name,
          {
            file: o.file,
            dryRun: o.dryRun === true,
            entities: o.entity,
            calls: o.calls,
            publishes: o.publishes,
            subscribes: o.subscribes,
            ...(o.runtime !== undefined && { runtime: o.runtime }),
            ...(o.database !== undefined && { database: o.database }),
            ...(o.team !== undefined && { team: o.team }),
            ...(o.port !== undefined && { port: o.port }),
          },
          io,
        ),
      );
    });

  program
    .command('add-event')
    .description('declare an event with its payload, and who publishes and subscribes to it, then re-render')
    .argument('<name>', 'event name (PascalCase)')
    .requiredOption('--fields <fields>', "payload fields, e.g. 'orderId:uuid total:number'")
    .option('--publisher <service>', 'a service that publishes it (repeatable)', collect, [])
    .option('--subscriber <service>', 'a service that subscribes to it (repeatable)', collect, [])
    .option('--file <file>', 'path of system.yaml', defaultFile)
    .option('--dry-run', 'write nothing; print the change to system.yaml and what generate would do')
    .action(async (name: string, o: { fields: string; publisher: string[]; subscriber: string[]; file: string; dryRun?: boolean }) => {
      const { addEventCommand } = await import('./edit.js');
      setExit(await addEventCommand(name, { file: o.file, dryRun: o.dryRun === true, fields: o.fields, publishers: o.publisher, subscribers: o.subscriber }, io));
    });

  program
    .command('add-call')
    .description("add a sync call FROM -> TO with its endpoints ('METHOD /path'), then re-render")
    .argument('<from>', 'calling service')
    .argument('<to>', 'called service')
    .argument('<endpoints...>', "endpoints called, e.g. 'GET /products/{id}'")
    .option('--file <file>', 'path of system.yaml', defaultFile)
    .option('--dry-run', 'write nothing; print the change to system.yaml and what generate would do')
    .action(async (from: string, to: string, endpoints: string[], o: { file: string; dryRun?: boolean }) => {
      const { addCallCommand } = await import('./edit.js');
      setExit(await addCallCommand(from, to, endpoints, { file: o.file, dryRun: o.dryRun === true }, io));
    });

  program
    .command('remove-service')
    .description('remove a service from system.yaml (refused while others depend on it, unless --force), then re-render')
    .argument('<name>', 'service to remove')
    .option('--file <file>', 'path of system.yaml', defaultFile)
    .option('--force', 'also remove the calls to it (subscriptions to its events stay)')
    .option('--dry-run', 'write nothing; print the change to system.yaml and what generate would do')
    .action(async (name: string, o: { file: string; force?: boolean; dryRun?: boolean }) => {
      const { removeServiceCommand } = await import('./edit.js');
      setExit(await removeServiceCommand(name, { file: o.file, dryRun: o.dryRun === true, force: o.force === true }, io));
    });
}
