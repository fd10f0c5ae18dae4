import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createPatch } from 'diff';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { addCall } from '../../edit/add-call.js';
import { addEvent } from '../../edit/add-event.js';
import { addService, type ServiceSpec } from '../../edit/add-service.js';
import { removeService } from '../../edit/remove-service.js';
import type { EditResult } from '../../edit/text.js';
import { lint } from '../../lint/lint.js';
import type { Finding } from '../../lint/rule.js';
import { loadSystem } from '../../load.js';
import { manifestPath, parseManifest } from '../../write/manifest.js';
import { ExitCode, type Io } from '../io.js';
import { displayPath } from '../read-system.js';
import { colorsFor } from '../style.js';
import { generateCommand } from './generate.js';

export interface EditOptions {
  readonly file: string;
  readonly dryRun: boolean;
}

export interface AddServiceOptions extends EditOptions, Omit<ServiceSpec, 'name'> {}

export function addServiceCommand(name: string, options: AddServiceOptions, io: Io): Promise<number> {
  const { file, dryRun, ...spec } = options;
  return applyEdit({ file, dryRun }, io, (text, display) => addService(text, display, { name, ...spec }));
}

export function addEventCommand(name: string, options: EditOptions & { fields: string; publishers: readonly string[]; subscribers: readonly string[] }, io: Io): Promise<number> {
  return applyEdit(options, io, (text, display) => addEvent(text, display, { name, fields: options.fields, publishers: options.publishers, subscribers: options.subscribers }));
}

export function addCallCommand(from: string, to: string, endpoints: readonly string[], options: EditOptions, io: Io): Promise<number> {
  return applyEdit(options, io, (text, display) => addCall(text, display, from, to, endpoints));
}

export async function removeServiceCommand(name: string, options: EditOptions & { force: boolean }, io: Io): Promise<number> {
  let refused = false;
  const code = await applyEdit(options, io, (text, display) => {
    const result = removeService(text, display, name, { force: options.force });
    refused = result.refused === true;
    return result;
  });
  if (refused) {
    io.err(`✖ service '${name}' was not removed: other services depend on it (see above). Run with --force to remove it together with the calls to it.`);
    return ExitCode.findings;
  }
  if (code === ExitCode.ok) {
    const kept = userFiles(options.file, name);
    if (kept.length > 0) {
      io.out(`These files of '${name}' are yours and were kept; delete them when you no longer need them:`);
      for (const path of kept) io.out(`  ${path}`);
    }
  }
  return code;
}

/** User-owned files (per the manifest next to system.yaml) that belong to a service. */
function userFiles(file: string, service: string): string[] {
  const path = join(dirname(file), manifestPath);
  if (!existsSync(path)) return [];
  const manifest = parseManifest(readFileSync(path, 'utf8'));
  return Object.entries(manifest.files)
    .filter(([p, e]) => e.owner === 'user' && (p.startsWith(`services/${service}/`) || p.split('/').some((segment) => segment === service || segment.startsWith(`${service}.`))))
    .map(([p]) => p)
    .filter((p) => existsSync(join(dirname(file), p)))
    .sort();
}

/**
 * The shared flow of every edit: read -> edit the text -> load the result
 * (invalid: exit 2, nothing written) -> report the lint findings the change
 * introduces -> write atomically -> re-render. `--dry-run` prints the diff of
 * system.yaml and what generate would do, and writes nothing.
 */
async function applyEdit(options: EditOptions, io: Io, edit: (text: string, display: string) => EditResult): Promise<number> {
  const { file } = options;
  const display = displayPath(file);
  const c = colorsFor({ isTTY: io.errIsTTY });
  const problems = (diagnostics: readonly Diagnostic[], what: string): number => {
    for (const d of diagnostics) io.err(formatDiagnostic(d));
    io.err(c.red(`✖ ${what}`));
    return ExitCode.badInput;
  };
  let before: string;
  try {
    before = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return problems([{ file: display, line: 1, column: 1, message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})`, hint: 'pass the path of your system.yaml with --file, or run taskflow-gen init' }], `${display} was not changed`);
  }
  const old = loadSystem(before, display);
  if (!old.ok) return problems(old.diagnostics, `${display} is not valid; fix it before editing it with taskflow-gen`);
  const result = edit(before, display);
  if (!result.ok) return problems(result.diagnostics, `${display} was not changed`);
  const loaded = loadSystem(result.text, display);
  if (!loaded.ok) return problems(loaded.diagnostics, `the edit would make ${display} invalid; it was not changed`);

  for (const finding of introduced(lint(old.model).findings, lint(loaded.model).findings)) {
    io.out(`${display}:${finding.line}:${finding.column}  ${finding.severity.padEnd(5)}  ${finding.message}  ${c.dim(finding.ruleId)}`);
  }

  if (options.dryRun) {
    io.out(createPatch(display, before, result.text, 'current', 'after the edit'));
    io.out(`(dry run) ${result.summary}; generate would do:`);
    return generateCommand(file, { check: false, dryRun: true, force: false, systemText: result.text }, io);
  }
  writeAtomically(file, result.text);
  io.out(`✔ ${result.summary} in ${display}`);
  return generateCommand(file, { check: false, dryRun: false, force: false }, io);
}

/** Findings after the edit that were not there before, compared by rule and message. */
function introduced(before: readonly Finding[], after: readonly Finding[]): Finding[] {
  const seen = new Map<string, number>();
  for (const f of before) seen.set(`${f.ruleId}\0${f.message}`, (seen.get(`${f.ruleId}\0${f.message}`) ?? 0) + 1);
  return after.filter((f) => {
    const key = `${f.ruleId}\0${f.message}`;
    const left = seen.get(key) ?? 0;
    if (left > 0) {
      seen.set(key, left - 1);
      return false;
    }
    return true;
  });
}

function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}
