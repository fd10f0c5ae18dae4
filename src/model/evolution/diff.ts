import type { Entity, Field, Loc, Service, SystemModel } from '../types.js';
import { entitySnapshot, fieldSnapshot, type DataModelSnapshot, type EntitySnapshot, type FieldSnapshot, type ServiceSnapshot } from './snapshot.js';
import { typeChange } from './types.js';

/**
 * How a change treats the rows already stored:
 * - additive: adds or renames; no stored value is lost or altered;
 * - data-dependent: existing rows are written (backfilled from a default), or the change could fail on them;
 * - destructive: stored values are dropped or converted with possible loss.
 */
export type ChangeClass = 'additive' | 'data-dependent' | 'destructive';

/**
 * What `generate` does with a change:
 * - safe: goes through;
 * - allow-data-loss: refused unless the run says `--allow-data-loss`;
 * - refused: refused whatever the flags; system.yaml must say more (a default, or keep the field optional).
 */
export type Gate = 'safe' | 'allow-data-loss' | 'refused';

export type ChangeKind =
  | 'entity-added'
  | 'entity-removed'
  | 'entity-renamed'
  | 'field-added'
  | 'field-removed'
  | 'field-renamed'
  | 'type-changed'
  | 'made-required'
  | 'made-optional'
  | 'enum-values-added'
  | 'enum-values-removed'
  | 'default-changed';

/** One classified difference between the stored data model and the one system.yaml declares now. */
export interface EntityChange {
  readonly kind: ChangeKind;
  readonly class: ChangeClass;
  readonly gate: Gate;
  readonly service: string;
  /** The entity's name in the new system.yaml (its old name for a removed entity). */
  readonly entity: string;
  /** The field's name in the new system.yaml (its old name for a removed field). */
  readonly field?: string;
  /** Old name of a renamed entity or field. */
  readonly from?: string;
  /** The field before and after (field changes). */
  readonly before?: FieldSnapshot;
  readonly after?: FieldSnapshot;
  /** The whole entity, for entity-added (to create) and entity-removed (to drop). */
  readonly entitySnapshot?: EntitySnapshot;
  /** Values no longer allowed (enum-values-removed). */
  readonly removedValues?: readonly string[];
  /** What changes, for people: `Product.brand is added (required, default 'none')`. */
  readonly message: string;
  /** How to get past a refusal (gate allow-data-loss or refused). */
  readonly fix?: string;
  /** Where the change is in the new system.yaml: the field, or its entity / service when it was removed. */
  readonly loc: Loc;
}

/** Whether `generate` must stop for this change. */
export function blocks(change: EntityChange, options: { readonly allowDataLoss: boolean }): boolean {
  return change.gate === 'refused' || (change.gate === 'allow-data-loss' && !options.allowDataLoss);
}

/** The most serious class among changes (additive when there are none). */
export function classOf(changes: readonly EntityChange[]): ChangeClass {
  if (changes.some((c) => c.class === 'destructive')) return 'destructive';
  if (changes.some((c) => c.class === 'data-dependent')) return 'data-dependent';
  return 'additive';
}

/**
 * Every change between the stored data model and a system model, per service
 * present in both (a service removed from system.yaml takes its database
 * with it; the generator writes no migration for it). Pure; positions come
 * from the new model.
 */
export function diffDataModel(before: DataModelSnapshot, after: SystemModel): EntityChange[] {
  const old = new Map(before.services.map((s) => [s.service, s]));
  return after.services.flatMap((service) => diffService(old.get(service.name), service));
}

