import { serializeServiceSnapshot } from '../../model/evolution/index.js';
import { withHeader } from '../header.js';
import type { Target } from '../target.js';
import { hasDatabase, migrationsDir, planServiceMigrations, snapshotPath } from './plan.js';

/**
 * Every service's migrations, whatever its runtime: the Node.js and the Python
 * services apply the same files to the same tables. A migration is written
 * once and never rewritten (append-only); the snapshot under `.taskflow/`
 * records the data model the migrations have made, for the next run's
 * difference. Refusals are the CLI's business before rendering
 * (`migrationProblems`); should one reach here, the service's migrations and
 * snapshot render as they were.
 */
const target: Target = {
  name: 'migrations',
  render(context, tree) {
    for (const service of context.model.services.filter((s) => hasDatabase(s, context.model.broker))) {
      const plan = planServiceMigrations(context.model, service, context.history?.get(service.name), { allowDataLoss: true });
      for (const file of plan.files) {
        const path = `${migrationsDir(service.name)}/${file.name}`;
        tree.appendOnly(path, file.existing ? file.content : withHeader(path, file.content));
      }
      tree.generated(snapshotPath(service.name), serializeServiceSnapshot(plan.snapshot));
    }
  },
};

export default target;
