import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { loadSystem } from '../../load.js';
import type { SystemModel } from '../types.js';
import { blocks, classOf, diffDataModel, type ChangeClass, type ChangeKind, type Gate } from './diff.js';
import { parseServiceSnapshot, serializeServiceSnapshot, snapshotOf, SnapshotError } from './snapshot.js';

/** A system with one service `shop` owning a database, whose entities are given as YAML lines under `entities:`. */
function system(entities: string): SystemModel {
  const text = `version: 1\nname: test\nservices:\n  shop:\n    database: shop\n    entities:\n${entities
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n  other: {}\n`;
  const loaded = loadSystem(text, 'system.yaml');
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.model;
}

interface Expected {
  readonly kind: ChangeKind;
  readonly class: ChangeClass;
  readonly gate: Gate;
  /** Line in the new system.yaml (entities start on line 7). */
  readonly line: number;
  readonly message: RegExp;
  readonly fix?: RegExp;
}

interface Case {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  readonly changes: readonly Expected[];
}

const cases: readonly Case[] = [
  { name: 'nothing changes', before: 'Product: { name: string }', after: 'Product: { name: string }', changes: [] },
  {
    name: 'a new entity',
    before: 'Product: { name: string }',
    after: 'Product: { name: string }\nReview: { stars: integer }',
    changes: [{ kind: 'entity-added', class: 'additive', gate: 'safe', line: 8, message: /entity Review is added/ }],
  },
  {
    name: 'a new optional field',
    before: 'Product: { name: string }',
    after: 'Product:\n  name: string\n  brand: string?',
    changes: [{ kind: 'field-added', class: 'additive', gate: 'safe', line: 9, message: /optional field Product.brand is added/ }],
  },
  {
    name: 'a new required field with a default',
    before: 'Product: { name: string }',
    after: 'Product:\n  name: string\n  pages: { type: integer, default: 0 }',
    changes: [{ kind: 'field-added', class: 'data-dependent', gate: 'safe', line: 9, message: /existing rows get its default 0/ }],
  },
  {
    name: 'a new required field without a default',
    before: 'Product: { name: string }',
    after: 'Product:\n  name: string\n  brand: string',
    changes: [{ kind: 'field-added', class: 'data-dependent', gate: 'refused', line: 9, message: /required field Product.brand is added without a default/, fix: /default: \.\.\..*or add it optional \(`string\?`\)/ }],
  },
  {
    name: 'a field removed',
    before: 'Product:\n  name: string\n  price: number',
    after: 'Product:\n  name: string',
    changes: [{ kind: 'field-removed', class: 'destructive', gate: 'allow-data-loss', line: 7, message: /field Product.price is removed/, fix: /--allow-data-loss.*renamedFrom: price/ }],
  },
  {
    name: 'an entity removed',
    before: 'Product: { name: string }\nReview: { stars: integer }',
    after: 'Product: { name: string }',
    changes: [{ kind: 'entity-removed', class: 'destructive', gate: 'allow-data-loss', line: 4, message: /entity Review is removed/, fix: /renamedFrom: Review/ }],
  },
  {
    name: 'a field renamed with renamedFrom',
    before: 'Book: { name: string }',
    after: 'Book:\n  title: { type: string, renamedFrom: name }',
    changes: [{ kind: 'field-renamed', class: 'additive', gate: 'safe', line: 8, message: /Book.name is renamed to title/ }],
  },
  {
    name: 'a stale renamedFrom once the rename is stored',
    before: 'Book: { title: string }',
    after: 'Book:\n  title: { type: string, renamedFrom: name }',
    changes: [],
  },
  {
    name: 'a renamed field that also widens',
    before: 'Book: { count: integer }',
    after: 'Book:\n  amount: { type: number, renamedFrom: count }',
    changes: [
      { kind: 'field-renamed', class: 'additive', gate: 'safe', line: 8, message: /renamed to amount/ },
      { kind: 'type-changed', class: 'additive', gate: 'safe', line: 8, message: /from integer to number, which keeps every stored value/ },
    ],
  },
  {
    name: 'an entity renamed with renamedFrom',
    before: 'Item: { name: string }',
    after: 'Product:\n  renamedFrom: Item\n  name: string',
    changes: [{ kind: 'entity-renamed', class: 'additive', gate: 'safe', line: 7, message: /entity Item is renamed to Product/ }],
  },
  {
    name: 'widening integer to number',
    before: 'Product: { stock: integer }',
    after: 'Product: { stock: number }',
    changes: [{ kind: 'type-changed', class: 'additive', gate: 'safe', line: 7, message: /from integer to number/ }],
  },
  {
    name: 'narrowing number to integer',
    before: 'Product: { price: number }',
    after: 'Product: { price: integer }',
    changes: [{ kind: 'type-changed', class: 'destructive', gate: 'allow-data-loss', line: 7, message: /from number to integer, which can lose stored values/, fix: /--allow-data-loss/ }],
  },
  {
    name: 'text to number',
    before: 'Product: { code: text }',
    after: 'Product: { code: number }',
    changes: [{ kind: 'type-changed', class: 'destructive', gate: 'allow-data-loss', line: 7, message: /from text to number/ }],
  },
  {
    name: 'a list to one value',
    before: 'Product: { tags: "string[]" }',
    after: 'Product: { tags: string }',
    changes: [{ kind: 'type-changed', class: 'destructive', gate: 'allow-data-loss', line: 7, message: /from string\[\] to string/ }],
  },
  {
    name: 'string to text (same storage)',
    before: 'Product: { note: string }',
    after: 'Product: { note: text }',
    changes: [{ kind: 'type-changed', class: 'additive', gate: 'safe', line: 7, message: /keeps every stored value/ }],
  },
  {
    name: 'enum values added',
    before: 'Order: { status: { enum: [open, closed] } }',
    after: 'Order: { status: { enum: [open, closed, held] } }',
    changes: [{ kind: 'enum-values-added', class: 'additive', gate: 'safe', line: 7, message: /allows 'held' too/ }],
  },
  {
    name: 'an enum dropped',
    before: 'Order: { status: { enum: [open, closed] } }',
    after: 'Order: { status: string }',
    changes: [{ kind: 'enum-values-added', class: 'additive', gate: 'safe', line: 7, message: /accepts any string value now/ }],
  },
  {
    name: 'an enum value removed from an optional field',
    before: 'Order: { status: { enum: [open, closed], optional: true } }',
    after: 'Order: { status: { enum: [open], optional: true } }',
    changes: [{ kind: 'enum-values-removed', class: 'destructive', gate: 'allow-data-loss', line: 7, message: /no longer allows 'closed'.*replaced by null/ }],
  },
  {
    name: 'an enum value removed from a required field without a default',
    before: 'Order: { status: { enum: [open, closed] } }',
    after: 'Order: { status: { enum: [open] } }',
    changes: [{ kind: 'enum-values-removed', class: 'destructive', gate: 'refused', line: 7, message: /no longer allows 'closed'/, fix: /default/ }],
  },
  {
    name: 'an enum on a free string',
    before: 'Order: { status: string }',
    after: 'Order: { status: { enum: [open], default: open } }',
    changes: [
      { kind: 'enum-values-removed', class: 'destructive', gate: 'allow-data-loss', line: 7, message: /values outside \[open\].*replaced by its default 'open'/ },
      { kind: 'default-changed', class: 'additive', gate: 'safe', line: 7, message: /default becomes 'open'/ },
    ],
  },
  {
    name: 'optional made required with a default',
    before: 'Product: { brand: string? }',
    after: "Product: { brand: { type: string, default: 'none' } }",
    changes: [
      { kind: 'made-required', class: 'data-dependent', gate: 'safe', line: 7, message: /rows without a value get its default 'none'/ },
      { kind: 'default-changed', class: 'additive', gate: 'safe', line: 7, message: /default/ },
    ],
  },
  {
    name: 'optional made required without a default',
    before: 'Product: { brand: string? }',
    after: 'Product: { brand: string }',
    changes: [{ kind: 'made-required', class: 'data-dependent', gate: 'refused', line: 7, message: /becomes required without a default/, fix: /give it a default/ }],
  },
  {
    name: 'required made optional',
    before: 'Product: { brand: string }',
    after: 'Product: { brand: string? }',
    changes: [{ kind: 'made-optional', class: 'additive', gate: 'safe', line: 7, message: /becomes optional/ }],
  },
];