/** The changes of one service's entities since its snapshot; no snapshot means every entity is new. */
export function diffService(before: ServiceSnapshot | undefined, service: Service): EntityChange[] {
  const entities = service.entities;
  const oldEntities = new Map((before?.entities ?? []).map((e) => [e.name, e]));
  const claimed = new Set<string>();
  const matches = entities.map((entity) => {
    const previous = matchPrevious(entity.name, entity.renamedFrom, oldEntities, entities.map((e) => e.name), claimed);
    if (previous) claimed.add(previous.name);
    return { entity, previous };
  });
  const changes: EntityChange[] = [];
  for (const { entity, previous } of matches) {
    if (!previous) {
      changes.push(entityAdded(service.name, entity));
      continue;
    }
    if (previous.name !== entity.name) {
      changes.push({
        kind: 'entity-renamed',
        class: 'additive',
        gate: 'safe',
        service: service.name,
        entity: entity.name,
        from: previous.name,
        message: `entity ${previous.name} is renamed to ${entity.name}: its table is renamed, rows kept`,
        loc: entity.loc,
      });
    }
    changes.push(...diffFields(service.name, entity, previous));
  }
  for (const removed of before?.entities ?? []) {
    if (claimed.has(removed.name)) continue;
    changes.push({
      kind: 'entity-removed',
      class: 'destructive',
      gate: 'allow-data-loss',
      service: service.name,
      entity: removed.name,
      entitySnapshot: removed,
      message: `entity ${removed.name} is removed from service '${service.name}': its table and every row in it would be dropped`,
      fix: `run generate with --allow-data-loss to drop it deliberately; if it was renamed, write \`renamedFrom: ${removed.name}\` in the new entity`,
      loc: service.loc,
    });
  }
  return changes;
}

/** The stored item a new one continues: the same name, else the one it says it was renamed from (unless still in use). */
function matchPrevious<T extends { readonly name: string }>(
  name: string,
  renamedFrom: string | undefined,
  old: ReadonlyMap<string, T>,
  newNames: readonly string[],
  claimed: ReadonlySet<string>,
): T | undefined {
  const same = old.get(name);
  if (same) return same;
  if (renamedFrom === undefined || newNames.includes(renamedFrom) || claimed.has(renamedFrom)) return undefined;
  return old.get(renamedFrom);
}

function entityAdded(service: string, entity: Entity): EntityChange {
  return {
    kind: 'entity-added',
    class: 'additive',
    gate: 'safe',
    service,
    entity: entity.name,
    entitySnapshot: entitySnapshot(entity),
    message: `entity ${entity.name} is added: a new table`,
    loc: entity.loc,
  };
}

function diffFields(service: string, entity: Entity, previous: EntitySnapshot): EntityChange[] {
  const oldFields = new Map(previous.fields.map((f) => [f.name, f]));
  const claimed = new Set<string>();
  const names = entity.fields.map((f) => f.name);
  const changes: EntityChange[] = [];
  const base = { service, entity: entity.name };
  for (const field of entity.fields) {
    const before = matchPrevious(field.name, field.renamedFrom, oldFields, names, claimed);
    const after = fieldSnapshot(field);
    const at = { ...base, field: field.name, loc: field.loc };
    const label = `${entity.name}.${field.name}`;
    if (!before) {
      changes.push(fieldAdded(at, label, after));
      continue;
    }
    claimed.add(before.name);
    if (before.name !== field.name) {
      changes.push({ ...at, kind: 'field-renamed', class: 'additive', gate: 'safe', from: before.name, before, after, message: `${entity.name}.${before.name} is renamed to ${field.name}: its column is renamed, values kept` });
    }
    changes.push(...fieldChanges(at, label, before, after));
  }
  for (const removed of previous.fields) {
    if (claimed.has(removed.name)) continue;
    changes.push({
      ...base,
      kind: 'field-removed',
      class: 'destructive',
      gate: 'allow-data-loss',
      field: removed.name,
      before: removed,
      message: `field ${entity.name}.${removed.name} is removed: its column and the value of every existing row would be dropped`,
      fix: `run generate with --allow-data-loss to drop it deliberately; if it was renamed, write \`renamedFrom: ${removed.name}\` in the new field`,
      loc: entity.loc,
    });
  }
  return changes;
}

type At = Pick<EntityChange, 'service' | 'entity' | 'field' | 'loc'>;

function fieldAdded(at: At, label: string, after: FieldSnapshot): EntityChange {
  if (after.optional) return { ...at, kind: 'field-added', class: 'additive', gate: 'safe', after, message: `optional field ${label} is added: existing rows hold null` };
  if (after.default !== undefined) {
    return { ...at, kind: 'field-added', class: 'data-dependent', gate: 'safe', after, message: `required field ${label} is added: existing rows get its default ${show(after.default)}` };
  }
  return {
    ...at,
    kind: 'field-added',
    class: 'data-dependent',
    gate: 'refused',
    after,
    message: `required field ${label} is added without a default: existing rows would have no value for it`,
    fix: `give it a default (\`{ type: ${typeText(after)}, default: ... }\`) that existing rows get, or add it optional (\`${typeText(after)}?\`), fill it in, and make it required in a later change`,
  };
}

