import { serializeServiceSnapshot } from '../../model/evolution/index.js';
import { withHeader } from '../header.js';
import type { Target } from '../target.js';
import { migrationsDir, planServiceMigrations, snapshotPath } from './plan.js';

/**
 * Every service's migrations, whatever its runtime: the Node.js and the Python
 * services apply the same files to the same tables. A migration is written
 * once and never rewritten (append-only); the snapshot under `.taskflow/`
 * records the data model the migrations have made, for the next run's
 * difference. Refusals are the CLI's business before rendering
 * (`migrationProblems`); here a refused change would simply not be rendered.
 */
const target: Target = {
  name: 'migrations',
  render(context, tree) {
    for (const service of context.model.services) {
      const plan = planServiceMigrations(context.model, service, context.history?.get(service.name), { allowDataLoss: true });
      if (plan.problems.length > 0) continue;
      for (const file of plan.files) {
        const path = `${migrationsDir(service.name)}/${file.name}`;
        tree.appendOnly(path, file.existing ? file.content : withHeader(path, file.content));
      }
      tree.generated(snapshotPath(service.name), serializeServiceSnapshot(plan.snapshot));
    }
  },
};

export default target;