describe('diffDataModel', () => {
  for (const c of cases) {
    it(c.name, () => {
      const changes = diffDataModel(snapshotOf(system(c.before)), system(c.after));
      expect(changes.map((ch) => ({ kind: ch.kind, class: ch.class, gate: ch.gate, line: ch.loc.line }))).toEqual(
        c.changes.map((e) => ({ kind: e.kind, class: e.class, gate: e.gate, line: e.line })),
      );
      changes.forEach((change, i) => {
        const expected = c.changes[i]!;
        expect(change.service).toBe('shop');
        expect(change.message).toMatch(expected.message);
        if (expected.fix) expect(change.fix).toMatch(expected.fix);
        if (change.gate !== 'safe') expect(change.fix, 'every refusal says how to get past it').toBeTruthy();
      });
    });
  }

  it('sees every entity as new when there is no snapshot, and a service without database as holding none', () => {
    const changes = diffDataModel({ services: [] }, system('Product: { name: string }\nReview: { stars: integer }'));
    expect(changes.map((c) => `${c.kind} ${c.entity}`)).toEqual(['entity-added Product', 'entity-added Review']);
  });

  it('ignores a service removed from system.yaml (its database goes with it)', () => {
    const before = snapshotOf(system('Product: { name: string }'));
    const renamed = { ...before, services: before.services.map((s) => ({ ...s, service: 'gone' })) };
    expect(diffDataModel(renamed, system('Product: { name: string }')).map((c) => c.kind)).toEqual(['entity-added']);
  });
});

