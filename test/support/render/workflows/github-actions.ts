import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { Lexer, Parser } from '@actions/expressions';
import type { TemplateParseResult } from '@actions/workflow-parser';
import { Ajv, type ErrorObject } from 'ajv';

/**
 * Validators for generated GitHub Actions workflows:
 * - SchemaStore's github-workflow.json (test/schemas, Apache-2.0), draft-07, with ajv;
 * - GitHub's own workflow parser (@actions/workflow-parser, the one behind the
 *   Actions VS Code extension), which also checks every expression against the
 *   contexts allowed where it stands;
 * - GitHub's expression parser (@actions/expressions) over every `${{ }}` of the text,
 *   comments included.
 */

const schema = JSON.parse(readFileSync(new URL('../../../../test/schemas/github-workflow.json', import.meta.url), 'utf8')) as object;
const validateSchema = new Ajv({ strict: false, allErrors: true }).compile(schema);

/** Schema errors of a parsed workflow, as `path: message` lines; empty when valid. */
export function schemaErrors(document: unknown): string[] {
  if (validateSchema(document)) return [];
  return (validateSchema.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}

let parser: Promise<typeof import('@actions/workflow-parser')> | undefined;

/**
 * The parser imports its schema as `import x from "./workflow-v1.0.min.json"`,
 * written for bundlers; Node wants an import attribute there. A load hook
 * serves those JSON files as JSON modules, for that package only.
 */
function loadParser(): Promise<typeof import('@actions/workflow-parser')> {
  parser ??= (async () => {
    const hook = `
      import { readFile } from 'node:fs/promises';
      export async function load(url, context, next) {
        if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json') && context.importAttributes?.type === undefined) {
          return { format: 'json', source: await readFile(new URL(url), 'utf8'), shortCircuit: true };
        }
        return next(url, context);
      }`;
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    return import('@actions/workflow-parser');
  })();
  return parser;
}

/** Errors GitHub's workflow parser reports for a workflow file's text; empty when GitHub would accept it. */
export async function githubParserErrors(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await loadParser();
  const result: TemplateParseResult = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (errors.length === 0 && result.value) {
    // Conversion checks what the schema cannot: job ids in `needs`, cycles, and the like.
    const template = await convertWorkflowTemplate(result.context, result.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message));
  }
  return errors;
}

/** Contexts usable somewhere in a workflow. */
const contexts = ['github', 'env', 'vars', 'job', 'jobs', 'steps', 'runner', 'secrets', 'strategy', 'matrix', 'needs', 'inputs'];
const statusFunctions = ['success', 'always', 'cancelled', 'failure'].map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
const hashFiles = { name: 'hashFiles', minArgs: 1, maxArgs: 255 };

/** Every `${{ … }}` in the text, with its line; an unclosed one is reported with a null body. */
export function expressionsIn(text: string): { line: number; body: string | null }[] {
  const found: { line: number; body: string | null }[] = [];
  let at = text.indexOf('${{');
  while (at !== -1) {
    const line = text.slice(0, at).split('\n').length;
    const end = closingBraces(text, at + 3);
    if (end === -1) {
      found.push({ line, body: null });
      break;
    }
    found.push({ line, body: text.slice(at + 3, end).trim() });
    at = text.indexOf('${{', end + 2);
  }
  return found;
}

/** Index of the `}}` closing an expression, skipping `'…'` string literals (where `''` is a quote); -1 if none. */
function closingBraces(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length - 1; i++) {
    if (text[i] === "'") inString = !inString;
    else if (!inString && text[i] === '}' && text[i + 1] === '}') return i;
    else if (text[i] === '\n' && !inString) break;
  }
  return -1;
}

/** Parse errors of one expression body by GitHub's expression parser; null when well-formed. */
export function expressionError(body: string): string | null {
  try {
    const { tokens } = new Lexer(body).lex();
    new Parser(tokens, contexts, [...statusFunctions, hashFiles]).parse();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Every malformed `${{ }}` of a file's text, as `line N: problem` lines; empty when all are well-formed. */
export function expressionErrors(text: string): string[] {
  return expressionsIn(text).flatMap(({ line, body }) => {
    if (body === null) return [`line ${line}: \${{ is never closed by }}`];
    if (body === '') return [`line ${line}: empty expression`];
    const error = expressionError(body);
    return error === null ? [] : [`line ${line}: ${error} in \${{ ${body} }}`];
  });
}
