import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareYaml, startSystem, type RunningSystem } from './support/running-system.js';
import { schemathesis } from './support/schemathesis.js';

/**
 * A generated Node.js service, running on the local PostgreSQL, tested against
 * its own OpenAPI document by schemathesis, a tester that knows nothing of this
 * project (see test/support/schemathesis.ts for what it checks). The system has
 * an entity with a field of every type, list, optional and enum fields, a
 * second entity and a declared endpoint. The declared endpoint is left out:
 * its answers are the user's handler (a 501 stub until written), which the
 * document describes as "as the handler answers".
 */
const yaml = `
version: 1
name: conformance
broker: none
services:
  catalog:
    entities:
      Address:
        line1: string
        notes: text?
        floor: integer?
        lat: number
        verified: boolean
        since: date
        seenAt: datetime?
        ownerId: uuid
        extra: json?
        tags: string[]
        kind: { enum: [home, work] }
      User: { email: string, name: string }
    api:
      - POST /addresses/{id}/verify
`;

describe('a generated service and its OpenAPI document, by an independent tester', () => {
  let system: RunningSystem | undefined;

  beforeAll(async () => {
    system = await startSystem(await prepareYaml('openapi', yaml), 'postgres', { logLevel: 'warn' });
  }, 300_000);

  afterAll(async () => {
    await system?.close();
  }, 60_000);

  it('schemathesis finds no mismatch: every answer is documented, every body matches its schema, bad input is a 400', async () => {
    const served = (await (await fetch(`${system!.url('catalog')}/openapi.json`)).json()) as { paths: Record<string, object> };
    // Every operation but the declared one, and /openapi.json, which schemathesis reads the document from rather than tests.
    const operations = Object.entries(served.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((op) => op !== 'POST /addresses/{id}/verify' && op !== 'GET /openapi.json')
      .sort();
    expect(operations).toHaveLength(13);
    const result = await schemathesis(system!.url('catalog'), { excludeOperationIds: ['postAddressesByIdVerify'], seed: 42, maxExamples: 20 });
    expect(result.passed, result.output).toBe(true);
    expect(result.tested, result.output).toEqual(operations);
    expect(system!.logs('catalog')).not.toMatch(/"level":50/);
  }, 600_000);
});
