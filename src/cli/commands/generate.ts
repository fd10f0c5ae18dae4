import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { lint } from '../../lint/lint.js';
import { renderSystem } from '../../render/render.js';
import { servicesWithoutCode, unsupportedFeatures } from '../../render/support.js';
import { codeRuntimes, targets } from '../../render/targets.js';
import { loadTemplates } from '../../render/templates.js';
import { systemSchemaText } from '../../validate/schema-file.js';
import { checkOutputDir, commit, generatedFilesIntact, OutputDirError, readCurrent } from '../../write/disk.js';
import { shortDiff } from '../../write/diff.js';
import { inputsDigest, manifestPath, parseManifest, type Manifest } from '../../write/manifest.js';
import { readHistory } from '../../write/history.js';
import { migrationProblems } from '../../render/migrations/plan.js';
import { count, isCurrent, isDrift, pathsToRead, planWrite, type Action, type Plan } from '../../write/plan.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { ExitCode, type Io } from '../io.js';
import { progress } from '../progress.js';
import type { RenderedFile } from '../../render/tree.js';
import { displayPath, readSystem, reportProblems } from '../read-system.js';
import { colorsFor } from '../style.js';
import { toolVersion } from '../version.js';

export interface GenerateOptions {
  /** Output directory; default: the folder of system.yaml. */
  readonly out?: string;
  readonly check: boolean;
  readonly dryRun: boolean;
  readonly force: boolean;
  /** Let through changes of the entities that drop or convert stored data. */
  readonly allowDataLoss?: boolean;
  /** Render from this text instead of the file's content (used by the edit commands' --dry-run). */
  readonly systemText?: string;
}

/**
 * `taskflow-gen generate`: load -> lint -> render into memory -> plan every
 * path -> write only when the plan has no conflict. `--check` and `--dry-run`
 * stop after the plan.
 */
