import { pythonVersion } from '../python/versions.js';
import type { BrokerRuntime, GatewayRuntime, RuntimeView, ServiceRuntime } from '../runtime-view.js';

const nodeVersion = '20';
/** Where GitHub reads workflows from, relative to the output root (= repository root). */
const workflowsDir = '.github/workflows';
/** Report file of the lint step; the upload step reads it. */
const sarifFile = 'taskflow-lint.sarif';

/** One workflow file and the template that prints it. */
export type WorkflowFile =
  | { readonly path: string; readonly template: 'workflows/component'; readonly view: ComponentWorkflow }
  | { readonly path: string; readonly template: 'workflows/architecture'; readonly view: ArchitectureWorkflow };

/** The pipeline of one deployable folder (a service or the node gateway): test it, then build its image. */
export interface ComponentWorkflow {
  readonly name: string;
  /** Path filters: the folder and this workflow file, so each component builds on its own changes only. */
  readonly paths: readonly string[];
  /** Folder the test commands run in and the image is built from. */
  readonly dir: string;
  readonly node: boolean;
  readonly python: boolean;
  readonly nodeVersion: string;
  readonly pythonVersion: string;
  /** The file setup-node / setup-python key their dependency cache on. */
  readonly dependencyFile: string;
  readonly imageTag: string;
  /** The pact files seen from `dir`, for a service (its consumer tests may write some, which must be committed). */
  readonly pactsDir: string | false;
  /**
   * The broker a Python service with events publishes and consumes through in
   * its tests (a Node.js service's tests hand in a broker of their own, which
   * needs no server).
   */
  readonly broker: WorkflowBroker | false;
}

/** The broker of a test job, on localhost at its usual port, as compose runs it (same image). */
export interface WorkflowBroker {
  /** BROKER_URL of the job. */
  readonly url: string;
  /** A service container (`jobs.test.services.broker`), which GitHub starts and waits for before the steps. */
  readonly container: { readonly image: string; readonly port: number; readonly options: string } | false;
  /** A step that starts it, for a broker that needs arguments (a service container takes none). */
  readonly step: { readonly name: string; readonly lines: readonly string[] } | false;
}

/** The pipeline that keeps the repository consistent with system.yaml. */
export interface ArchitectureWorkflow {
  readonly nodeVersion: string;
  readonly checkCommand: string;
  readonly lintCommand: string;
  readonly sarifFile: string;
}

/** Every workflow of the system: one per service, one for a node gateway, and the architecture check. */
export function workflowsView(runtime: RuntimeView, systemFile: string, toolVersion: string): WorkflowFile[] {
  const files: WorkflowFile[] = runtime.services.map((service) => {
    // A service named `architecture` gets `architecture.service.yml`: service names have no dots, so that meets nothing.
    // (`gateway` needs no such care: validation keeps that name for the gateway.)
    const clash = service.name === 'architecture';
    const path = `${workflowsDir}/${clash ? `${service.name}.service` : service.name}.yml`;
    return { path, template: 'workflows/component', view: serviceWorkflow(service, runtime.broker, clash ? `${service.name} (service)` : service.name, path) };
  });
  if (runtime.gateway?.kind === 'node') {
    const path = `${workflowsDir}/gateway.yml`;
    files.push({ path, template: 'workflows/component', view: gatewayWorkflow(runtime.gateway, path) });
  }
  files.push({ path: `${workflowsDir}/architecture.yml`, template: 'workflows/architecture', view: architectureWorkflow(systemFile, `taskflow-gen@${toolVersion}`) });
  return files;
}

