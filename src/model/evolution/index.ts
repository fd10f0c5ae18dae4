/**
 * The data model's evolution: a snapshot of each service's entities as its
 * migrations left them, and the classified difference between a snapshot and
 * a system model. Pure; `generate` (migrations, refusals) and
 * `lint --against` (rule breaking-change) read the same changes.
 */
export { blocks, classOf, diffDataModel, diffService, typeText, type ChangeClass, type ChangeKind, type EntityChange, type Gate } from './diff.js';
export {
  entitySnapshot,
  fieldSnapshot,
  parseServiceSnapshot,
  serializeServiceSnapshot,
  serviceSnapshot,
  snapshotOf,
  SnapshotError,
  type DataModelSnapshot,
  type EntitySnapshot,
  type FieldSnapshot,
  type ServiceSnapshot,
} from './snapshot.js';
export { typeChange, type TypeChange } from './types.js';
