import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { blocks, diffService, fieldSnapshot, serviceSnapshot, type EntityChange, type ServiceSnapshot } from '../../model/evolution/index.js';
import type { BrokerKind, Service, SystemModel } from '../../model/types.js';
import { withHeader } from '../header.js';
import { storeOf } from '../runtime-view.js';
import { migrationOf } from './migration.js';
import { platformSql } from './platform.js';
import { columnDefinition, tableName } from './sql.js';

/** A file found in a service's migrations/ folder. */
export interface ExistingMigration {
  readonly name: string;
  /** Its content when taskflow-gen wrote it (the manifest records it); undefined for a file someone else put there. */
  readonly content?: string;
  /** Its content when the manifest does not record it: someone else's file, or one a run wrote and was stopped before recording. */
  readonly unrecorded?: string;
}

/** What an earlier run left for one service: its data-model snapshot and its migration files. */
export interface ServiceHistory {
  readonly snapshot?: ServiceSnapshot;
  /** Why the snapshot file could not be read, when it could not. */
  readonly snapshotError?: string;
  readonly migrations: readonly ExistingMigration[];
}

/** Histories by service name; a service without one is new. */
export type History = ReadonlyMap<string, ServiceHistory>;

export interface PlannedMigration {
  readonly name: string;
  readonly content: string;
  /** Whether the file is already there (kept byte for byte) or new (to be written once; its content then lacks the generated notice). */
  readonly existing: boolean;
}

export interface ServiceMigrationPlan {
  readonly files: readonly PlannedMigration[];
  readonly snapshot: ServiceSnapshot;
  readonly changes: readonly EntityChange[];
  /** Changes and states `generate` must refuse (unless allowed), positioned in system.yaml. */
  readonly problems: readonly Diagnostic[];
}

/** The platform migration (outbox, inbox) every service starts with. */
export const platformMigration = '0001_platform.sql';
const legacyEntities = '0002_entities.sql';

export const migrationsDir = (service: string): string => `services/${service}/migrations`;
export const snapshotPath = (service: string): string => `.taskflow/snapshots/${service}.json`;

/**
 * What a service's migrations/ folder becomes: every file written before,
 * unchanged, plus at most one new numbered migration from the difference
 * between the stored snapshot and the entities system.yaml declares now.
 * A system generated before snapshots existed has its files adopted as the
 * baseline when they describe the entities declared now. Pure.
 */
export function planServiceMigrations(model: SystemModel, service: Service, history: ServiceHistory | undefined, options: { readonly allowDataLoss: boolean }): ServiceMigrationPlan {
  const migrations = history?.migrations ?? [];
  const ours = migrations.filter((m) => m.content !== undefined);
  const snapshot = serviceSnapshot(service);
  const problem = (message: string, hint: string, loc = service.loc): Diagnostic => ({ file: model.file, line: loc.line, column: loc.column, message, hint });
  const problems: Diagnostic[] = [];
  let baseline = history?.snapshot;
  if (history?.snapshotError !== undefined) {
    problems.push(problem(`the data-model snapshot of service '${service.name}' (${snapshotPath(service.name)}) ${history.snapshotError}`, 'restore it from version control: it records what the migrations have made of the database'));
  } else if (!baseline && ours.length > 0) {
    const adopted = adopt(service, ours);
    if (typeof adopted === 'string') problems.push(problem(adopted, `generate once with the system.yaml those files were generated from, then make the change; or restore ${snapshotPath(service.name)} from version control`));
    else baseline = adopted;
  }
  const changes = diffService(baseline, service);
  for (const change of changes) {
    if (blocks(change, options)) problems.push(problem(`${change.message}`, change.fix ?? 'keep the earlier definition', change.loc));
  }
  const files: PlannedMigration[] = ours.map((m) => ({ name: m.name, content: m.content!, existing: true }));
  const taken = migrations.map((m) => m.name);
  if (ours.length === 0 && !taken.includes(platformMigration)) {
    files.push({ name: platformMigration, content: platformSql, existing: false });
    taken.push(platformMigration);
  }
  // A refused plan renders what is there and keeps the snapshot it had, so nothing is written or deleted for it.
  if (problems.length > 0) return { files, snapshot: history?.snapshot ?? baseline ?? snapshot, changes, problems };
  const next = migrationOf(changes);
  if (next) {
    // A run stopped after writing this very migration and before recording it (and the snapshot) left it here: it is the one.
    const left = migrations.find((m) => m.unrecorded !== undefined && m.name.endsWith(`_${next.slug}.sql`) && m.unrecorded === withHeader(`${migrationsDir(service.name)}/${m.name}`, next.sql));
    if (left && numberOf(left.name) > Math.max(0, ...taken.filter((name) => name !== left.name).map(numberOf))) files.push({ name: left.name, content: left.unrecorded!, existing: true });
    else files.push({ name: `${String(Math.max(0, ...taken.map(numberOf)) + 1).padStart(4, '0')}_${next.slug}.sql`, content: next.sql, existing: false });
  }
  return { files, snapshot, changes, problems };
}

