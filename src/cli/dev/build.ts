import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import type { Ledger } from './ledger.js';

/**
 * Install and build, each only when its inputs changed since the last run of
 * dev (stamps in `.taskflow/dev/stamps.json`): one `npm install` at the root of
 * the workspace, `tsc` for each Node.js folder whose sources changed, and a
 * virtual environment per Python service with its requirements.
 */

interface Stamps {
  install?: string;
  build?: Record<string, string>;
  python?: Record<string, string>;
}

export class BuildError extends Error {}

export function stampsFile(devDir: string): string {
  return join(devDir, 'stamps.json');
}

function readStamps(devDir: string): Stamps {
  try {
    return JSON.parse(readFileSync(stampsFile(devDir), 'utf8')) as Stamps;
  } catch {
    return {};
  }
}

function writeStamps(devDir: string, stamps: Stamps): void {
  mkdirSync(devDir, { recursive: true });
  writeFileSync(stampsFile(devDir), JSON.stringify(stamps, null, 2) + '\n');
}

/** sha256 over the named files and every file under the named folders (path and content). */
function digestOf(root: string, entries: readonly string[]): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules' && name !== 'dist' && name !== 'data' && name !== '__pycache__') visit(join(path, name));
      return;
    }
    hash.update(`${relative(root, path)}\0`).update(readFileSync(path)).update('\0');
  };
  for (const entry of entries) visit(join(root, entry));
  return hash.digest('hex');
}

/** The Node.js folders of the workspace (root package.json `workspaces`). */
export function workspaceFolders(root: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
    return manifest.workspaces ?? [];
  } catch {
    return [];
  }
}

/** Whether the workspace needs `npm install`: no node_modules, or a package.json changed since the last install. */
export function installNeeded(root: string, devDir: string): boolean {
  if (workspaceFolders(root).length === 0) return false;
  return !existsSync(join(root, 'node_modules')) || readStamps(devDir).install !== installDigest(root);
}

function installDigest(root: string): string {
  return digestOf(root, ['package.json', 'package-lock.json', ...workspaceFolders(root).map((f) => `${f}/package.json`)]);
}

/** One `npm install` for every Node.js folder; each line npm prints goes to `progress`. */
export async function install(root: string, devDir: string, progress: (line: string) => unknown): Promise<void> {
  const child = execa('npm', ['install', '--no-audit', '--no-fund', '--loglevel=http'], { cwd: root, all: true, reject: false, buffer: { all: true }, stdin: 'ignore' });
  for await (const line of child.iterable({ from: 'all' })) progress(String(line));
  const result = await child;
  if (result.exitCode !== 0) throw new BuildError(`npm install failed in ${root} (exit ${result.exitCode}):\n${tail(String(result.all ?? ''))}`);
  writeStamps(devDir, { ...readStamps(devDir), install: installDigest(root) });
}

function buildDigest(root: string, folder: string): string {
  return digestOf(root, [`${folder}/src`, `${folder}/test`, `${folder}/tsconfig.json`, `${folder}/package.json`]);
}

/** The Node.js folders whose sources changed since their last build by dev (or that were never built). */
export function foldersToBuild(root: string, devDir: string, folders: readonly string[]): string[] {
  const built = readStamps(devDir).build ?? {};
  return folders.filter((f) => !existsSync(join(root, f, 'dist')) || built[f] !== buildDigest(root, f));
}

/**
 * Builds a Node.js folder for running: every TypeScript file of its tsconfig
 * transpiled to `dist/` by the workspace's own TypeScript, file by file
 * (the generated tsconfig sets isolatedModules and verbatimModuleSyntax, so
 * that is exactly what `tsc` would emit) and without type checking, which
 * TypeChecks does afterwards, off the critical path. A syntax error fails the build.
 */
