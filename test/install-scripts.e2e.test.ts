import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeVersions } from '../src/render/node/versions.js';
import { repoRoot } from './support/cli.js';
import { exampleNames, exampleYaml, renderYaml } from './support/render/render.js';

/**
 * npm 11.19 runs a dependency's install scripts only when package.json's
 * `allowScripts` approves it, skips the others and warns about each one not
 * yet decided on ("install scripts not yet covered by allowScripts"). The tool
 * and every package.json it renders decide on each dependency that has one,
 * so that installs are quiet and do the same on every machine. Older npm
 * versions ignore the field.
 */

const run = promisify(execFile);

interface Lockfile {
  readonly packages: Readonly<Record<string, { readonly hasInstallScript?: boolean; readonly version?: string }>>;
}

/** Packages of a lockfile that have an install script (npm records it from the installed manifests), by name. */
function withInstallScripts(lock: Lockfile): string[] {
  return [
    ...new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
        .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
    ),
  ].sort();
}

function allowScripts(packageJson: string): Record<string, boolean> {
  return (JSON.parse(packageJson) as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
}

describe('install scripts of the tool', () => {
  it("package.json decides on every dependency of its lockfile that has an install script (@scarf/scarf's telemetry: denied)", () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lockfile;
    const decided = allowScripts(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const scripted = withInstallScripts(lock);
    expect(scripted).toContain('@scarf/scarf');
    expect(scripted.filter((name) => !(name in decided))).toEqual([]);
    expect(decided['@scarf/scarf']).toBe(false);
  });
});

describe('install scripts of generated systems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-install-scripts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every package a generated service or gateway can pin, installed for real: npm warns of no install script, and each rendered package.json decides on any there is', async () => {
    // Every package any rendered package.json can name, at its pinned version: a superset of each system's tree.
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'every-generated-dependency', private: true, dependencies: nodeVersions }, null, 2)}\n`);
    const { stdout, stderr } = await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    const scripted = withInstallScripts(JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as Lockfile);
    expect(`${stdout}${stderr}`).not.toMatch(/install.scripts/i);
    const listed = await run('npm', ['install-scripts', 'ls'], { cwd: dir });
    expect(listed.stdout).toContain('No packages with unreviewed install scripts.');
    for (const example of exampleNames) {
      const tree = renderYaml(exampleYaml(example));
      const manifests = tree.files().filter((file) => file.path === 'package.json' || file.path.endsWith('/package.json'));
      expect(manifests.length, example).toBeGreaterThan(0);
      for (const manifest of manifests) {
        const decided = allowScripts(manifest.content);
        expect(scripted.filter((name) => !(name in decided)), `${example}: ${manifest.path}`).toEqual([]);
      }
    }
  }, 600_000);
});