function serviceWorkflow(service: ServiceRuntime, broker: BrokerRuntime | undefined, name: string, path: string): ComponentWorkflow {
  const workflow = componentWorkflow({ name, dir: service.dir, runtime: service.runtime, image: service.image, path });
  return {
    ...workflow,
    // Its consumers' pacts (what it must honour) and its own (what its consumer tests write) run its pipeline too.
    paths: [...workflow.paths, `${pactsDir}/*-${service.name}.json`, `${pactsDir}/${service.name}-*.json`],
    pactsDir: pactsDirFrom(service.dir),
    broker: service.runtime === 'python' && service.usesBroker && broker !== undefined && testBroker(broker),
  };
}

/** How a test job runs `broker`: what its BROKER_URL says, with the image compose runs. */
function testBroker(broker: BrokerRuntime): WorkflowBroker {
  const health = (command: string) => `--health-cmd "${command}" --health-interval 5s --health-timeout 5s --health-retries 20`;
  const container = (command: string) => ({ image: broker.image, port: broker.port, options: health(command) });
  switch (broker.kind) {
    case 'rabbitmq':
      // The image lets guest in from outside the container (its conf.d/10-defaults.conf): no credentials to set.
      return { url: `amqp://guest:guest@localhost:${broker.port}`, container: container('rabbitmq-diagnostics -q check_port_connectivity'), step: false };
    case 'nats':
      return {
        url: `nats://localhost:${broker.port}`,
        container: false,
        step: {
          name: 'NATS with JetStream (a service container takes no arguments, and JetStream needs -js)',
          lines: [
            `docker run --detach --name broker --publish ${broker.port}:${broker.port} ${broker.image} -js`,
            `timeout 60 bash -c 'until echo > /dev/tcp/localhost/${broker.port}; do sleep 1; done' 2> /dev/null`,
          ],
        },
      };
    case 'kafka':
      // The image's own configuration: one KRaft node, advertised as localhost:9092.
      return { url: `kafka://localhost:${broker.port}`, container: container(`/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:${broker.port}`), step: false };
  }
}

/** Where the system's pact files are, from the output root and from a folder below it. */
const pactsDir = 'contracts/pacts';

function pactsDirFrom(dir: string): string {
  return `${dir.split('/').map(() => '..').join('/')}/${pactsDir}`;
}

function gatewayWorkflow(gateway: GatewayRuntime, path: string): ComponentWorkflow {
  return componentWorkflow({ name: 'gateway', dir: gateway.dir, runtime: 'node', image: gateway.image, path });
}

function componentWorkflow(c: { name: string; dir: string; runtime: ServiceRuntime['runtime']; image: string; path: string }): ComponentWorkflow {
  const node = c.runtime === 'node';
  return {
    name: c.name,
    paths: [`${c.dir}/**`, c.path],
    dir: c.dir,
    node,
    python: !node,
    nodeVersion,
    pythonVersion,
    dependencyFile: `${c.dir}/${node ? 'package.json' : 'requirements*.txt'}`,
    imageTag: `${c.image}:\${{ github.sha }}`,
    pactsDir: false,
    broker: false,
  };
}

function architectureWorkflow(systemFile: string, tool: string): ArchitectureWorkflow {
  const file = shellArg(systemFile);
  return {
    nodeVersion,
    checkCommand: `npx --yes ${tool} ${checkArgs(systemFile)}`,
    // BASE_REF is the pull request's base branch, empty on a push.
    lintCommand: `npx --yes ${tool} lint ${file} --format sarif --output ${sarifFile} \${BASE_REF:+--against "origin/$BASE_REF"}`,
    sarifFile,
  };
}

/**
 * `generate --check <file>` (after the pinned `npx taskflow-gen@version`), run from the output root. generate
 * writes beside system.yaml unless told otherwise, so a system.yaml kept in
 * another folder needs `--out .`.
 */
export function checkArgs(systemFile: string): string {
  return `generate --check ${shellArg(systemFile)}${systemFile.includes('/') ? ' --out .' : ''}`;
}

/** A path as one POSIX shell word: plain when safe, else single-quoted. */
export function shellArg(text: string): string {
  return /^[A-Za-z0-9._\/+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
