import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonVenv } from '../../../test/support/python-venv.js';
import { exampleNames, exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import migrations from '../migrations/index.js';
import { openapiDocument } from '../service/openapi.js';
import { pythonGroups } from '../python/versions.js';
import { pythonEventPackages } from './event-packages.js';
import { runtimeView } from '../runtime-view.js';
import tests from '../tests/index.js';
import pythonService from './index.js';
import { pyLiteral, pyName } from './python.js';

// What is checked here is the rendering; the generated code itself is checked by
// ruff and mypy, tested by its own pytest and run beside a Node.js service by
// test/python-service.e2e.test.ts.

const files = (yaml: string) => new Map(renderYaml(yaml, [pythonService]).files().map((f) => [f.path, f]));

describe('python names and literals', () => {
  it('makes attributes of JSON names, out of the way of keywords and BaseModel', () => {
    expect(pyName('assigneeId')).toBe('assignee_id');
    expect(pyName('from')).toBe('from_');
    expect(pyName('json')).toBe('json_');
    expect(pyName('modelName')).toBe('model_name_');
    expect(pyName('status')).toBe('status');
  });

  it('prints JSON values as Python literals', () => {
    expect(pyLiteral({ a: [true, false, null], 'b"c': 'd\ne', n: 9.5 })).toBe('{"a": [True, False, None], "b\\"c": "d\\ne", "n": 9.5}');
  });
});

describe('python services', () => {
  it.each(exampleNames)('%s: every Python service serves the OpenAPI document a Node.js service of it would', (name) => {
    const model = modelOf(exampleYaml(name));
    const rendered = files(exampleYaml(name));
    for (const service of model.services.filter((s) => s.runtime === 'python')) {
      expect(JSON.parse(rendered.get(`services/${service.name}/app/openapi.json`)!.content)).toEqual(openapiDocument(model.name, service));
    }
  });

  it('gets the same migration files as a Node.js service of the same entities (rendered once, by the migrations target)', () => {
    const yaml = exampleYaml('taskflow');
    const render = (text: string) => renderYaml(text, [migrations]).files().filter((f) => f.path.startsWith('services/notification/migrations/'));
    const asPython = render(yaml);
    expect(asPython.map((f) => f.path)).toEqual(['services/notification/migrations/0001_platform.sql', 'services/notification/migrations/0002_create_notifications.sql']);
    expect(asPython).toEqual(render(yaml.replace('    runtime: python\n', '')));
    expect([...files(yaml).keys()].filter((p) => p.includes('/migrations/'))).toEqual([]);
  });

  it('taskflow: notification is a FastAPI app with CRUD, a user client, tests, pinned requirements and a non-root image', () => {
    const rendered = files(exampleYaml('taskflow'));
    const dir = 'services/notification';
    for (const path of ['app/main.py', 'app/__main__.py', 'app/core/config.py', 'app/db/database.py', 'app/db/migrate.py', 'app/api/routes/notifications.py', 'app/clients/user.py', 'tests/test_service.py', 'tests/test_clients.py', 'pyproject.toml']) {
      expect(rendered.get(`${dir}/${path}`)?.owner, path).toBe('generator');
    }
    expect([...rendered.keys()].some((p) => p.endsWith('.ts'))).toBe(false);
    const requirements = rendered.get(`${dir}/requirements.txt`)!.content.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    // Its own pins, and those of its event layer: the NATS adapter (taskflow's broker) and jsonschema.
    expect(requirements.map((line) => line.split('==')[0])).toEqual([...Object.keys(pythonGroups.service), ...Object.keys(pythonEventPackages.nats), ...Object.keys(pythonGroups.schemas)].sort());
    // Its contract tests: pact-python in the dev requirements, the consumer tests marked so they can run first.
    expect(rendered.get(`${dir}/requirements-dev.txt`)!.content).toContain('pact-python==');
    expect(rendered.get(`${dir}/pyproject.toml`)!.content).toContain('markers = ["consumer:');
    const contracts = [...rendered.keys()].filter((p) => p.startsWith(`${dir}/tests/contracts/`)).map((p) => [p.slice(`${dir}/tests/contracts/`.length), rendered.get(p)!.owner]);
    expect(contracts.sort()).toEqual([
      ['__init__.py', 'generator'],
      ['conftest.py', 'generator'],
      ['extensions.py', 'user'],
      ['support.py', 'generator'],
      ['test_consumer_task.py', 'generator'],
      ['test_consumer_user.py', 'generator'],
      ['test_events.py', 'generator'],
    ]);
    for (const line of requirements) expect(line).toMatch(/^[a-z0-9-]+==[0-9][0-9a-z.]*$/);
    const dockerfile = rendered.get(`${dir}/Dockerfile`)!.content;
    expect(dockerfile.match(/^FROM python:3\.11-slim/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER 10001$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^CMD \["python", "-m", "app"\]$/m);
    expect(rendered.get(`${dir}/app/core/config.py`)!.content).toContain('DATABASE_URL is not set: notification keeps its data in PostgreSQL');
    expect(rendered.get(`${dir}/app/clients/user.py`)!.content).toContain('POLICY = CallPolicy(timeout=1.0, retries=2, breaker=BreakerPolicy(failures=5, reset_after=10.0))');
    for (const file of rendered.values()) {
      if (file.owner === 'generator' && !file.path.endsWith('.json')) expect(file.content, file.path).toMatch(/^(#|--) Generated by taskflow-gen/);
    }
  });

  it('gives each declared endpoint a user-owned handler module that answers 501 until written', () => {
    const rendered = files(exampleYaml('taskflow').replace('    runtime: python\n', '    runtime: python\n    api:\n      - POST /notifications/{id}/resend\n'));
    const handler = rendered.get('services/notification/app/handlers/post_notifications_by_id_resend.py')!;
    expect(handler.owner).toBe('user');
    expect(handler.content).toContain('async def handle(id: UUID, ctx: ContextDep) -> JSONResponse:');
    expect(handler.content).toContain('status_code=501');
    expect(rendered.get('services/notification/app/api/routes/api.py')!.content).toContain(
      'router.add_api_route("/notifications/{id}/resend", post_notifications_by_id_resend.handle, methods=["POST"], response_model=None)',
    );
  });

  it('a service without database or calls gets neither, and needs no DATABASE_URL', () => {
    const yaml = `version: 1
name: tiny
broker: none
services:
  clock:
    runtime: python
    api:
      - GET /now
`;
    const rendered = files(yaml);
    expect([...rendered.keys()].filter((p) => /app\/(db|clients|repositories)\/|migrations\//.test(p))).toEqual([]);
    expect(rendered.get('services/clock/app/core/config.py')!.content).not.toContain('database_url');
    expect(rendered.get('services/clock/app/main.py')!.content).toContain('app.state.context = Context()');
  });

  it('a service with events but no database of its own gets a PostgreSQL database for its outbox and inbox', () => {
    const model = modelOf(exampleYaml('order-saga'));
    const notification = runtimeView(model).services.find((s) => s.name === 'notification')!;
    expect(model.services.find((s) => s.name === 'notification')!.database).toBeUndefined();
    expect(notification.database).toMatchObject({ name: 'notification_events', engine: 'postgres', host: 'notification-events-db', owners: ['notification'] });
    expect(notification.env.map((e) => e.name)).toContain('DATABASE_URL');
    expect(notification.embeddedStore).toBe(false);
    expect(files(exampleYaml('order-saga')).get('services/notification/app/core/config.py')!.content).toContain('postgres://user:password@host:5432/notification_events');
    // Its consumers deduplicate through the inbox: the platform migration creates it there.
    const platform = renderYaml(exampleYaml('order-saga'), [migrations]).get('services/notification/migrations/0001_platform.sql')!.content;
    expect(platform).toMatch(/CREATE TABLE IF NOT EXISTS "?inbox"?/);
  });

  it('the root Makefile runs the Node.js tests and each Python service\'s checks and tests', () => {
    const makefile = renderYaml(exampleYaml('taskflow'), [tests]).get('Makefile')!.content;
    expect(makefile).toMatch(/^test: pacts test-node test-notification$/m);
    // Consumers first, whatever their runtime: user's (Node.js) verification reads the pact notification (Python) writes.
    expect(makefile).toMatch(/^pacts: node-modules pacts-notification\n\tnpm run test:consumer --workspaces --if-present$/m);
    expect(makefile).toContain('\tcd services/notification && .venv/bin/python -m pytest -m consumer tests/contracts');
    expect(makefile).toContain('\tcd services/notification && .venv/bin/python -m ruff check . && .venv/bin/python -m ruff format --check . && .venv/bin/python -m mypy app tests && .venv/bin/python -m pytest');
    expect(renderYaml(exampleYaml('ecommerce'), [tests]).get('Makefile')).toBeUndefined();
  });
});

describe('python input models', () => {
  it('give a field with a default to a body that leaves it out, as the Node.js service does', () => {
    const yaml = "version: 1\nname: t\nservices:\n  shelf:\n    runtime: python\n    database: shelf\n    entities:\n      Book:\n        pages: { type: integer, default: 0 }\n        pagesRead: { type: integer, default: 0 }\n        note: string?\n";
    const model = files(yaml).get('services/shelf/app/models/book.py')!.content;
    expect(model).toContain('pages: Int32 = Field(default=0, validate_default=True)');
    expect(model).toContain('pages_read: Int32 = Field(default=0, validate_default=True, alias="pagesRead")');
    expect(model).toMatch(/note: Text \| None = Field\(default=None\)/);
  });

  it('take what the columns store: 32-bit integers, finite numbers, text without NUL, from app/models/types.py', () => {
    const yaml = 'version: 1\nname: t\nservices:\n  shelf:\n    runtime: python\n    database: shelf\n    entities:\n      Book:\n        title: string\n        pages: integer\n        price: number?\n        tags: string[]?\n        kind: { enum: [paper, ebook] }\n';
    const model = files(yaml).get('services/shelf/app/models/book.py')!.content;
    expect(model).toContain('from app.models.types import Int32, Number, Text\n');
    expect(model).toMatch(/title: Text\n\s+pages: Int32\n\s+price: Number \| None = Field\(default=None\)\n\s+tags: list\[Text\] \| None/);
    const types = files(yaml).get('services/shelf/app/models/types.py')!.content;
    expect(types).toContain('Field(ge=-2_147_483_648, le=2_147_483_647)');
    expect(types).toContain('Text = Annotated[str, Field(pattern=r"^[^\\u0000]*$")]');
  });
});

/**
 * Entities and events with many fields and long names: a sample, a row, a
 * matcher or a declaration that no longer fits on a line must be wrapped the
 * way ruff format wraps it. `Compact` is one that just overflows with three
 * fields: a split dict literal takes one item a line, never all on one.
 */
const wideYaml = `version: 1
name: wide
broker: rabbitmq
services:
  ledger:
    runtime: python
    database: ledger
    entities:
      LedgerEntry:
        accountHolderFullName: string
        accountHolderEmailAddress: string
        internationalBankAccountNumber: string
        bankIdentifierCodeOfTheBank: string
        transactionAmountInCents: integer
        transactionCurrencyIsoCode: { type: string, default: EUR }
        transactionDescriptionText: text?
        transactionBookingDate: date
        transactionValueTimestamp: datetime
        transactionCategoryLabels: string[]
        transactionReconciliationState: { enum: [reconciled_by_the_bank, reconciled_by_hand, not_yet_reconciled] }
        transactionCounterpartyIdentifier: uuid
      Compact:
        flagIdIdholderx0: integer
        idlabellabeldate1: uuid
        holderlabel2: string
    api:
      - POST /ledger-entries/{id}/reconcile
      - POST /ledger-entries/{id}/export
      - GET /ledger-entries/{id}/audit-trail
    publishes: [EntryBooked]
  auditor:
    runtime: python
    database: audit
    calls:
      ledger:
        - GET /ledger-entries
        - GET /ledger-entries/{id}
        - POST /ledger-entries
        - PUT /ledger-entries/{id}
        - DELETE /ledger-entries/{id}
        - POST /ledger-entries/{id}/reconcile
        - POST /ledger-entries/{id}/export
        - GET /ledger-entries/{id}/audit-trail
    subscribes: [EntryBooked]
  archive:
    runtime: python
    database: archive
    entities:
      Record: { body: text }
    api:
      # Hand-written: replaces the generated create, so the service's own tests have no CRUD to start from.
      - POST /records
events:
  EntryBooked:
    ledgerEntryIdentifier: uuid
    accountHolderFullName: string
    transactionAmountInCents: integer
    transactionCategoryLabelsAttachedByTheBank: string[]
    transactionReconciliationStateAtBooking: { enum: [reconciled_by_the_bank, reconciled_by_hand, not_yet_reconciled] }
    transactionMetadataAsReceivedFromTheBank: json
`;

/** Long names of everything: system, services, entity, fields, event and a hand-written endpoint. */
const longNamesYaml = `version: 1
name: long-names-of-a-loyalty-system
broker: rabbitmq
services:
  customer-loyalty-programs:
    runtime: python
    database: loyalty
    entities:
      CustomerLoyaltyProgramMembership:
        customerIdentifierInTheCrmSystem: uuid
        membershipTierName: { enum: [bronze, silver, gold] }
        pointsBalanceAfterTheLastStatement: integer
    api:
      - POST /customer-loyalty-program-memberships/{id}/upgrade-to-the-next-tier
    publishes: [CustomerLoyaltyMembershipUpgraded]
  loyalty-notifications:
    runtime: python
    database: loyalty_notifications
    calls:
      customer-loyalty-programs:
        - GET /customer-loyalty-program-memberships
        - GET /customer-loyalty-program-memberships/{id}
        - POST /customer-loyalty-program-memberships
        - PUT /customer-loyalty-program-memberships/{id}
        - DELETE /customer-loyalty-program-memberships/{id}
        - POST /customer-loyalty-program-memberships/{id}/upgrade-to-the-next-tier
    subscribes: [CustomerLoyaltyMembershipUpgraded]
events:
  CustomerLoyaltyMembershipUpgraded: { membershipIdentifier: uuid, newTierName: string }
`;

describe('ruff on generated Python', () => {
  const exec = promisify(execFile);
  const scratch = mkdtempSync(join(tmpdir(), 'py-ruff-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** The system rendered by every target into a folder, with the example's hand-written files over it, as a user has it. */
  function generated(label: string, yaml: string, example?: string): { dir: string; python: string[] } {
    const dir = join(scratch, label);
    for (const file of renderYaml(yaml).files()) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
    if (example && existsSync(join('examples', example, 'services'))) cpSync(join('examples', example, 'services'), join(dir, 'services'), { recursive: true });
    return { dir, python: modelOf(yaml).services.filter((s) => s.runtime === 'python').map((s) => join(dir, 'services', s.name)) };
  }

  const systems: [string, string, string | undefined][] = [
    ...exampleNames.filter((name) => modelOf(exampleYaml(name)).services.some((s) => s.runtime === 'python')).map((name): [string, string, string] => [`example ${name}`, exampleYaml(name), name]),
    ['an entity of 12 long-named fields, its caller, an event of many fields, and an entity created by hand', wideYaml, undefined],
    ['long names of services, entity, fields, event and endpoints', longNamesYaml, undefined],
  ];

  const pins = (dir: string) =>
    ['requirements.txt', 'requirements-dev.txt'].flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n')).filter((l) => /^[\w.-]+==/.test(l));

  // Their venvs, made before the tests: installing one takes an install's time, several minutes while other
  // files install theirs, which a test's own time (ruff on a few dozen files) is not meant for.
  beforeAll(async () => {
    for (const [label, yaml, example] of systems) await pythonVenv(pins(generated(label.replace(/\W+/g, '-'), yaml, example).python[0]!));
  }, 900_000);

  it.each(systems)('%s: every Python service passes ruff check and ruff format --check', async (label, yaml, example) => {
    const { python } = generated(label.replace(/\W+/g, '-'), yaml, example);
    expect(python.length).toBeGreaterThan(0);
    const venv = await pythonVenv(pins(python[0]!));
    const ruff = (args: readonly string[], cwd: string) =>
      exec(join(venv, 'bin', 'python'), ['-m', 'ruff', ...args], { cwd }).then(
        ({ stdout, stderr }) => ({ ok: true, output: stdout + stderr }),
        (error: { stdout: string; stderr: string }) => ({ ok: false, output: error.stdout + error.stderr }),
      );
    for (const cwd of python) {
      const check = await ruff(['check', '.'], cwd);
      expect(check.ok, `ruff check in ${cwd}:\n${check.output}`).toBe(true);
      const format = await ruff(['format', '--check', '--diff', '.'], cwd);
      expect(format.ok, `ruff format --check in ${cwd}:\n${format.output}`).toBe(true);
      expect(format.output).toMatch(/\d+ files already formatted/);
    }
  }, 300_000);
});