export async function buildFolder(root: string, devDir: string, folder: string): Promise<void> {
  const ts = createRequire(join(root, 'package.json'))('typescript') as typeof import('typescript');
  const dir = join(root, folder);
  const digest = buildDigest(root, folder);
  const config = ts.readConfigFile(join(dir, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  if (config.error) throw new BuildError(`${folder}/tsconfig.json: ${ts.flattenDiagnosticMessageText(config.error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dir);
  const outDir = parsed.options.outDir ?? join(dir, 'dist');
  const rootDir = parsed.options.rootDir ?? dir;
  const problems: string[] = [];
  // Under node16/nodenext a file's module format follows its extension and the package's "type", which
  // transpileModule does not look up on its own: say it, as ESNext or CommonJS, file by file.
  const nodeModules = parsed.options.module !== undefined && parsed.options.module >= ts.ModuleKind.Node16 && parsed.options.module <= ts.ModuleKind.NodeNext;
  const packageType = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string }).type;
  const formatOf = (file: string): import('typescript').ModuleKind | undefined => {
    if (!nodeModules) return parsed.options.module;
    const esm = file.endsWith('.mts') || (!file.endsWith('.cts') && packageType === 'module');
    return esm ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS;
  };
  for (const file of parsed.fileNames.filter((f) => /\.(c|m)?ts$/.test(f) && !/\.d\.(c|m)?ts$/.test(f))) {
    // moduleResolution only matters to the type check; node16/nodenext resolution would insist on the same module option.
    const module = formatOf(file);
    const moduleResolution = !nodeModules ? parsed.options.moduleResolution : module === ts.ModuleKind.ESNext ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.Node10;
    const compilerOptions = { ...parsed.options, module, moduleResolution };
    const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file, reportDiagnostics: true });
    for (const d of output.diagnostics ?? []) problems.push(`${relative(root, file)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    const target = join(outDir, relative(rootDir, file)).replace(/\.(c|m)?ts$/, (ext) => ext.replace('ts', 'js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  if (problems.length > 0) throw new BuildError(`${folder} does not compile:\n${problems.join('\n')}`);
  const stamps = readStamps(devDir);
  writeStamps(devDir, { ...stamps, build: { ...stamps.build, [folder]: digest } });
}

/**
 * The type checks dev runs after a build, off the critical path: `tsc --noEmit` of a folder with the
 * workspace's TypeScript, at low priority. `stop` ends the ones running and resolves once their
 * compilers have exited, so that none outlives dev.
 */
export class TypeChecks {
  private readonly cancel = new AbortController();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly root: string,
    private readonly ledger: Ledger,
  ) {}

  get stopped(): boolean {
    return this.cancel.signal.aborted;
  }

  /** The compiler's messages when it finds errors; undefined when it finds none, or was stopped. */
  run(folder: string): Promise<string | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    const checked = this.check(folder);
    this.running.add(checked);
    const done = (): boolean => this.running.delete(checked);
    checked.then(done, done);
    return checked;
  }

  async stop(): Promise<void> {
    this.cancel.abort();
    await Promise.allSettled(this.running);
  }

  private async check(folder: string): Promise<string | undefined> {
    const tsc = join(this.root, 'node_modules', 'typescript', 'bin', 'tsc');
    // `nice` execs node in place: the pid recorded is the compiler's.
    const check = execa('nice', ['-n', '10', process.execPath, tsc, '--noEmit', '--pretty', 'false', '-p', join(this.root, folder)], { cwd: join(this.root, folder), all: true, reject: false, stdin: 'ignore', cancelSignal: this.cancel.signal });
    if (check.pid !== undefined) this.ledger.add(check.pid, 'single');
    const result = await check;
    if (check.pid !== undefined) this.ledger.remove(check.pid);
    return result.exitCode === 0 || result.isCanceled ? undefined : tail(String(result.all ?? ''));
  }
}

/** The Python of a service's virtual environment, `.taskflow/dev/<service>/venv`. */
export function venvPython(devDir: string, service: string): string {
  return join(devDir, service, 'venv', 'bin', 'python');
}

function requirementsDigest(root: string, folder: string): string {
  return digestOf(root, [`${folder}/requirements.txt`]);
}

/** Whether a Python service needs its virtual environment made, or its requirements installed: none yet, or requirements.txt changed since. */
export function pythonNeeded(root: string, devDir: string, service: string, folder: string): boolean {
  return !existsSync(venvPython(devDir, service)) || readStamps(devDir).python?.[service] !== requirementsDigest(root, folder);
}

/** Makes a Python service's virtual environment when missing and installs its requirements into it; each line pip prints goes to `progress`. */
export async function preparePython(root: string, devDir: string, service: string, folder: string, progress: (line: string) => unknown): Promise<void> {
  const python = venvPython(devDir, service);
  const venv = dirname(dirname(python));
  const digest = requirementsDigest(root, folder);
  mkdirSync(dirname(venv), { recursive: true });
  if (!existsSync(python)) {
    const made = await execa('python3', ['-m', 'venv', venv], { all: true, reject: false, stdin: 'ignore' });
    if (made.exitCode !== 0) throw new BuildError(`cannot make a virtual environment for ${service} (python3 -m venv, Debian package python3-venv):\n${tail(String(made.all ?? ''))}`);
  }
  const pip = execa(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', join(root, folder, 'requirements.txt')], { all: true, reject: false, buffer: { all: true }, stdin: 'ignore' });
  for await (const line of pip.iterable({ from: 'all' })) progress(String(line));
  const result = await pip;
  if (result.exitCode !== 0) throw new BuildError(`pip install for ${service} failed:\n${tail(String(result.all ?? ''))}`);
  const stamps = readStamps(devDir);
  writeStamps(devDir, { ...stamps, python: { ...stamps.python, [service]: digest } });
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
