import { matchesGlob } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { lint } from '../../lint/lint.js';
import { renderSystem } from '../render.js';
import { loadTemplates } from '../templates.js';
import type { FileTree } from '../tree.js';
import { exampleNames, exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import target from './index.js';
import { edgeSystems } from '../../../test/support/render/workflows/edge-systems.js';
import { expressionErrors, githubParserErrors, schemaErrors } from '../../../test/support/render/workflows/github-actions.js';
import { shellArg } from './view.js';
import { runtimeView } from '../runtime-view.js';
import { toolVersion } from '../../cli/version.js';

/** A workflow as parsed YAML; the validators vouch for its shape. */
type Workflow = any;
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; id?: string; if?: string; 'continue-on-error'?: boolean };

const render = (yaml: string, systemFile = 'system.yaml'): FileTree => {
  if (systemFile === 'system.yaml') return renderYaml(yaml, [target]);
  const model = modelOf(yaml);
  return renderSystem({ model, lint: lint(model), templates: loadTemplates(), systemFile, toolVersion: toolVersion() }, [target]);
};
const workflows = (tree: FileTree) => tree.files().filter((f) => f.path.startsWith('.github/workflows/'));
const parse = (tree: FileTree, path: string): Workflow => {
  const file = tree.get(path);
  if (!file) throw new Error(`no ${path}; rendered: ${tree.files().map((f) => f.path).join(', ')}`);
  return load(file.content);
};
const steps = (workflow: Workflow, job: string): Step[] => workflow.jobs[job].steps;
const uses = (workflow: Workflow, job: string): string[] => steps(workflow, job).flatMap((s) => (s.uses ? [s.uses] : []));
/** Where a service's workflow is: `<name>.yml`, or `architecture.service.yml` for a service named like the architecture workflow. */
const workflowOf = (service: string): string => `.github/workflows/${service === 'architecture' ? 'architecture.service' : service}.yml`;
const runs = (workflow: Workflow, job: string): string[] => steps(workflow, job).flatMap((s) => (s.run ? [s.run] : []));

/** All three validators; returns every problem found, labelled. */
async function problems(path: string, content: string): Promise<string[]> {
  return [
    ...schemaErrors(load(content)).map((e) => `schema ${e}`),
    ...(await githubParserErrors(path, content)).map((e) => `github ${e}`),
    ...expressionErrors(content).map((e) => `expression ${e}`),
  ];
}

