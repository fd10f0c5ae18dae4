import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticSystem } from '../bench/synthetic.js';
import { codeRuntimes } from '../src/render/targets.js';
import { cliPath, runCli } from './support/cli.js';
import { snapshot } from './support/files.js';

const examples = ['taskflow', 'ecommerce', 'checkout', 'task-manager', 'order-saga'];
const scratch = mkdtempSync(join(tmpdir(), 'taskflow-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A fresh project folder holding a copy of an example's system.yaml (or the given text). */
function project(source: string): string {
  const dir = join(scratch, `p${++counter}`);
  mkdirSync(dir);
  if (source.includes('\n')) writeFileSync(join(dir, 'system.yaml'), source);
  else cpSync(new URL(`../examples/${source}/system.yaml`, import.meta.url), join(dir, 'system.yaml'));
  return dir;
}

const generate = (dir: string, ...args: string[]) => runCli(['generate', ...args], { cwd: dir });

describe('taskflow-gen generate', () => {
  it('warns, at the runtime, of a service whose runtime no target generates, writes no folder for it and promises none', () => {
    const dir = project('taskflow');
    const run = generate(dir);
    expect(run.status).toBe(0);
    const folder = join(dir, 'services', 'notification');
    if (codeRuntimes.has('python')) {
      expect(run.stderr).not.toContain('warning');
      expect(existsSync(folder)).toBe(true);
      return;
    }
    const yaml = readFileSync(join(dir, 'system.yaml'), 'utf8').split('\n');
    const line = yaml.findIndex((l) => l.includes('runtime: python'));
    expect(run.stderr).toContain(`system.yaml:${line + 1}:${yaml[line]!.indexOf('python') + 1}  warning: service 'notification': no code is generated for runtime 'python' yet`);
    expect(existsSync(folder)).toBe(false);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('`services/notification/` is not generated');
    expect(readme).not.toContain('pip install');
  });

  it.each([
    ['sqlite', 'database: { name: tasks, engine: sqlite }'],
    ['mongodb', 'database: { name: tasks, engine: mongodb }'],
  ])('refuses a Node.js service on %s up front: positioned error, exit 2, nothing written', (engine, database) => {
    const dir = project(readFileSync(new URL('../examples/task-manager/system.yaml', import.meta.url), 'utf8').replace('database: tasks\n', `${database}\n`));
    const run = generate(dir);
    expect(run.status).toBe(2);
    const line = readFileSync(join(dir, 'system.yaml'), 'utf8').split('\n').findIndex((l) => l.includes(database)) + 1;
    expect(run.stderr).toContain(`system.yaml:${line}:`);
    expect(run.stderr).toContain(`engine '${engine}' is not supported yet`);
    expect(run.stderr).toContain('use `database: tasks` (engine postgres)');
    expect(readdirSync(dir)).toEqual(['system.yaml']);
  });

  it('refuses a Python service on mysql the same way', () => {
    const database = 'database: { name: notifications, engine: mysql }';
    const dir = project(readFileSync(new URL('../examples/taskflow/system.yaml', import.meta.url), 'utf8').replace('database: notifications\n', `${database}\n`));
    const run = generate(dir);
    expect(run.status).toBe(2);
    const line = readFileSync(join(dir, 'system.yaml'), 'utf8').split('\n').findIndex((l) => l.includes(database)) + 1;
    expect(run.stderr).toContain(`system.yaml:${line}:`);
    expect(run.stderr).toContain("service 'notification': the generated Python service stores its data in PostgreSQL; engine 'mysql' is not supported yet");
    expect(run.stderr).toContain('a Python service has no embedded database');
    expect(readdirSync(dir)).toEqual(['system.yaml']);
  });

  it('refuses a Python service with events on Kafka, which its event layer does not speak: at its runtime, exit 2, nothing written', () => {
    const dir = project(readFileSync(new URL('../examples/taskflow/system.yaml', import.meta.url), 'utf8').replace('broker: nats\n', 'broker: kafka\n'));
    const run = generate(dir);
    expect(run.status).toBe(2);
    const yaml = readFileSync(join(dir, 'system.yaml'), 'utf8').split('\n');
    const line = yaml.findIndex((l) => l.includes('runtime: python'));
    expect(run.stderr).toContain(`system.yaml:${line + 1}:${yaml[line]!.indexOf('python') + 1}`);
    expect(run.stderr).toContain("service 'notification' subscribes to events, but the event layer of a Python service speaks RabbitMQ and NATS JetStream, not Kafka");
    expect(run.stderr).toContain("use `runtime: node` for 'notification'");
    expect(readdirSync(dir)).toEqual(['system.yaml']);
  });

  it.each(examples)('renders %s deterministically and then reports it current', (name) => {
    const a = project(name);
    const b = project(name);
    expect(generate(a)).toMatchObject({ status: 0 });
    expect(generate(b)).toMatchObject({ status: 0 });
    const first = snapshot(a);
    expect(first.size).toBeGreaterThan(10);
    expect(snapshot(b)).toEqual(first);
    expect(generate(a, '--check')).toMatchObject({ status: 0, stdout: expect.stringContaining('nothing to do') });
    expect(generate(a)).toMatchObject({ status: 0, stdout: expect.stringContaining('nothing to do') });
    expect(snapshot(a)).toEqual(first);
    // A change to system.yaml that changes no output (a comment) renders again and finds every file current.
    writeFileSync(join(a, 'system.yaml'), readFileSync(join(a, 'system.yaml'), 'utf8') + '# reviewed\n');
    expect(generate(a, '--check')).toMatchObject({ status: 0, stdout: expect.stringContaining('are up to date') });
    const again = generate(a);
    expect(again).toMatchObject({ status: 0, stdout: expect.stringMatching(/0 created, 0 updated, 0 deleted/) });
    expect(generate(a)).toMatchObject({ status: 0, stdout: expect.stringContaining('nothing to do') });
  });

  it('marks generated files and records them in the manifest', () => {
    const dir = project('ecommerce');
    generate(dir);
    const manifest = JSON.parse(readFileSync(join(dir, '.taskflow/manifest.json'), 'utf8')) as { files: Record<string, { owner: string }> };
    for (const [path, entry] of Object.entries(manifest.files)) {
      const content = readFileSync(join(dir, path), 'utf8');
      if (entry.owner === 'generator' && !path.endsWith('.json')) expect(content, path).toContain('Generated by taskflow-gen from system.yaml');
    }
    expect(manifest.files['docker-compose.yml']?.owner).toBe('generator');
    expect(manifest.files['.env']?.owner).toBe('user');
  });

  it('refuses to overwrite an edited generated file, names it, and restores it with --force', () => {
    const dir = project('checkout');
    generate(dir);
    const before = snapshot(dir);
    const compose = join(dir, 'docker-compose.yml');
    writeFileSync(compose, readFileSync(compose, 'utf8') + '# my tweak\n');
    const check = generate(dir, '--check');
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/conflict +docker-compose\.yml {2}\(edited since it was generated\)/);
    expect(check.stdout).toContain('-# my tweak');
    writeFileSync(join(dir, 'system.yaml'), readFileSync(join(dir, 'system.yaml'), 'utf8').replace('description: ', 'description: Changed - '));
    const refused = generate(dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/conflict docker-compose\.yml/);
    expect(refused.stderr).toContain('nothing written');
    expect(readFileSync(compose, 'utf8')).toContain('# my tweak');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(before.get('README.md'));
    expect(generate(dir, '--force').status).toBe(0);
    expect(readFileSync(compose, 'utf8')).not.toContain('# my tweak');
    expect(generate(dir, '--check').status).toBe(0);
  });

  it('never overwrites a user-owned file', () => {
    const dir = project('taskflow');
    generate(dir);
    writeFileSync(join(dir, '.env'), 'JWT_SECRET=mine\n');
    expect(generate(dir).status).toBe(0);
    expect(generate(dir, '--force').status).toBe(0);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('JWT_SECRET=mine\n');
    expect(generate(dir, '--check').status).toBe(0);
  });

  it('deletes the generated files of a removed service and keeps everything hand-written', () => {
    const dir = project('ecommerce');
    generate(dir);
    const hand = join(dir, 'services/search/src/my-ranking.ts');
    mkdirSync(join(dir, 'services/search/src'), { recursive: true });
    writeFileSync(hand, 'export const boost = 2;\n');
    const searchFiles = [...snapshot(dir).keys()].filter((p) => /(^|\/)search([./]|$)/.test(p) && !p.startsWith('services/'));
    expect(searchFiles.length).toBeGreaterThan(0);
    const system = load(readFileSync(join(dir, 'system.yaml'), 'utf8')) as { services: Record<string, unknown>; teams: Record<string, string[]> };
    delete system.services['search'];
    system.teams['catalog'] = ['product'];
    writeFileSync(join(dir, 'system.yaml'), dump(system));
    const loaded = runCli(['validate', 'system.yaml'], { cwd: dir });
    expect(loaded.status, loaded.stderr).toBe(0);
    const result = generate(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/delete +\S*search/);
    for (const path of searchFiles) expect(existsSync(join(dir, path)), path).toBe(false);
    expect(readFileSync(hand, 'utf8')).toBe('export const boost = 2;\n');
    expect(generate(dir, '--check').status).toBe(0);
  });

  it('--dry-run prints the plan and writes nothing', () => {
    const dir = project('order-saga');
    const result = generate(dir, '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^create +docker-compose\.yml$/m);
    expect(readdirSync(dir)).toEqual(['system.yaml']);
  });

  it('refuses an output directory that is a file, unwritable, or reached through a link outside it (exit 2)', () => {
    const dir = project('taskflow');
    writeFileSync(join(dir, 'afile'), 'x');
    expect(generate(dir, '--out', 'afile')).toMatchObject({ status: 2, stderr: expect.stringContaining('is a file, not a directory') });
    expect(generate(dir, '--out', '/proc/self/taskflow-out')).toMatchObject({ status: 2, stderr: expect.stringContaining('is not writable') });
    const elsewhere = mkdtempSync(join(scratch, 'elsewhere-'));
    symlinkSync(elsewhere, join(dir, 'k8s'));
    const linked = generate(dir);
    expect(linked).toMatchObject({ status: 2, stderr: expect.stringMatching(/k8s\/.* would be written outside/) });
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(join(dir, 'docker-compose.yml'))).toBe(false);
  });

  it('takes a migration that a run stopped before recording it left behind, instead of writing it again under the next number', () => {
    const v1 = 'version: 1\nname: shop\nbroker: none\nservices:\n  catalog:\n    database: catalog\n    entities:\n      Product: { name: string }\n';
    const v2 = v1.replace('Product: { name: string }', 'Product: { name: string, brand: string? }');
    const dir = project(v1);
    expect(generate(dir).status).toBe(0);
    // What a complete run of v2 writes, rendered elsewhere; the stopped run got as far as the migration, not its snapshot or manifest.
    const complete = project(v1);
    expect(generate(complete).status).toBe(0);
    writeFileSync(join(complete, 'system.yaml'), v2);
    expect(generate(complete).status).toBe(0);
    const migration = 'services/catalog/migrations/0003_products_add_brand.sql';
    writeFileSync(join(dir, migration), readFileSync(join(complete, migration), 'utf8'));
    writeFileSync(join(dir, 'system.yaml'), v2);
    const resumed = generate(dir);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readdirSync(join(dir, 'services/catalog/migrations')).filter((f) => f.endsWith('.sql'))).toEqual(['0001_platform.sql', '0002_create_products.sql', '0003_products_add_brand.sql']);
    const generatedOnly = (files: Map<string, string>) => new Map([...files].filter(([path]) => path.startsWith('.taskflow/') || path.includes('/migrations/')));
    expect(generatedOnly(snapshot(dir))).toEqual(generatedOnly(snapshot(complete)));
    expect(generate(dir, '--check').status).toBe(0);
  });

  it('leaves old or new files, never half-written ones, when killed while writing', async () => {
    const dir = project(syntheticSystem(300));
    expect(generate(dir).status).toBe(0);
    const old = snapshot(dir);
    writeFileSync(join(dir, 'system.yaml'), syntheticSystem(300).replace('rateLimit: 100/min', 'rateLimit: 50/min').replace(/database: db(\d+)/g, 'database: store$1'));
    const child = spawn(process.execPath, [cliPath, 'generate'], { cwd: dir, stdio: 'ignore' });
    // Kill as soon as the first rewritten files appear, while the rest are still being written. No deadline of
    // its own: rendering 300 services before the first write can take longer than any guess on a busy machine,
    // and the run ending (or the test's timeout) ends the watch.
    const composeBefore = statSync(join(dir, 'docker-compose.yml')).mtimeMs;
    let killed = false;
    while (child.exitCode === null && child.signalCode === null) {
      if (statSync(join(dir, 'docker-compose.yml')).mtimeMs !== composeBefore) {
        child.kill('SIGKILL');
        killed = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
    expect(killed, 'the run finished before it could be interrupted').toBe(true);
    // The complete new tree, rendered elsewhere.
    const reference = project(readFileSync(join(dir, 'system.yaml'), 'utf8'));
    expect(generate(reference).status).toBe(0);
    const fresh = snapshot(reference);
    let changed = 0;
    for (const [path, content] of snapshot(dir)) {
      if (path.includes('.taskflow-tmp-')) continue;
      if (path === 'system.yaml') continue;
      const options = [old.get(path), fresh.get(path)].filter((c) => c !== undefined);
      expect(options, `${path} is neither the old nor the new file`).toContain(content);
      if (content !== old.get(path)) changed++;
    }
    expect(changed).toBeGreaterThan(0);
    // The next run finishes the job and cleans up.
    expect(generate(dir).status).toBe(0);
    const finished = snapshot(dir);
    expect([...finished.keys()].some((p) => p.includes('.taskflow-tmp-'))).toBe(false);
    // User-owned files (.env, .gitignore) stay the first run's, and the manifest remembers that; everything generated matches a clean run.
    const generated = (files: Map<string, string>) => new Map([...files].filter(([path]) => generatedPaths.has(path)));
    const manifest = JSON.parse(fresh.get('.taskflow/manifest.json')!) as { files: Record<string, { owner: string }> };
    const generatedPaths = new Set([...Object.entries(manifest.files).filter(([, e]) => e.owner === 'generator').map(([p]) => p)]);
    expect(generated(finished)).toEqual(generated(fresh));
    // Four renders of a 300-service system: well under a minute on a quiet machine, more when the machine is busy.
  }, 300_000);
});
