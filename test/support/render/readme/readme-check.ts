import { Lexer, type Token, type Tokens } from 'marked';
import type { LintResult } from '../../../../src/lint/lint.js';
import type { SystemModel } from '../../../../src/model/types.js';

/**
 * Reads a generated README the way GitHub does (marked's GFM lexer: tables,
 * fenced code, escapes) and checks it against the model. Each check returns
 * its problems, so a test can show that a broken README fails it.
 */

export interface ParsedReadme {
  readonly tokens: readonly Token[];
  /** Top-level tokens under each `##` heading, by heading text; `''` is what precedes the first one. */
  readonly sections: ReadonlyMap<string, readonly Token[]>;
}

export function parseReadme(markdown: string): ParsedReadme {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const sections = new Map<string, Token[]>([['', []]]);
  let current = sections.get('')!;
  for (const token of tokens) {
    if (token.type === 'heading' && (token as Tokens.Heading).depth === 2) sections.set(plain([token]), (current = []));
    else current.push(token);
  }
  return { tokens, sections };
}

/** The text a reader sees: escapes undone, code spans as their content, markup dropped. */
export function plain(tokens: readonly Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      if (token.type === 'list') return (token as Tokens.List).items.map((item) => plain(item.tokens)).join('\n');
      if ('tokens' in token && token.tokens && token.type !== 'codespan') return plain(token.tokens);
      if (token.type === 'space') return '';
      return 'text' in token ? (token.text as string) : token.raw;
    })
    .join('');
}

/** A table as plain cell text: header and rows. */
export interface PlainTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function tablesOf(tokens: readonly Token[]): PlainTable[] {
  return tokens
    .filter((t): t is Tokens.Table => t.type === 'table')
    .map((t) => ({ header: t.header.map((c) => plain(c.tokens)), rows: t.rows.map((row) => row.map((c) => plain(c.tokens))) }));
}

export function codeBlocks(tokens: readonly Token[], lang: string): string[] {
  return tokens.filter((t): t is Tokens.Code => t.type === 'code' && (t as Tokens.Code).lang === lang).map((t) => t.text);
}

const dash = '—';
const names = (list: readonly string[]): string => (list.length === 0 ? dash : list.join(', '));

/** The services table lists every service, in file order, with runtime, port, database, team, calls and events. */
export function servicesTableProblems(readme: ParsedReadme, model: SystemModel): string[] {
  const tables = tablesOf(readme.sections.get('Services') ?? []);
  if (tables.length !== 1) return [`expected one table under Services, found ${tables.length}`];
  const [table] = tables as [PlainTable];
  const header = ['Service', 'Runtime', 'Port', 'Database', 'Team', 'Calls', 'Publishes', 'Consumes'];
  const problems: string[] = [];
  if (table.header.join('|') !== header.join('|')) problems.push(`header is ${table.header.join(' | ')}`);
  const expected = model.services.map((s) => {
    const sharedWith = model.services.filter((o) => o !== s && s.database && o.database?.name === s.database.name).map((o) => o.name);
    const database = s.database ? `${s.database.name} (${s.database.engine}${sharedWith.length > 0 ? `, shared with ${sharedWith.join(', ')}` : ''})` : dash;
    return [s.name, s.runtime, String(s.port), database, s.team ?? dash, names([...new Set(s.calls.map((c) => c.callee))]), names(s.publishes.map((e) => e.event)), names(s.subscribes.map((e) => e.event))];
  });
  if (table.rows.length !== expected.length) problems.push(`${table.rows.length} rows for ${expected.length} services`);
  expected.forEach((row, i) => {
    const actual = table.rows[i];
    if (JSON.stringify(actual) !== JSON.stringify(row)) problems.push(`row ${i + 1} is [${actual?.join(' | ')}], expected [${row.join(' | ')}]`);
  });
  return problems;
}

const severityNames = { error: 'error', warn: 'warning', info: 'info' } as const;

/** The Lint section states the counts of `result` and lists every finding with rule, severity, position and message. */
export function lintSummaryProblems(readme: ParsedReadme, result: LintResult, systemFile: string): string[] {
  const section = readme.sections.get('Lint') ?? [];
  const intro = plain(section.filter((t) => t.type === 'paragraph').slice(0, 1));
  const tables = tablesOf(section);
  const problems: string[] = [];
  if (result.findings.length === 0) {
    if (intro !== 'taskflow-gen lint reports no findings.') problems.push(`intro is '${intro}'`);
    if (tables.length > 0) problems.push('a findings table for no findings');
    return problems;
  }
  const counts = /^taskflow-gen lint reports (\d+) errors?, (\d+) warnings? and (\d+) info:$/.exec(intro);
  if (!counts) return [`intro is '${intro}'`];
  const [, errors, warnings, infos] = counts.map(Number) as [number, number, number, number];
  if (errors !== result.errorCount || warnings !== result.warningCount || infos !== result.infoCount) {
    problems.push(`counts ${errors}/${warnings}/${infos}, lint says ${result.errorCount}/${result.warningCount}/${result.infoCount}`);
  }
  const [table] = tables;
  if (tables.length !== 1 || !table) return [...problems, `expected one findings table, found ${tables.length}`];
  if (table.header.join('|') !== 'Severity|Rule|Where|Message') problems.push(`header is ${table.header.join(' | ')}`);
  const expected = result.findings.map((f) => [severityNames[f.severity], f.ruleId, `${systemFile}:${f.line}:${f.column}`, f.message.replace(/\s+/g, ' ').trim()]);
  if (table.rows.length !== expected.length) problems.push(`${table.rows.length} rows for ${expected.length} findings`);
  expected.forEach((row, i) => {
    const actual = table.rows[i];
    if (JSON.stringify(actual) !== JSON.stringify(row)) problems.push(`finding ${i + 1} is [${actual?.join(' | ')}], expected [${row.join(' | ')}]`);
  });
  return problems;
}
