import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../src/lint/registry.js';
import { runCli } from './support/cli.js';

// ajv-draft-04 is CommonJS whose module.exports is the class itself.
const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as typeof import('ajv-draft-04').default;

const examples = readdirSync(new URL('../examples/', import.meta.url), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'anti-patterns')
  .map((e) => e.name);
const antiPatterns = 'examples/anti-patterns/system.yaml';
const scratch = mkdtempSync(join(tmpdir(), 'taskflow-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('taskflow-gen (built CLI)', () => {
  it('lists every command with a one-line description', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['validate', 'lint', 'graph']) expect(help.stdout).toMatch(new RegExp(`^  ${command} .*\\S`, 'm'));
    expect(runCli([]).stdout).toContain('Usage: taskflow-gen');
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 for a bad invocation', () => {
    expect(runCli(['lint', '--format', 'xml', antiPatterns]).status).toBe(2);
    expect(runCli(['lint', '--max-warnings', 'many', antiPatterns]).status).toBe(2);
    expect(runCli(['frobnicate']).status).toBe(2);
  });

  it.each(examples)('validates and lints the %s example cleanly', (name) => {
    const file = `examples/${name}/system.yaml`;
    expect(runCli(['validate', file])).toMatchObject({ status: 0, stderr: '' });
    const text = runCli(['lint', file, '--max-warnings', '0']);
    expect(text).toMatchObject({ status: 0, stdout: `${file}: no problems found\n` });
    const json = JSON.parse(runCli(['lint', file, '--format', 'json']).stdout) as { findings: unknown[] };
    expect(json).toEqual({ findings: [], errorCount: 0, warningCount: 0 });
  });

  it('reports every rule on the anti-patterns example, in the documented JSON shape', () => {
    const result = runCli(['lint', antiPatterns, '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Record<string, unknown>[]; errorCount: number; warningCount: number };
    expect(Object.keys(report)).toEqual(['findings', 'errorCount', 'warningCount']);
    for (const finding of report.findings) {
      expect(Object.keys(finding)).toEqual(['ruleId', 'severity', 'message', 'services', 'line', 'column']);
      expect(finding).toMatchObject({ ruleId: expect.any(String), message: expect.any(String), services: expect.any(Array), line: expect.any(Number), column: expect.any(Number) });
      expect(['error', 'warn', 'info']).toContain(finding['severity']);
    }
    // breaking-change compares with an older file (lint --against, test/lint-against.e2e.test.ts); silent here.
    expect(new Set(report.findings.map((f) => f['ruleId']))).toEqual(new Set(rules.map((r) => r.meta.id).filter((id) => id !== 'breaking-change')));
    expect(report.errorCount).toBe(report.findings.filter((f) => f['severity'] === 'error').length);
    expect(report.warningCount).toBe(report.findings.filter((f) => f['severity'] === 'warn').length);
  });

  it('explains each anti-pattern finding with a comment on the line it points at', () => {
    const lines = readFileSync(antiPatterns, 'utf8').split('\n');
    const report = JSON.parse(runCli(['lint', antiPatterns, '--format', 'json']).stdout) as { findings: { ruleId: string; line: number }[] };
    for (const finding of report.findings) {
      const nearby = lines.slice(finding.line - 1, finding.line + 2).join('\n');
      expect(nearby, `${finding.ruleId} at line ${finding.line}`).toContain(`# ${finding.ruleId}`);
    }
  });

  it('writes SARIF 2.1.0 that validates against the SARIF schema, with rules and locations', () => {
    const output = join(scratch, 'lint.sarif');
    const result = runCli(['lint', antiPatterns, '--format', 'sarif', '--output', output]);
    expect(result).toMatchObject({ status: 1, stdout: '' });
    const log = JSON.parse(readFileSync(output, 'utf8')) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    const schemaFile = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
    const [run] = log.runs;
    expect(run!.tool.driver.rules.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id));
    for (const r of run!.results) {
      expect(run!.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe(antiPatterns);
      expect(r.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
    }
  });

  it('prints ESLint-style text with a summary, in colour only when asked', () => {
    const plain = runCli(['lint', antiPatterns]);
    expect(plain.status).toBe(1);
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    expect(plain.stdout.split('\n')[0]).toBe(antiPatterns);
    expect(plain.stdout).toMatch(/^ {2}\d+:\d+ +error {3}.*sync-cycle$/m);
    expect(plain.stdout).toMatch(/✖ \d+ problems \(\d+ errors, \d+ warnings, \d+ infos\)/);
    const coloured = runCli(['lint', antiPatterns], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\u001b\[/);
    const noColor = runCli(['lint', antiPatterns], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).toBe(plain.stdout);
  });

  it('honours --max-warnings and lint.rules severities', () => {
    const file = join(scratch, 'warnings.yaml');
    const system = (extra: string): string => `version: 1\nname: w\nservices:\n  a:\n    entities: { A: { x: string } }\n    publishes: [Happened]\n${extra}events:\n  Happened: { id: uuid }\n`;
    writeFileSync(file, system(''));
    expect(runCli(['lint', file]).status).toBe(0);
    expect(runCli(['lint', file, '--max-warnings', '1']).status).toBe(0);
    expect(runCli(['lint', file, '--max-warnings', '0'])).toMatchObject({ status: 1, stderr: expect.stringContaining('too many warnings') });
    writeFileSync(file, system('lint:\n  rules:\n    event-without-subscriber: error\n'));
    expect(runCli(['lint', file]).status).toBe(1);
    writeFileSync(file, system('lint:\n  rules:\n    event-without-subscriber: off\n'));
    expect(runCli(['lint', file, '--max-warnings', '0']).status).toBe(0);
  });

  it('lets a service silence a rule only with a reason', () => {
    const file = join(scratch, 'ignore.yaml');
    const base = 'version: 1\nname: w\nservices:\n  a:\n    entities: { A: { x: string } }\n    publishes: [Happened]\n';
    writeFileSync(file, `${base}    lint: { ignore: [{ rule: event-without-subscriber, reason: consumed by an external partner }] }\nevents:\n  Happened: { id: uuid }\n`);
    expect(runCli(['lint', file, '--max-warnings', '0'])).toMatchObject({ status: 0 });
    writeFileSync(file, `${base}    lint: { ignore: [{ rule: event-without-subscriber }] }\nevents:\n  Happened: { id: uuid }\n`);
    const missing = runCli(['lint', file]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("ignore.yaml:7:22  services.a.lint.ignore[0] is missing the required property 'reason'");
  });

  it('rejects invalid input with positioned messages, exit 2 and no stack trace', () => {
    const file = join(scratch, 'bad.yaml');
    writeFileSync(file, 'version: 1\nname: Bad Name\nservices:\n  order:\n    calls: { paymnt: [POST /payments] }\n  payment: {}\n');
    for (const command of ['validate', 'lint', 'graph']) {
      const result = runCli([command, file], { cwd: scratch });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^bad\.yaml:2:7 {2}name "Bad Name" is not valid {2}\(it must be a lower-case DNS label/m);
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
    const missing = runCli(['validate', 'nope.yaml'], { cwd: scratch });
    expect(missing).toMatchObject({ status: 2, stderr: expect.stringContaining('nope.yaml:1:1  file not found') });
    expect(runCli(['validate'], { cwd: scratch }).stderr).toContain('system.yaml:1:1  file not found');
    expect(runCli(['lint', scratch]).stderr).toContain('is a directory');
  });
});
