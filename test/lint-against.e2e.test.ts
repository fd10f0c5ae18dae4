import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { cliPath, runCli } from './support/cli.js';

// ajv-draft-04 is CommonJS whose module.exports is the class itself.
const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as typeof import('ajv-draft-04').default;

interface JsonReport {
  findings: { ruleId: string; severity: string; message: string; services: string[]; line: number; column: number }[];
  errorCount: number;
  warningCount: number;
}

// The ecommerce example is lint-clean, so every finding below is the comparison's.
const before = readFileSync(new URL('../examples/ecommerce/system.yaml', import.meta.url), 'utf8');
/** Product loses `currency`, which order reads through GET /products/{id}. */
const after = edit(before, '        currency: string\n', '');
const entityLine = lineOf(after, '      Product:');

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`no '${from}' to edit`);
  return text.replace(from, to);
}

function lineOf(text: string, line: string): number {
  return text.split('\n').indexOf(line) + 1;
}

const scratch = mkdtempSync(join(tmpdir(), 'taskflow-against-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const json = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport;

describe('taskflow-gen lint --against', () => {
  it('reports what breaks a consumer of the older file, positioned in the new one', () => {
    const dir = project('file', { 'old.yaml': before, 'system.yaml': after });
    const result = runCli(['lint', join(dir, 'system.yaml'), '--against', join(dir, 'old.yaml'), '--format', 'json']);
    expect(result.status).toBe(1);
    const report = json(result.stdout);
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.line, f.column])).toEqual([
      ['breaking-change', 'error', entityLine, 7],
      ['breaking-change', 'error', entityLine, 7],
    ]);
    expect(report.findings.map((f) => f.message)).toEqual([
      'field Product.currency is removed; breaks order, which calls GET /products/{id} and reads `currency`',
      'field Product.currency is removed: its column and the value of every existing row would be dropped; generate refuses this (run generate with --allow-data-loss to drop it deliberately; if it was renamed, write `renamedFrom: currency` in the new field)',
    ]);
    expect(report.findings[0]!.services).toEqual(['product', 'order']);
  });

  it('is silent without --against, and on an unchanged file', () => {
    const dir = project('silent', { 'old.yaml': before, 'system.yaml': after, 'same.yaml': before });
    expect(json(runCli(['lint', join(dir, 'system.yaml'), '--format', 'json']).stdout).findings).toEqual([]);
    const same = runCli(['lint', join(dir, 'same.yaml'), '--against', join(dir, 'old.yaml'), '--format', 'json']);
    expect(same.status).toBe(0);
    expect(json(same.stdout).findings).toEqual([]);
  });

  describe('against a git revision', () => {
    let repo: string;
    beforeAll(() => {
      const git = spawnSync('git', ['--version']);
      if (git.error) throw new Error('these tests need git (Debian package git: apt-get install git)');
      repo = project('repo', { 'system.yaml': before });
      const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, stdio: 'pipe' });
      run('init', '-q', '-b', 'main');
      run('add', 'system.yaml');
      run('commit', '-q', '-m', 'before');
      writeFileSync(join(repo, 'system.yaml'), after);
    });

    it('reads system.yaml at that revision with git show, from anywhere', () => {
      for (const ref of ['HEAD', 'main']) {
        const result = runCli(['lint', join(repo, 'system.yaml'), '--against', ref, '--format', 'json'], { cwd: scratch });
        expect(result.status, result.stderr).toBe(1);
        expect(json(result.stdout).findings.map((f) => [f.ruleId, f.line, f.message.split(';')[0]])).toEqual([
          ['breaking-change', entityLine, 'field Product.currency is removed'],
          ['breaking-change', entityLine, 'field Product.currency is removed: its column and the value of every existing row would be dropped'],
        ]);
      }
    });

    it('is silent, with a note, at a revision that has no system.yaml yet (the pull request that adds it)', () => {
      const fresh = project('fresh', { 'README.md': '# shop\n' });
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: fresh, stdio: 'pipe' });
      git('init', '-q', '-b', 'main');
      git('add', 'README.md');
      git('commit', '-q', '-m', 'readme');
      writeFileSync(join(fresh, 'system.yaml'), after);
      const result = runCli(['lint', join(fresh, 'system.yaml'), '--against', 'main', '--format', 'json']);
      expect(result.status, result.stderr).toBe(0);
      expect(json(result.stdout).findings).toEqual([]);
      expect(result.stderr).toMatch(/system\.yaml does not exist at main: nothing to compare it with/);
    });

    it('exits 2 with a clear message for a revision git does not know', () => {
      const result = runCli(['lint', join(repo, 'system.yaml'), '--against', 'no-such-branch']);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^no-such-branch:\S*system\.yaml:1:1 {2}--against no-such-branch: no such file, and git cannot show system\.yaml at that revision \(fatal: .*\) {2}\(pass an older system\.yaml/m);
    });
  });

  it('exits 2 for an invalid older file, positioned in that file', () => {
    const dir = project('invalid', { 'old.yaml': 'version: 1\nname: shop\nservices:\n  a: { runtime: cobol }\n', 'system.yaml': after });
    const result = runCli(['lint', join(dir, 'system.yaml'), '--against', join(dir, 'old.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/old\.yaml:4:17 {2}services\.a\.runtime must be one of node, python/);
  });

  it('follows lint.rules severities, --max-warnings and lint.ignore like every rule', () => {
    const warned = `${after}\nlint:\n  rules:\n    breaking-change: warn\n`;
    const ignored = edit(after, '    publishes: [ProductChanged]\n', '    publishes: [ProductChanged]\n    lint: { ignore: [{ rule: breaking-change, reason: order moves to the new price first }] }\n');
    const dir = project('settings', { 'old.yaml': before, 'warned.yaml': warned, 'ignored.yaml': ignored });
    const lintIt = (file: string, ...args: string[]) => runCli(['lint', join(dir, file), '--against', join(dir, 'old.yaml'), '--format', 'json', ...args]);
    const asWarnings = lintIt('warned.yaml');
    expect(asWarnings.status).toBe(0);
    expect(json(asWarnings.stdout)).toMatchObject({ errorCount: 0, warningCount: 2 });
    expect(lintIt('warned.yaml', '--max-warnings', '1').status).toBe(1);
    expect(lintIt('warned.yaml', '--max-warnings', '2').status).toBe(0);
    const silenced = lintIt('ignored.yaml');
    expect(silenced.status).toBe(0);
    expect(json(silenced.stdout).findings).toEqual([]);
  });

  it('writes SARIF 2.1.0 that validates against the SARIF schema, located in the new file', () => {
    const dir = project('sarif', { 'old.yaml': before, 'system.yaml': after });
    const output = join(dir, 'lint.sarif');
    const result = runCli(['lint', join(dir, 'system.yaml'), '--against', join(dir, 'old.yaml'), '--format', 'sarif', '--output', output]);
    expect(result).toMatchObject({ status: 1, stdout: '' });
    const log = JSON.parse(readFileSync(output, 'utf8')) as {
      runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    const schemaFile = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = log.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region.startLine, r.locations[0]!.physicalLocation.region.startColumn])).toEqual([
      ['breaking-change', 'error', entityLine, 7],
      ['breaking-change', 'error', entityLine, 7],
    ]);
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/system\.yaml$/);
  });
});

