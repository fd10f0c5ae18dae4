import { readdirSync, readFileSync, existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dump, load } from 'js-yaml';
import { loadSystem } from '../src/load.js';
import { lint } from '../src/lint/lint.js';

const examplesDir = new URL('../examples/', import.meta.url);

const inline = `version: 1
name: shop
defaults: { runtime: node, database: postgres, timeoutMs: 2000 }
broker: { kind: rabbitmq }
gateway: { kind: node, port: 8080, auth: jwt, rateLimit: 100/min, routes: [{ path: /orders, service: order }] }
teams: { checkout: [order, payment] }
services:
  order:
    port: 3001
    database: orders
    entities:
      Order: { userId: string, quantity: integer, status: { enum: [pending, done] } }
    api: [POST /orders, 'GET /orders/{id}']
    calls:
      payment: { endpoints: [POST /payments], timeoutMs: 1500, retries: 2, circuitBreaker: { failures: 5, resetMs: 10000 } }
    publishes: [OrderPlaced]
    lint: { ignore: [{ rule: nano-service, reason: small on purpose }] }
  payment:
    database: { name: payments, engine: postgres }
    api: [POST /payments]
    subscribes: [OrderPlaced]
events:
  OrderPlaced: { orderId: string, quantity: integer }
lint:
  rules:
    sync-chain-depth: [warn, { max: 3 }]
    layered-cut: off
`;

/** The corpus: every example that exists, plus a file that uses every short and long form. */
function corpus(): string[] {
  const files = [inline];
  if (existsSync(examplesDir)) {
    for (const entry of readdirSync(examplesDir, { withFileTypes: true })) {
      const file = new URL(`${entry.name}/system.yaml`, examplesDir);
      if (entry.isDirectory() && existsSync(file)) files.push(readFileSync(file, 'utf8'));
    }
  }
  return files;
}

/** Loads and, when valid, lints: the contract is success or positioned diagnostics, never a throw. */
function checkOutcome(text: string): void {
  const result = loadSystem(text, 'system.yaml');
  if (result.ok) {
    expect(result.model.services.length).toBeGreaterThan(0);
    const { findings } = lint(result.model);
    for (const f of findings) expect(f.line).toBeGreaterThanOrEqual(1);
    return;
  }
  expect(result.diagnostics.length).toBeGreaterThan(0);
  const lines = text.split('\n').length;
  for (const d of result.diagnostics) {
    expect(d.file).toBe('system.yaml');
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines + 1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.hint?.length ?? 0).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/\bat .*\.(js|ts):\d+/);
  }
}

const oddStrings = ['../x', 'A B', '$(rm -rf)', '{{x}}', '', ' ', '\t', '\u0000', '\u202e', '💥', '-', '~', 'null', '<<', '*a', '&a', '!!binary', '%YAML'];
const oddChars = fc.constantFrom('{', '}', '[', ']', ':', '-', "'", '"', '\t', '\n', '&', '*', '!', '%', '@', '`', '#', '|', '>', ',', '?', '\u0000', 'é', '💥', ' ');
const oddValue = fc.oneof(fc.jsonValue(), fc.constantFrom(...oddStrings), fc.constant(undefined));

type Json = Record<string, unknown> | unknown[];

/** All paths to containers and leaves of a plain value. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function mutateAt(root: unknown, path: (string | number)[], change: (parent: Json, key: string | number) => void): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return copy;
  let parent = copy as Json;
  for (const segment of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[segment] as Json;
  change(parent, path[path.length - 1]!);
  return copy;
}

describe('bad input never crashes the loader', () => {
  const files = corpus();
  const file = fc.constantFrom(...files);

  it('survives truncation at any offset', () => {
    fc.assert(fc.property(file, fc.nat(), (text, n) => checkOutcome(text.slice(0, n % (text.length + 1)))), { numRuns: 600 });
  });

  it('survives odd characters inserted anywhere', () => {
    fc.assert(
      fc.property(file, fc.array(fc.tuple(fc.nat(), oddChars), { minLength: 1, maxLength: 4 }), (text, inserts) => {
        let out = text;
        for (const [at, ch] of inserts) {
          const i = at % (out.length + 1);
          out = out.slice(0, i) + ch + out.slice(i);
        }
        checkOutcome(out);
      }),
      { numRuns: 1200 },
    );
  });

  it('survives deleted, duplicated and swapped lines', () => {
    fc.assert(
      fc.property(file, fc.nat(), fc.nat(), fc.constantFrom('delete', 'duplicate', 'swap'), (text, a, b, op) => {
        const lines = text.split('\n');
        const i = a % lines.length;
        const j = b % lines.length;
        if (op === 'delete') lines.splice(i, 1);
        else if (op === 'duplicate') lines.splice(i, 0, lines[i]!);
        else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        checkOutcome(lines.join('\n'));
      }),
      { numRuns: 600 },
    );
  });

  it('survives deleted keys, swapped types and odd names in the structure', () => {
    const values = files.map((text) => load(text));
    fc.assert(
      fc.property(fc.constantFrom(...values), fc.nat(), fc.constantFrom('delete', 'replace', 'rename'), oddValue, fc.constantFrom(...oddStrings), (value, pick, op, replacement, name) => {
        const all = paths(value).filter((p) => p.length > 0);
        const path = all[pick % all.length]!;
        const mutated = mutateAt(value, path, (parent, key) => {
          const record = parent as Record<string | number, unknown>;
          if (op === 'delete') {
            if (Array.isArray(parent)) parent.splice(Number(key), 1);
            else delete record[key];
          } else if (op === 'replace') {
            record[key] = replacement;
          } else if (!Array.isArray(parent)) {
            const v = record[key];
            delete record[key];
            record[name] = v;
          }
        });
        checkOutcome(dump(mutated, { skipInvalid: true }));
      }),
      { numRuns: 1500 },
    );
  });
});
