import type { Service, SystemModel } from './types.js';

// Rules and renderers ask the same questions of the same (immutable) model: answered once per model.
const byName = new WeakMap<SystemModel, ReadonlyMap<string, Service>>();
const byIndex = new WeakMap<SystemModel, ReadonlyMap<string, number>>();

/** The model's services by name. */
export function servicesByName(model: SystemModel): ReadonlyMap<string, Service> {
  let found = byName.get(model);
  if (!found) byName.set(model, (found = new Map(model.services.map((s) => [s.name, s]))));
  return found;
}

/** Each service's position in the file (its index in `model.services`), by name. */
export function serviceIndex(model: SystemModel): ReadonlyMap<string, number> {
  let found = byIndex.get(model);
  if (!found) byIndex.set(model, (found = new Map(model.services.map((s, i) => [s.name, i]))));
  return found;
}
