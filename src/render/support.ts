import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { BrokerKind, Runtime, Service, SystemModel } from '../model/types.js';
import { pythonBroker } from './python-service/events.js';

/**
 * What system.yaml may say but the generator cannot render yet, as positioned
 * errors, so `generate` refuses up front instead of writing a service that
 * would only fail when it starts: a service's code speaks PostgreSQL (a
 * server, or PGlite embedded in a Node.js service), not SQLite, MySQL or
 * MongoDB; a Python service's event layer speaks RabbitMQ and NATS, not Kafka.
 */
export function unsupportedFeatures(model: SystemModel): Diagnostic[] {
  return model.services.flatMap((service) => [...unsupportedEngine(model, service), ...unsupportedPythonBroker(model, service)]);
}

const brokerNames: Record<BrokerKind, string> = { rabbitmq: 'RabbitMQ', nats: 'NATS JetStream', kafka: 'Kafka', none: 'no broker' };

function unsupportedPythonBroker(model: SystemModel, service: Service): Diagnostic[] {
  const events = service.publishes.length + service.subscribes.length;
  if (service.runtime !== 'python' || events === 0 || model.broker === 'none' || pythonBroker(model.broker) !== undefined) return [];
  const verbs = [...(service.publishes.length > 0 ? ['publishes'] : []), ...(service.subscribes.length > 0 ? ['subscribes to'] : [])].join(' and ');
  return [
    {
      file: model.file,
      line: service.runtimeLoc.line,
      column: service.runtimeLoc.column,
      message: `service '${service.name}' ${verbs} events, but the event layer of a Python service speaks RabbitMQ and NATS JetStream, not ${brokerNames[model.broker]} (broker: ${model.broker})`,
      hint: `use \`runtime: node\` for '${service.name}', whose Node.js event layer speaks ${brokerNames[model.broker]}, or \`broker: rabbitmq\` or \`broker: nats\` for the whole system`,
    },
  ];
}

function unsupportedEngine(model: SystemModel, service: Service): Diagnostic[] {
  const database = service.database;
  if (!database || database.engine === 'postgres') return [];
  const node = service.runtime === 'node';
  return [
    {
      file: model.file,
      line: database.loc.line,
      column: database.loc.column,
      message: `service '${service.name}': the generated ${node ? 'Node.js' : 'Python'} service stores its data in PostgreSQL; engine '${database.engine}' is not supported yet`,
      hint: node
        ? `use \`database: ${database.name}\` (engine postgres); without DATABASE_URL the service runs PostgreSQL embedded (PGlite), no server needed`
        : `use \`database: ${database.name}\` (engine postgres); the service then needs DATABASE_URL, a PostgreSQL server (a Python service has no embedded database)`,
    },
  ];
}

/**
 * Services of a runtime that no registered target generates code for, as
 * positioned warnings at the place their runtime is said: generate renders the
 * rest of the system, but their `services/<name>/` folder, which compose and
 * Kubernetes build and run, is left for the user to write.
 */
export function servicesWithoutCode(model: SystemModel, codeRuntimes: ReadonlySet<Runtime>): Diagnostic[] {
  return model.services
    .filter((service) => !codeRuntimes.has(service.runtime))
    .map((service) => ({
      file: model.file,
      line: service.runtimeLoc.line,
      column: service.runtimeLoc.column,
      message: `service '${service.name}': no code is generated for runtime '${service.runtime}' yet, so services/${service.name}/ is not written, though docker-compose.yml and k8s/ build and run it from there`,
      hint: `write the service in services/${service.name}/ yourself, with a Dockerfile, or use runtime: ${[...codeRuntimes].join(' or ')}`,
    }));
}
