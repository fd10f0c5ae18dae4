import type { AnyRule } from './rule.js';
import sharedDatabase from './rules/shared-database.js';
import syncCycle from './rules/sync-cycle.js';

/** Every lint rule, in the order of the README's rule table. */
export const rules: readonly AnyRule[] = [syncCycle, sharedDatabase];