/**
 * The lint step of the generated architecture workflow, run as GitHub runs it:
 * its `run` script under `bash -eo pipefail` in a checkout made as
 * actions/checkout@v4 makes it with the workflow's `fetch-depth: 0` (every
 * branch of the remote under origin/, the pull request's head detached), with
 * the step's env as GitHub evaluates it (`github.base_ref` is the base branch
 * on a pull request, empty on a push). The published tool is this build.
 */
describe('the generated architecture workflow runs lint --against the pull request base branch', () => {
  let origin: string;
  let lintStep: { run: string; env: Record<string, string> };
  const sarif = 'taskflow-lint.sarif';

  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'advice.detachedHead=false', ...args], { cwd, stdio: 'pipe', encoding: 'utf8' });

  beforeAll(() => {
    origin = join(scratch, 'origin.git');
    git(scratch, 'init', '-q', '--bare', '-b', 'main', origin);
    const work = project('team', { 'system.yaml': before });
    expect(runCli(['generate', 'system.yaml'], { cwd: work }).status).toBe(0);
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'the system');
    git(work, 'remote', 'add', 'origin', origin);
    git(work, 'push', '-q', 'origin', 'main');
    git(work, 'checkout', '-q', '-b', 'drop-currency');
    writeFileSync(join(work, 'system.yaml'), after);
    expect(runCli(['generate', 'system.yaml', '--allow-data-loss'], { cwd: work }).status).toBe(0);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'drop currency');
    git(work, 'push', '-q', 'origin', 'drop-currency');
    const workflow = load(readFileSync(join(work, '.github/workflows/architecture.yml'), 'utf8')) as { jobs: { architecture: { steps: { id?: string; run: string; env: Record<string, string> }[] } } };
    const step = workflow.jobs.architecture.steps.find((s) => s.id === 'lint')!;
    expect(step.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(workflow.jobs.architecture.steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    lintStep = step;
  });

  /** A checkout of `branch` as actions/checkout@v4 makes it (`fetchDepth` 0: the whole history of every branch). */
  function checkout(name: string, branch: string, fetchDepth: number): string {
    const dir = join(scratch, name);
    if (fetchDepth === 0) git(scratch, 'clone', '-q', '--no-checkout', `file://${origin}`, dir);
    else git(scratch, 'clone', '-q', '--no-checkout', `--depth=${fetchDepth}`, '--single-branch', '--branch', branch, `file://${origin}`, dir);
    git(dir, 'checkout', '-q', '--detach', `origin/${branch}`);
    return dir;
  }

  /** Runs the lint step's script in `dir` with BASE_REF as GitHub sets it, the CLI of this build standing in for npx's. */
  function runStep(dir: string, baseRef: string): { status: number; output: string } {
    const script = lintStep.run.replace(/^npx --yes taskflow-gen@\S+/, `node ${JSON.stringify(cliPath)}`);
    expect(script).not.toBe(lintStep.run);
    try {
      const output = execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: dir, env: { PATH: process.env['PATH'], HOME: process.env['HOME'], BASE_REF: baseRef }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: 0, output };
    } catch (error) {
      const failure = error as { status: number; stdout: string; stderr: string };
      return { status: failure.status, output: failure.stdout + failure.stderr };
    }
  }

  const results = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, sarif), 'utf8')) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] }).runs[0]!.results;

  it('on a pull request: fails, with the consumer the change breaks in the SARIF it uploads', () => {
    const dir = checkout('pr', 'drop-currency', 0);
    const step = runStep(dir, 'main');
    expect(step.status, step.output).toBe(1);
    expect(results(dir).map((r) => [r.ruleId, r.message.text.split(';')[0]])).toEqual([
      ['breaking-change', 'field Product.currency is removed'],
      ['breaking-change', 'field Product.currency is removed: its column and the value of every existing row would be dropped'],
    ]);
    expect(results(dir)[0]!.message.text).toContain('breaks order, which calls GET /products/{id} and reads `currency`');
  });

  it('on a push (no base branch): lints without comparing', () => {
    const dir = checkout('push', 'drop-currency', 0);
    const step = runStep(dir, '');
    expect(step.status, step.output).toBe(0);
    expect(results(dir)).toEqual([]);
  });

  it('needs the whole history: a default shallow checkout (fetch-depth 1) cannot see the base branch', () => {
    const dir = checkout('shallow', 'drop-currency', 1);
    const step = runStep(dir, 'main');
    expect(step.status).toBe(2);
    expect(step.output).toMatch(/--against origin\/main: no such file, and git cannot show system\.yaml at that revision/);
  });
});