function fieldChanges(at: At, label: string, before: FieldSnapshot, after: FieldSnapshot): EntityChange[] {
  const changes: EntityChange[] = [];
  const pair = { before, after };
  const type = typeChange(before, after);
  if (type === 'lossless') {
    changes.push({ ...at, ...pair, kind: 'type-changed', class: 'additive', gate: 'safe', message: `${label} changes from ${typeText(before)} to ${typeText(after)}, which keeps every stored value` });
  } else if (type === 'lossy') {
    changes.push({
      ...at,
      ...pair,
      kind: 'type-changed',
      class: 'destructive',
      gate: 'allow-data-loss',
      message: `${label} changes from ${typeText(before)} to ${typeText(after)}, which can lose stored values (or fail on them)`,
      fix: `run generate with --allow-data-loss to convert existing rows deliberately, or add a new field of the new type and keep this one`,
    });
  }
  const narrowed = narrowedEnum(before, after);
  if (narrowed) {
    const values = narrowed === 'any' ? 'values outside [' + after.enum!.join(', ') + ']' : narrowed.map((v) => `'${v}'`).join(', ');
    const replacement = after.list ? 'removed from the list' : after.default !== undefined ? `replaced by its default ${show(after.default)}` : after.optional ? 'replaced by null' : undefined;
    const common = { ...at, ...pair, kind: 'enum-values-removed' as const, class: 'destructive' as const, ...(narrowed !== 'any' && { removedValues: narrowed }) };
    changes.push(
      replacement === undefined
        ? {
            ...common,
            gate: 'refused',
            message: `${label} no longer allows ${values}, and rows holding them would have nothing to hold instead`,
            fix: 'give the field a default that those rows get, or make it optional, or keep the values',
          }
        : {
            ...common,
            gate: 'allow-data-loss',
            message: `${label} no longer allows ${values}: rows holding them lose that value (${replacement})`,
            fix: 'run generate with --allow-data-loss to rewrite those rows deliberately, or keep the values',
          },
    );
  } else if (after.enum && before.enum && after.enum.some((v) => !before.enum!.includes(v))) {
    changes.push({ ...at, ...pair, kind: 'enum-values-added', class: 'additive', gate: 'safe', message: `${label} allows ${after.enum.filter((v) => !before.enum!.includes(v)).map((v) => `'${v}'`).join(', ')} too` });
  } else if (before.enum && !after.enum) {
    changes.push({ ...at, ...pair, kind: 'enum-values-added', class: 'additive', gate: 'safe', message: `${label} accepts any ${after.type} value now` });
  }
  if (before.optional && !after.optional) {
    changes.push(
      after.default !== undefined
        ? { ...at, ...pair, kind: 'made-required', class: 'data-dependent', gate: 'safe', message: `${label} becomes required: rows without a value get its default ${show(after.default)}` }
        : {
            ...at,
            ...pair,
            kind: 'made-required',
            class: 'data-dependent',
            gate: 'refused',
            message: `${label} becomes required without a default: existing rows may have no value for it`,
            fix: `give it a default (\`{ type: ${typeText(after)}, default: ... }\`) that rows without a value get, or keep it optional`,
          },
    );
  } else if (!before.optional && after.optional) {
    changes.push({ ...at, ...pair, kind: 'made-optional', class: 'additive', gate: 'safe', message: `${label} becomes optional` });
  }
  if (JSON.stringify(before.default) !== JSON.stringify(after.default)) {
    changes.push({ ...at, ...pair, kind: 'default-changed', class: 'additive', gate: 'safe', message: `${label}'s default becomes ${after.default === undefined ? 'none' : show(after.default)}` });
  }
  return changes;
}

/** Values a stored row may hold that the field no longer allows: dropped enum values, or `any` when a free string gets an enum. */
function narrowedEnum(before: FieldSnapshot, after: FieldSnapshot): readonly string[] | 'any' | undefined {
  if (!after.enum) return undefined;
  if (!before.enum) return 'any';
  const removed = before.enum.filter((v) => !after.enum!.includes(v));
  return removed.length > 0 ? removed : undefined;
}

/** `string?`, `integer[]`, `enum [a, b]`: a field's type as system.yaml writes it. */
export function typeText(field: Pick<Field, 'type' | 'list' | 'enum'>): string {
  const base = field.enum ? `enum [${field.enum.join(', ')}]` : field.type;
  return field.list ? `${base}[]` : base;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