describe('workflows target', () => {
  const systems: [string, string][] = [
    ...exampleNames.map((name): [string, string] => [`example ${name}`, exampleYaml(name)]),
    ['example anti-patterns', exampleYaml('anti-patterns')],
    ...Object.entries(edgeSystems),
  ];

  describe.each(systems)('%s', (_, yaml) => {
    const model = modelOf(yaml);
    const tree = render(yaml);

    it('every workflow is accepted by the SchemaStore schema, by GitHub’s parser, and has only well-formed ${{ }} expressions', async () => {
      expect(workflows(tree).length).toBeGreaterThan(1);
      for (const file of workflows(tree)) {
        expect(file.owner).toBe('generator');
        expect(await problems(file.path, file.content), file.path).toEqual([]);
      }
    });

    it('renders one workflow per service, a gateway workflow for a node gateway, and the architecture workflow', () => {
      const expected = model.services.map((s) => workflowOf(s.name));
      if (model.gateway?.kind === 'node') expected.push('.github/workflows/gateway.yml');
      expected.push('.github/workflows/architecture.yml');
      expect(workflows(tree).map((f) => f.path).sort()).toEqual(expected.sort());
    });

    it('filters each component workflow to exactly its own folder and itself, on push and pull request to main', () => {
      const components = [
        ...model.services.map((s) => ({ dir: `services/${s.name}`, workflow: workflowOf(s.name), pacts: [`contracts/pacts/*-${s.name}.json`, `contracts/pacts/${s.name}-*.json`] })),
        ...(model.gateway?.kind === 'node' ? [{ dir: 'gateway', workflow: '.github/workflows/gateway.yml', pacts: [] }] : []),
      ];
      for (const { dir, workflow: path, pacts } of components) {
        const workflow = parse(tree, path);
        for (const event of ['push', 'pull_request']) {
          expect(workflow.on[event], `${path} ${event}`).toEqual({ branches: ['main'], paths: [`${dir}/**`, path, ...pacts] });
        }
        // A service's pipeline also runs when a pact it writes or must honour changes.
        for (const call of model.services.flatMap((s) => s.calls)) {
          const pact = `contracts/pacts/${call.caller}-${call.callee}.json`;
          const involved = dir === `services/${call.caller}` || dir === `services/${call.callee}`;
          if (involved) expect(pacts.some((glob) => matchesGlob(pact, glob)), `${pact} vs ${path}`).toBe(true);
        }
        const [folder, file] = workflow.on.push.paths as [string, string];
        expect(matchesGlob(`${dir}/src/deep/index.ts`, folder)).toBe(true);
        expect(matchesGlob(`${dir}/Dockerfile`, folder)).toBe(true);
        // No other component's change triggers it, not even one whose folder shares a prefix.
        for (const other of components.filter((c) => c.dir !== dir)) {
          expect(matchesGlob(`${other.dir}/Dockerfile`, folder), `${other.dir} vs ${path}`).toBe(false);
          expect(other.workflow === file).toBe(false);
        }
        expect(matchesGlob(`${dir}-extra/Dockerfile`, folder)).toBe(false);
        expect(matchesGlob('system.yaml', folder)).toBe(false);
      }
    });

    it('tests each service in its runtime, then builds its image from its folder, tagged with the commit', () => {
      for (const service of model.services) {
        const workflow = parse(tree, workflowOf(service.name));
        const dir = `services/${service.name}`;
        expect(workflow.permissions).toEqual({ contents: 'read' });
        expect(workflow.jobs.test.defaults).toEqual({ run: { 'working-directory': dir } });
        if (service.runtime === 'node') {
          expect(uses(workflow, 'test')).toEqual(['actions/checkout@v4', 'actions/setup-node@v4']);
          expect(steps(workflow, 'test')[1]!.with).toEqual({ 'node-version': '20', cache: 'npm', 'cache-dependency-path': `${dir}/package.json` });
          const [install, build, test, pacts] = runs(workflow, 'test');
          expect([install, build, test]).toEqual(['npm install', 'npm run build', 'npm test']);
          // Pact files its consumer tests changed but nobody committed fail the build.
          expect(pacts).toContain('git status --porcelain -- ../../contracts/pacts');
        } else {
          expect(uses(workflow, 'test')).toEqual(['actions/checkout@v4', 'actions/setup-python@v5']);
          const setup = steps(workflow, 'test').find((step) => step.uses === 'actions/setup-python@v5')!;
          expect(setup.with).toEqual({ 'python-version': '3.11', cache: 'pip', 'cache-dependency-path': `${dir}/requirements*.txt` });
          const checks = runs(workflow, 'test').filter((run) => !run.startsWith('docker run'));
          expect(checks.slice(0, 5)).toEqual(['pip install -r requirements-dev.txt', 'ruff check .', 'ruff format --check .', 'mypy app tests', 'python -m pytest']);
          // pytest runs its contract tests too: pact files they changed but nobody committed fail the build.
          expect(checks[5]).toContain('git status --porcelain -- ../../contracts/pacts');
          // Its tests make their own database on the PostgreSQL the job runs beside it (and use the broker, if it has events).
          expect(workflow.jobs.test.services).toHaveProperty('postgres');
          expect(workflow.jobs.test.env.DATABASE_URL).toBe('postgres://postgres:postgres@localhost:5432/postgres');
        }
        const image = workflow.jobs.image;
        expect(image.needs).toBe('test');
        expect(uses(workflow, 'image')).toEqual(['actions/checkout@v4', 'docker/setup-buildx-action@v3', 'docker/build-push-action@v6']);
        expect(steps(workflow, 'image')[2]!.with).toMatchObject({ context: dir, tags: `${model.name}/${service.name}:\${{ github.sha }}`, push: false });
      }
    });

    it('gives the tests of a Python service with events the broker of the system, at the BROKER_URL of the job; no other job gets one', () => {
      const broker = runtimeView(model).broker;
      for (const service of model.services) {
        const job = parse(tree, workflowOf(service.name)).jobs.test;
        const events = service.publishes.length + service.subscribes.length > 0 && model.broker !== 'none';
        if (service.runtime !== 'python' || !events) {
          // A Node.js service's tests hand in a broker of their own; a Python service without events uses none.
          expect(job.services?.broker, service.name).toBeUndefined();
          expect(job.env?.BROKER_URL, service.name).toBeUndefined();
          expect(JSON.stringify(job.steps), service.name).not.toContain('docker run');
          continue;
        }
        const all = steps(parse(tree, workflowOf(service.name)), 'test');
        const install = all.findIndex((step) => step.run === 'pip install -r requirements-dev.txt');
        switch (model.broker) {
          case 'rabbitmq':
            // As compose runs it; the image lets guest in from outside its container.
            expect(job.services.broker).toEqual({
              image: 'rabbitmq:3.13-management-alpine',
              ports: ['5672:5672'],
              options: '--health-cmd "rabbitmq-diagnostics -q check_port_connectivity" --health-interval 5s --health-timeout 5s --health-retries 20',
            });
            expect(job.env.BROKER_URL).toBe('amqp://guest:guest@localhost:5672');
            break;
          case 'nats': {
            // JetStream needs -js, and a service container takes no arguments: a step starts it before anything is installed.
            expect(job.services.broker).toBeUndefined();
            const start = all.findIndex((step) => step.run?.startsWith('docker run'));
            expect(start).toBeGreaterThan(0);
            expect(start).toBeLessThan(install);
            expect(all[start]!.run!.split('\n')[0]).toBe('docker run --detach --name broker --publish 4222:4222 nats:2.10-alpine -js');
            expect(all[start]!.run).toContain('until echo > /dev/tcp/localhost/4222');
            expect(job.env.BROKER_URL).toBe('nats://localhost:4222');
            break;
          }
          case 'kafka':
            expect(job.services.broker).toMatchObject({ image: 'apache/kafka:3.8.0', ports: ['9092:9092'] });
            expect(job.env.BROKER_URL).toBe('kafka://localhost:9092');
            break;
        }
        expect(broker?.image, 'the image compose runs').toBe(job.services.broker?.image ?? 'nats:2.10-alpine');
        expect(install).toBeGreaterThan(0);
      }
    });

    it('gives a node gateway the same pipeline over gateway/, and an nginx gateway none', () => {
      const file = tree.get('.github/workflows/gateway.yml');
      if (model.gateway?.kind !== 'node') {
        expect(file).toBeUndefined();
        return;
      }
      const workflow = parse(tree, '.github/workflows/gateway.yml');
      expect(workflow.name).toBe('gateway');
      expect(workflow.jobs.test.defaults.run['working-directory']).toBe('gateway');
      expect(runs(workflow, 'test')).toEqual(['npm install', 'npm run build', 'npm test']);
      expect(steps(workflow, 'image')[2]!.with).toMatchObject({ context: 'gateway', tags: `${model.name}/gateway:\${{ github.sha }}`, push: false });
    });

    it('checks the architecture: generate --check, lint as SARIF uploaded to code scanning even when lint fails, then fails', () => {
      const workflow = parse(tree, '.github/workflows/architecture.yml');
      expect(workflow.on).toEqual({ push: { branches: ['main'] }, pull_request: { branches: ['main'] } });
      expect(workflow.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
      const all = steps(workflow, 'architecture');
      expect(uses(workflow, 'architecture')).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
      expect(all[1]!.with).toEqual({ 'node-version': '20' });
      const check = all.findIndex((s) => s.run === `npx --yes taskflow-gen@${toolVersion()} generate --check system.yaml`);
      const lintStep = all.findIndex(
        (s) => s.run === `npx --yes taskflow-gen@${toolVersion()} lint system.yaml --format sarif --output taskflow-lint.sarif \${BASE_REF:+--against "origin/$BASE_REF"}`,
      );
      const upload = all.findIndex((s) => s.uses === 'github/codeql-action/upload-sarif@v3');
      const fail = all.length - 1;
      expect(check).toBeGreaterThan(1);
      expect(lintStep).toBeGreaterThan(check);
      expect(upload).toBeGreaterThan(lintStep);
      expect(all[lintStep]).toMatchObject({ id: 'lint', 'continue-on-error': true, env: { BASE_REF: '${{ github.base_ref }}' } });
      // lint --against origin/<base> needs the base branch's history.
      expect(all[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
      expect(all[upload]!.with).toEqual({ sarif_file: 'taskflow-lint.sarif', category: 'taskflow-gen' });
      expect(all[upload]!.if).toBeUndefined(); // runs on success(), which continue-on-error keeps true
      expect(all[fail]).toMatchObject({ if: "steps.lint.outcome == 'failure'" });
      expect(all[fail]!.run).toMatch(/\bexit 1\b/);
    });

    it('pins every action to its major version', () => {
      const allowed = ['actions/checkout@v4', 'actions/setup-node@v4', 'actions/setup-python@v5', 'docker/setup-buildx-action@v3', 'docker/build-push-action@v6', 'github/codeql-action/upload-sarif@v3'];
      for (const file of workflows(tree)) {
        for (const [, action] of file.content.matchAll(/^\s*(?:- )?uses: (\S+)$/gm)) expect(allowed, file.path).toContain(action);
      }
    });

    it('is deterministic', () => {
      expect(render(yaml).files()).toEqual(tree.files());
    });
  });

  it('keeps the architecture workflow’s name when a service takes it, and tells the two apart', () => {
    const tree = render(edgeSystems['kafka, node gateway, a service named like the architecture workflow']!);
    expect(workflows(tree).map((f) => [f.path, parse(tree, f.path).name])).toEqual([
      ['.github/workflows/architecture.service.yml', 'architecture (service)'],
      ['.github/workflows/architecture.yml', 'architecture'],
      ['.github/workflows/audit.yml', 'audit'],
      ['.github/workflows/gateway.yml', 'gateway'],
    ]);
    expect(parse(tree, '.github/workflows/architecture.service.yml').jobs.test.defaults.run['working-directory']).toBe('services/architecture');
  });

  it('names system.yaml as given, quoted for the shell when it needs to be', () => {
    const tree = render(edgeSystems['no broker, no gateway, no events']!, "infra/the team's system.yaml");
    const workflow = parse(tree, '.github/workflows/architecture.yml');
    // Run from the output root, generate must be told so when system.yaml lives elsewhere.
    expect(runs(workflow, 'architecture')).toContain(`npx --yes taskflow-gen@${toolVersion()} generate --check 'infra/the team'\\''s system.yaml' --out .`);
    expect(runs(workflow, 'architecture')).toContain(
      `npx --yes taskflow-gen@${toolVersion()} lint 'infra/the team'\\''s system.yaml' --format sarif --output taskflow-lint.sarif \${BASE_REF:+--against "origin/$BASE_REF"}`,
    );
    expect(shellArg('deploy/system.yaml')).toBe('deploy/system.yaml');
  });
});

describe('the validators reject broken workflows, so they can fail', () => {
  const tree = render(exampleYaml('checkout'));
  const good = tree.get('.github/workflows/order.yml')!.content;
  const architecture = tree.get('.github/workflows/architecture.yml')!.content;

  it('accepts the generated one', async () => {
    expect(await problems('order.yml', good)).toEqual([]);
    expect(await problems('architecture.yml', architecture)).toEqual([]);
  });

  it.each([
    ['a misspelled event', good.replace('pull_request:', 'pull-request:'), ['schema', 'github']],
    ['a job without runs-on', good.replace('    needs: test\n    runs-on: ubuntu-latest\n', '    needs: test\n'), ['schema', 'github']],
    ['a step that neither uses nor runs anything', good.replace('- uses: docker/setup-buildx-action@v3', '- name: buildx'), ['schema', 'github']],
    ['needs naming no job', good.replace('needs: test', 'needs: tests'), ['github']],
    ['an unclosed expression', good.replace('${{ github.sha }}', '${{ github.sha }'), ['github', 'expression']],
    ['a half-written expression', good.replace('${{ github.sha }}', '${{ github.sha == }}'), ['github', 'expression']],
    ['an unknown context', good.replace('${{ github.sha }}', '${{ gitHub_sha.short }}'), ['github', 'expression']],
    ['a bad permission', architecture.replace('security-events: write', 'security-events: admin'), ['schema', 'github']],
  ])('rejects %s', async (_, broken, by) => {
    const found = await problems('broken.yml', broken);
    for (const validator of by) expect(found.some((p) => p.startsWith(`${validator} `)), `${validator} in ${JSON.stringify(found)}`).toBe(true);
  });
});
