import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program } from './support/programs.js';
import { allGreen, attempt, cleanUp, contractSuite, edit, expectedPacts, pactFiles, prepare, suiteTimeout, writePacts, type Polyglot } from './support/polyglot-contracts.js';
import { modelOf } from './support/render/render.js';
import { prepareSystem } from './support/running-system.js';
import { ensurePostgres } from './support/services.js';

/**
 * The contract tests of the examples written in both runtimes:
 * examples/order-saga (Python notification and analytics consume the events
 * of Node.js services) and examples/taskflow (a Python service calls a
 * Node.js one and consumes another's events). Every service's contract suite
 * passes with the pacts the other runtime wrote; a change on one side turns
 * the other runtime's expectation into a failure that names the consumer and
 * the field; a suite needs no other service and no broker. (A Python
 * provider and publisher: contracts-python-provider.e2e.test.ts.)
 */

beforeAll(() => ensurePostgres());

describe('contract tests of examples/order-saga (Node.js publishers, Python subscribers)', () => {
  let p: Polyglot;

  beforeAll(async () => {
    p = await prepare(await prepareSystem('order-saga', 'rabbitmq'));
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it('passes every service\'s contract suite, Node.js and Python, with a pact for every declared edge', async () => {
    const ran = await allGreen(p);
    expect(ran).toEqual(expect.arrayContaining(['notification', 'analytics', 'order', 'user', 'payment', 'inventory']));
    expect(pactFiles(p.system)).toEqual(expectedPacts(p.system));
    // Python subscribers' message pacts, verified by the Node.js publishers above.
    const pact = JSON.parse(readFileSync(join(p.system.dir, 'contracts', 'pacts', 'analytics-order.json'), 'utf8')) as { interactions: { description: string; type: string }[] };
    expect(pact.interactions.map((i) => [i.description, i.type])).toEqual([
      ['an OrderCancelled event', 'Asynchronous/Messages'],
      ['an OrderConfirmed event', 'Asynchronous/Messages'],
    ]);
  }, suiteTimeout);
});

describe('contract tests of examples/taskflow (a Python consumer of a Node.js provider and publisher)', () => {
  let p: Polyglot;

  beforeAll(async () => {
    p = await prepare(await prepareSystem('taskflow', 'nats'));
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it('passes every service\'s contract suite, Node.js and Python, with a pact for every declared edge', async () => {
    const ran = await allGreen(p);
    expect(ran).toEqual(expect.arrayContaining(['task', 'notification', 'user']));
    expect(pactFiles(p.system)).toEqual(expectedPacts(p.system));
  }, suiteTimeout);

  it('runs a Python and a Node.js service\'s suite with no other service, no broker and no PostgreSQL port listening (a network namespace of their own)', async () => {
    const model = modelOf(readFileSync(join(p.system.dir, 'system.yaml'), 'utf8'));
    const ports = [...model.services.map((s) => s.port), 5432, 5672, 4222, 9092, 6379];
    const probe = `const net=require('node:net');Promise.all(${JSON.stringify(ports)}.map(p=>new Promise(r=>{const s=net.connect(p,'127.0.0.1');s.on('connect',()=>{s.destroy();r(p)});s.on('error',()=>r(0))}))).then(l=>{l=l.filter(Boolean);if(l.length){console.error('listening: '+l.join(', '));process.exit(1)}})`;
    const python = join(p.venvs.get('notification')!, 'bin', 'python');
    // The Python service's database is made on the server's Unix socket: a file, not a port.
    const script = [
      `${program('ip')} link set lo up`,
      `node -e "${probe}"`,
      'echo probed-nothing-listening',
      `cd ${join(p.system.dir, 'services', 'notification')} && DATABASE_URL='postgresql:///postgres?host=/var/run/postgresql' ${python} -m pytest -q tests/contracts`,
      `cd ${join(p.system.dir, 'services', 'user')} && npm run test:contracts --silent`,
    ].join(' && ');
    const result = await attempt(program('unshare'), ['-rn', 'sh', '-c', script], p.system.dir, { PATH: process.env['PATH'], HOME: process.env['HOME'] });
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('probed-nothing-listening');
    expect(result.output).toMatch(/^\d+ passed in /m);
    expect(result.output).toMatch(/^# fail 0$/m);
  }, suiteTimeout);

  it("break: user (Node.js) stops returning displayName, which notification (Python) reads: user's verification fails naming notification and the field", async () => {
    await writePacts(p);
    const entity = 'services/user/src/entities/user.ts';
    const saved = readFileSync(join(p.system.dir, entity), 'utf8');
    try {
      // The answer's schema and the column both say `name` now: a rename on the provider's side.
      edit(p.system, entity, "required: ['id', 'email', 'displayName',", "required: ['id', 'email', 'name',");
      edit(p.system, entity, "    displayName: { type: 'string', pattern: '^[^\\\\u0000]*$' },", "    name: { type: 'string', pattern: '^[^\\\\u0000]*$' },");
      edit(p.system, entity, '"display_name" AS "displayName"', '"display_name" AS "name"');
      const build = await attempt('npm', ['run', 'build', '--silent'], join(p.system.dir, 'services', 'user'));
      expect(build.ok, build.output).toBe(true);
      const user = (await contractSuite(p, 'user'))!;
      expect(user.ok).toBe(false);
      expect(user.output).toContain('user does not give its consumers what they expect');
      expect(user.output).toMatch(/- notification expects: Given a User exists - GET \/users\/\{id\} of an existing User\s+\$ Actual map is missing the following keys: displayName\s+\(contracts\/pacts\/notification-user\.json\)/);
      // The consumers' own suites are unaffected: they test against the pact, not against user.
      expect((await contractSuite(p, 'notification'))!.ok).toBe(true);
    } finally {
      writeFileSync(join(p.system.dir, entity), saved);
      await attempt('npm', ['run', 'build', '--silent'], join(p.system.dir, 'services', 'user'));
    }
    expect((await contractSuite(p, 'user'))!.ok).toBe(true);
  }, suiteTimeout);
});