export async function generateCommand(file: string, options: GenerateOptions, io: Io): Promise<number> {
  const c = colorsFor({ isTTY: io.outIsTTY });
  const outDir = resolve(options.out ?? dirname(file));
  const systemFile = relative(outDir, resolve(file)).split(sep).join('/');
  const templates = loadTemplates();
  const text = options.systemText ?? readIfPresent(file);
  const inputs = text === undefined ? undefined : inputsDigest([text, toolVersion(), templates.digest, systemFile, systemSchemaText()]);
  if (inputs !== undefined && upToDate(outDir, inputs)) {
    io.out(`${c.green('✔')} nothing to do: ${displayPath(file)} and the generated files are unchanged since the last run`);
    return ExitCode.ok;
  }
  const model = readSystem(file, io, text);
  if (!model) return ExitCode.badInput;
  const unsupported = unsupportedFeatures(model);
  if (unsupported.length > 0) {
    reportProblems(displayPath(file), unsupported, io, 'asks for what taskflow-gen cannot generate yet');
    return ExitCode.badInput;
  }
  const history = readHistory(outDir, model.services.map((s) => s.name), parseManifestIfReadable(outDir));
  const refused = migrationProblems(model, history, { allowDataLoss: options.allowDataLoss === true });
  if (refused.length > 0) {
    reportProblems(displayPath(file), refused, io, 'changes entities in a way that could fail on or lose existing rows; nothing written');
    return ExitCode.badInput;
  }
  const withoutCode = servicesWithoutCode(model, codeRuntimes);
  const warn = colorsFor({ isTTY: io.errIsTTY }).yellow;
  for (const d of withoutCode) io.err(formatDiagnostic({ ...d, message: `${warn('warning')}: ${d.message}` }));
  const result = lint(model);
  const state: { files: RenderedFile[]; plan?: Plan; error?: OutputDirError } = { files: [] };
  await progress(io, [
    {
      title: `Render ${model.services.length} services of ${model.file}`,
      task: () => {
        state.files = renderSystem({ model, lint: result, templates, systemFile, toolVersion: toolVersion(), codeRuntimes, systemSchema: systemSchemaText(), history }, targets).files();
      },
    },
    {
      title: 'Compare with the files on disk',
      task: () => {
        try {
          checkOutputDir(outDir, [...state.files.map((f) => f.path), manifestPath]);
          const manifest = parseManifest(readCurrent(outDir, [manifestPath]).get(manifestPath));
          state.plan = planWrite(state.files, manifest, readCurrent(outDir, pathsToRead(state.files, manifest)), { force: options.force, ...(inputs !== undefined && { inputs }) });
        } catch (error) {
          if (!(error instanceof OutputDirError)) throw error;
          state.error = error;
        }
      },
    },
  ]);
  if (state.error || !state.plan) {
    io.err(`taskflow-gen generate: ${state.error?.message ?? 'no plan'}  (choose another --out directory)`);
    return ExitCode.badInput;
  }
  const { plan, files } = state;

  if (options.check) {
    if (isCurrent(plan)) {
      io.out(`${c.green('✔')} ${files.length} files generated from ${model.file} are up to date`);
      return ExitCode.ok;
    }
    for (const action of plan.actions.filter(isDrift)) {
      io.out(`${label(action)} ${action.path}${action.reason ? `  (${action.reason})` : ''}`);
      io.out(c.dim(indent(shortDiff(action.path, action.current, action.kind === 'delete' ? undefined : action.content))));
    }
    io.err(`✖ generated files are out of date with ${model.file}: run taskflow-gen generate`);
    return ExitCode.findings;
  }

  const conflicts = plan.actions.filter((a) => a.kind === 'conflict');
  if (options.dryRun) {
    for (const action of plan.actions.filter((a) => !isQuiet(a))) io.out(`${label(action)} ${action.path}${action.reason ? `  (${action.reason})` : ''}`);
    io.out(summary(plan, 'would be'));
    return ExitCode.ok;
  }
  if (conflicts.length > 0) {
    for (const action of conflicts) io.err(`${c.red('conflict')} ${action.path}  (${action.reason ?? 'edited'})`);
    io.err(
      `✖ nothing written: ${conflicts.length} generated file${conflicts.length === 1 ? ' was' : 's were'} edited. ` +
        'Put the change in system.yaml or a user-owned file, or run with --force to overwrite.',
    );
    return ExitCode.findings;
  }
  await progress(io, [{ title: `Write ${plan.actions.filter((a) => a.kind === 'create' || a.kind === 'update' || a.kind === 'delete').length} files`, task: () => commit(outDir, plan) }]);
  for (const action of plan.actions.filter((a) => a.kind === 'create' || a.kind === 'update' || a.kind === 'delete')) io.out(`${label(action)} ${action.path}`);
  for (const action of plan.actions.filter((a) => a.kind === 'keep')) io.out(`${c.yellow('kept')}     ${action.path}  (${action.reason ?? ''})`);
  io.out(`${c.green('✔')} ${summary(plan, '')} in ${relative(process.cwd(), outDir) || '.'}`);
  if (result.errorCount > 0) io.out(c.yellow(`lint: ${result.errorCount} error(s); run taskflow-gen lint ${model.file}`));
  return ExitCode.ok;
}

/** The text of system.yaml, or undefined when it cannot be read (readSystem then reports why). */
function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Rendering is deterministic, so when the inputs are those of the last run and
 * no generated file was touched since, the output is current without
 * rendering it again.
 */
function upToDate(outDir: string, inputs: string): boolean {
  const manifest = parseManifestIfReadable(outDir);
  return manifest.inputs === inputs && generatedFilesIntact(outDir, manifest);
}

/** The manifest of the last run; an unreadable output directory has none (the plan then reports why). */
function parseManifestIfReadable(outDir: string): Manifest {
  try {
    return parseManifest(readCurrent(outDir, [manifestPath]).get(manifestPath));
  } catch {
    return { files: {} };
  }
}

function isQuiet(action: Action): boolean {
  return action.kind === 'identical' || action.kind === 'skip' || action.kind === 'refresh';
}

function label(action: Action): string {
  return action.kind.padEnd(9);
}

function summary(plan: Plan, verb: string): string {
  const parts = [
    `${count(plan, 'create')} ${verb ? `${verb} ` : ''}created`,
    `${count(plan, 'update')} updated`,
    `${count(plan, 'delete')} deleted`,
    `${count(plan, 'identical')} unchanged`,
  ];
  const conflicts = count(plan, 'conflict');
  if (conflicts > 0) parts.push(`${conflicts} in conflict`);
  return parts.join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