describe('blocks and classOf', () => {
  const changes = diffDataModel(snapshotOf(system('Product:\n  name: string\n  price: number')), system('Product:\n  name: string\n  brand: string?'));
  it('lets safe changes through, data loss only with the flag', () => {
    expect(changes.map((c) => [c.kind, blocks(c, { allowDataLoss: false }), blocks(c, { allowDataLoss: true })])).toEqual([
      ['field-added', false, false],
      ['field-removed', true, false],
    ]);
    expect(classOf(changes)).toBe('destructive');
    expect(classOf(changes.filter((c) => c.kind === 'field-added'))).toBe('additive');
    expect(classOf([])).toBe('additive');
  });
  it('never lets a refused change through', () => {
    const [refused] = diffDataModel(snapshotOf(system('Product: { name: string }')), system('Product:\n  name: string\n  brand: string'));
    expect(blocks(refused!, { allowDataLoss: true })).toBe(true);
  });
});

describe('service snapshots', () => {
  it('round-trip through their JSON, defaults and enums included', () => {
    const [snapshot] = snapshotOf(system("Order:\n  status: { enum: [open, closed], default: open }\n  tags: { type: 'string[]', optional: true, default: [a] }")).services;
    expect(parseServiceSnapshot(serializeServiceSnapshot(snapshot!))).toEqual(snapshot);
  });
  it('refuse what they cannot read', () => {
    expect(() => parseServiceSnapshot('{')).toThrow(SnapshotError);
    expect(() => parseServiceSnapshot('{"format": 2, "service": "x", "entities": []}')).toThrow(/format 2/);
    expect(() => parseServiceSnapshot('{"format": 1, "service": "x", "entities": [{"name": "A", "fields": [{"name": "a"}]}]}')).toThrow(/malformed field/);
  });
});