/** A migration file's number (`0003_products_add_brand.sql` -> 3); 0 for a name without one. */
function numberOf(name: string): number {
  const number = Number.parseInt(name, 10);
  return Number.isFinite(number) ? number : 0;
}

/**
 * Whether a service keeps tables, hence migrations: one that owns a database,
 * every Node.js service (outbox and inbox in PGlite even without one), and a
 * Python service with events, whose outbox and inbox get a database of their own.
 */
export function hasDatabase(service: Service, broker: BrokerKind): boolean {
  return service.runtime === 'node' || storeOf(service, broker) !== undefined;
}

/** Every service's refusals, before anything is rendered or written. */
export function migrationProblems(model: SystemModel, history: History, options: { readonly allowDataLoss: boolean }): Diagnostic[] {
  return model.services.filter((s) => hasDatabase(s, model.broker)).flatMap((service) => planServiceMigrations(model, service, history.get(service.name), options).problems);
}

/**
 * The baseline of a system generated before snapshots: its single entities
 * migration was rewritten in place on every run, so it describes the entities
 * of the last run. When they are the entities declared now, they become the
 * snapshot; a folder with only the platform migration had no entities.
 */
function adopt(service: Service, ours: readonly ExistingMigration[]): ServiceSnapshot | string {
  const legacy = ours.find((m) => m.name === legacyEntities);
  if (!legacy) {
    if (ours.every((m) => m.name === platformMigration)) return { service: service.name, entities: [] };
    return `service '${service.name}' has migrations but no data-model snapshot (${snapshotPath(service.name)} is missing)`;
  }
  const onDisk = legacyShape(legacy.content!);
  const declared = new Set(
    (service.database ? service.entities : []).flatMap((entity) => [tableName(entity.name), ...entity.fields.map((f) => `${tableName(entity.name)} ${columnDefinition(fieldSnapshot(f))}`)]),
  );
  const missing = [...declared].filter((line) => !onDisk.has(line));
  const extra = [...onDisk].filter((line) => !declared.has(line));
  if (missing.length === 0 && extra.length === 0) return serviceSnapshot(service);
  const first = missing[0] !== undefined ? `system.yaml declares ${missing[0]}, which it lacks` : `it has ${extra[0]}, which system.yaml no longer declares`;
  return `services/${service.name}/migrations/${legacyEntities}, written by an earlier taskflow-gen, describes other entities than system.yaml declares now (${first})`;
}

/** Tables and `table column type [NOT NULL]` lines of an entities migration in the earlier generator's format. */
function legacyShape(sql: string): Set<string> {
  const out = new Set<string>();
  for (const match of sql.matchAll(/^CREATE TABLE IF NOT EXISTS ("(?:[^"]|"")+") \(/gm)) out.add(match[1]!);
  for (const match of sql.matchAll(/^ALTER TABLE ("(?:[^"]|"")+") ADD COLUMN IF NOT EXISTS (.+);$/gm)) out.add(`${match[1]} ${match[2]}`);
  return out;
}
