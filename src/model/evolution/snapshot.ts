import type { Entity, Field, FieldType, JsonValue, Service, SystemModel } from '../types.js';

/** A field as the database holds it: what a later change is compared with. */
export interface FieldSnapshot {
  readonly name: string;
  readonly type: FieldType;
  readonly list: boolean;
  readonly optional: boolean;
  readonly enum?: readonly string[];
  readonly default?: JsonValue;
}

export interface EntitySnapshot {
  readonly name: string;
  readonly fields: readonly FieldSnapshot[];
}

/** The data model of one service, as its last migration left it. */
export interface ServiceSnapshot {
  readonly service: string;
  readonly entities: readonly EntitySnapshot[];
}

/** Every service's data model (services without entities are left out). */
export interface DataModelSnapshot {
  readonly services: readonly ServiceSnapshot[];
}

/** The format written under `.taskflow/`; a newer format is refused rather than misread. */
export const snapshotFormat = 1;

export function fieldSnapshot(field: Field): FieldSnapshot {
  return {
    name: field.name,
    type: field.type,
    list: field.list,
    optional: field.optional,
    ...(field.enum && { enum: [...field.enum] }),
    ...(field.default !== undefined && { default: field.default }),
  };
}

export function entitySnapshot(entity: Entity): EntitySnapshot {
  return { name: entity.name, fields: entity.fields.map(fieldSnapshot) };
}

/** The data model of one service: its entities, the tables its migrations make. */
export function serviceSnapshot(service: Service): ServiceSnapshot {
  return { service: service.name, entities: service.entities.map(entitySnapshot) };
}

/** The data model of every service that keeps entities (in the database it owns, or its embedded one). */
export function snapshotOf(model: SystemModel): DataModelSnapshot {
  return { services: model.services.filter((s) => s.entities.length > 0).map(serviceSnapshot) };
}

/** Stable JSON of one service's snapshot (the file kept under `.taskflow/`). */
export function serializeServiceSnapshot(snapshot: ServiceSnapshot): string {
  return `${JSON.stringify({ format: snapshotFormat, ...snapshot }, null, 2)}\n`;
}

/** Reads a snapshot written by serializeServiceSnapshot; throws SnapshotError on anything else. */
export function parseServiceSnapshot(text: string): ServiceSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SnapshotError('is not JSON');
  }
  const record = value as { format?: unknown; service?: unknown; entities?: unknown };
  if (record.format !== snapshotFormat) throw new SnapshotError(`has format ${String(record.format)}, this taskflow-gen reads format ${snapshotFormat}`);
  if (typeof record.service !== 'string' || !Array.isArray(record.entities)) throw new SnapshotError('lacks service or entities');
  const entities = record.entities.map((raw: unknown): EntitySnapshot => {
    const entity = raw as { name?: unknown; fields?: unknown };
    if (typeof entity.name !== 'string' || !Array.isArray(entity.fields)) throw new SnapshotError('has an entity without name or fields');
    return {
      name: entity.name,
      fields: entity.fields.map((f: unknown): FieldSnapshot => {
        const field = f as Partial<FieldSnapshot>;
        if (typeof field.name !== 'string' || typeof field.type !== 'string' || typeof field.list !== 'boolean' || typeof field.optional !== 'boolean') {
          throw new SnapshotError(`has a malformed field in ${entity.name as string}`);
        }
        return {
          name: field.name,
          type: field.type,
          list: field.list,
          optional: field.optional,
          ...(Array.isArray(field.enum) && { enum: field.enum.map(String) }),
          ...(field.default !== undefined && { default: field.default }),
        };
      }),
    };
  });
  return { service: record.service, entities };
}

/** A snapshot file that cannot be read: the CLI names the file and says how to recover. */
export class SnapshotError extends Error {}
