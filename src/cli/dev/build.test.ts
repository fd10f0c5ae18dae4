import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/cli.js';
import { processesIn } from '../../../test/support/dev.js';
import { buildFolder, BuildError, foldersToBuild, install, installNeeded, preparePython, pythonNeeded, TypeChecks, venvPython } from './build.js';
import { Ledger } from './ledger.js';

describe('dev install and build: only what changed', () => {
  const root = mkdtempSync(join(tmpdir(), 'tf-dev-build-'));
  const devDir = join(root, '.taskflow', 'dev');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('installs when node_modules is missing or a package.json changed, and not otherwise', async () => {
    mkdirSync(join(root, 'services', 'a', 'src'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'w', private: true, workspaces: ['services/a'] }));
    writeFileSync(join(root, 'services', 'a', 'package.json'), JSON.stringify({ name: 'w-a', version: '1.0.0', private: true }));
    expect(installNeeded(root, devDir)).toBe(true);
    const lines: string[] = [];
    await install(root, devDir, (line) => lines.push(line));
    expect(installNeeded(root, devDir)).toBe(false);
    writeFileSync(join(root, 'services', 'a', 'package.json'), JSON.stringify({ name: 'w-a', version: '1.0.1', private: true, type: 'module' }));
    expect(installNeeded(root, devDir)).toBe(true);
    await install(root, devDir, () => undefined);
    expect(installNeeded(root, devDir)).toBe(false);
  }, 120_000);

  it('builds a folder once, again only when its sources change; a syntax error fails it, a type error is for the type check', async () => {
    symlinkSync(join(repoRoot, 'node_modules', 'typescript'), join(root, 'node_modules', 'typescript'));
    const folder = 'services/a';
    writeFileSync(join(root, folder, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, outDir: 'dist', rootDir: '.', module: 'NodeNext', target: 'ES2022', types: [], isolatedModules: true }, include: ['src'] }));
    writeFileSync(join(root, folder, 'src', 'main.ts'), 'export const answer: number = 42;\n');
    writeFileSync(join(root, folder, 'src', 'legacy.cts'), 'export const old: number = 1;\n');
    expect(foldersToBuild(root, devDir, [folder])).toEqual([folder]);
    await buildFolder(root, devDir, folder);
    // An ES module, as the package's "type" says (tsc's own emit under nodenext), and CommonJS for .cts.
    expect(readFileSync(join(root, folder, 'dist', 'src', 'main.js'), 'utf8')).toBe('export const answer = 42;\n');
    expect(readFileSync(join(root, folder, 'dist', 'src', 'legacy.cjs'), 'utf8')).toContain('exports.old = 1;');
    expect(foldersToBuild(root, devDir, [folder])).toEqual([]);
    // The run's ledger holds the compiler while it checks (a killed dev's next run stops it), and not after.
    const ledgerFile = join(devDir, 'run.json');
    const ledger = new Ledger(ledgerFile);
    const typeChecks = new TypeChecks(root, ledger);
    const checking = typeChecks.run(folder);
    expect((JSON.parse(readFileSync(ledgerFile, 'utf8')) as { groups: { single?: boolean }[] }).groups).toMatchObject([{ single: true }]);
    expect(await checking).toBeUndefined();
    expect((JSON.parse(readFileSync(ledgerFile, 'utf8')) as { groups: unknown[] }).groups).toEqual([]);

    writeFileSync(join(root, folder, 'src', 'main.ts'), 'export const answer: number = "no";\n');
    expect(foldersToBuild(root, devDir, [folder])).toEqual([folder]);
    await buildFolder(root, devDir, folder);
    expect(await typeChecks.run(folder)).toMatch(/src\/main\.ts\(1,14\): error TS2322/);
    // dev stopping stops the check running, and none starts after; stop() resolves once the compiler has exited.
    const stopping = new TypeChecks(root, ledger);
    const stopped = stopping.run(folder);
    await expect.poll(() => processesIn(join(root, folder)).length).toBe(1);
    await stopping.stop();
    expect(processesIn(join(root, folder))).toEqual([]);
    expect(await stopped).toBeUndefined();
    expect(await stopping.run(folder)).toBeUndefined();

    writeFileSync(join(root, folder, 'src', 'main.ts'), 'export const answer: number = ;\n');
    const failed = await buildFolder(root, devDir, folder).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(BuildError);
    expect((failed as Error).message).toMatch(/services\/a does not compile:\nservices\/a\/src\/main\.ts: Expression expected/);
    expect(foldersToBuild(root, devDir, [folder])).toEqual([folder]);
  }, 240_000);

  it('makes a Python service\'s virtual environment and installs its requirements once, again only when requirements.txt changes', async () => {
    const folder = 'services/py';
    mkdirSync(join(root, folder), { recursive: true });
    // pip itself: a requirement every new venv satisfies, so no download, and pip still says what it did.
    writeFileSync(join(root, folder, 'requirements.txt'), 'pip\n');
    expect(pythonNeeded(root, devDir, 'py', folder)).toBe(true);
    const first: string[] = [];
    await preparePython(root, devDir, 'py', folder, (line) => first.push(line));
    expect(first.join('\n')).toMatch(/Requirement already satisfied: pip/);
    const python = venvPython(devDir, 'py');
    expect(python).toBe(join(devDir, 'py', 'venv', 'bin', 'python'));
    expect(pythonNeeded(root, devDir, 'py', folder)).toBe(false);
    const made = statSync(join(devDir, 'py', 'venv', 'pyvenv.cfg')).mtimeMs;

    writeFileSync(join(root, folder, 'requirements.txt'), 'pip\nsetuptools; python_version < "3"\n');
    expect(pythonNeeded(root, devDir, 'py', folder)).toBe(true);
    const second: string[] = [];
    await preparePython(root, devDir, 'py', folder, (line) => second.push(line));
    expect(second.join('\n')).toMatch(/Ignoring setuptools: markers 'python_version < "3"' don't match your environment/);
    expect(pythonNeeded(root, devDir, 'py', folder)).toBe(false);
    // The same venv, its requirements added to it, not made again.
    expect(statSync(join(devDir, 'py', 'venv', 'pyvenv.cfg')).mtimeMs).toBe(made);

    writeFileSync(join(root, folder, 'requirements.txt'), 'no-such-package-for-taskflow-dev===0.0.0; python_version < "3"\nthis is not a requirement\n');
    const failed = await preparePython(root, devDir, 'py', folder, () => undefined).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(BuildError);
    expect((failed as Error).message).toMatch(/^pip install for py failed:\n/);
    expect(pythonNeeded(root, devDir, 'py', folder)).toBe(true);
  }, 240_000);
});
