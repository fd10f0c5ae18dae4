import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';

/**
 * `npx taskflow-gen` run in a checkout (the README's first command) links the
 * checkout into npx's cache and runs its `prepare` script. That must not
 * delete and rebuild the dist/ that `npm install` built: a CLI started from
 * it meanwhile fails with "Cannot find module dist/cli/main.js", as the tests
 * did when the README's quick start ran beside them. Here on a copy of this
 * checkout (its dist/ as global-setup built it, its node_modules linked), with
 * an npm cache of its own, so npx links it as it does a fresh clone.
 */

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const parts = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'scripts', 'schema', 'templates', 'dist'];

let dir: string;
let checkout: string;
const mainJs = (): { ino: number; mtimeMs: number } => {
  const { ino, mtimeMs } = statSync(join(checkout, 'dist', 'cli', 'main.js'));
  return { ino, mtimeMs };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tf-build-script-'));
  checkout = join(dir, 'checkout');
  for (const part of parts) cpSync(join(repoRoot, part), join(checkout, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(checkout, 'node_modules'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the build and npm prepare', () => {
  it('npx taskflow-gen in a checkout runs the CLI without rebuilding the dist/ it was installed with', () => {
    const before = mainJs();
    const env = { ...process.env, npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false' };
    const run = spawnSync('npx', ['taskflow-gen', '--version'], { cwd: checkout, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    // npx did link this checkout and run its prepare (otherwise the test proves nothing).
    const npx = join(dir, 'npm-cache', '_npx');
    expect(readdirSync(npx).map((entry) => readFileSync(join(npx, entry, 'package.json'), 'utf8'))).toEqual([expect.stringContaining(`"taskflow-gen": "file:`)]);
    expect(mainJs()).toEqual(before);
  }, 180_000);

  it('prepare builds again once a source changed, and then not again', () => {
    const before = mainJs();
    appendFileSync(join(checkout, 'src', 'cli', 'main.ts'), '\nexport const buildProbe = 1;\n');
    execFileSync('npm', ['run', 'prepare', '--silent'], { cwd: checkout, stdio: 'pipe' });
    const rebuilt = mainJs();
    expect(rebuilt.ino === before.ino && rebuilt.mtimeMs === before.mtimeMs).toBe(false);
    expect(readFileSync(join(checkout, 'dist', 'cli', 'main.js'), 'utf8')).toContain('export const buildProbe = 1;');
    execFileSync('npm', ['run', 'prepare', '--silent'], { cwd: checkout, stdio: 'pipe' });
    expect(mainJs()).toEqual(rebuilt);
  }, 300_000);
});
