import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SystemModel } from '../model/types.js';

/**
 * What system.yaml may say but the generator cannot render yet, as positioned
 * errors, so `generate` refuses up front instead of writing a service that
 * would only fail when it starts: a service's code speaks PostgreSQL (a
 * server, or PGlite embedded in a Node.js service), not SQLite, MySQL or MongoDB.
 */
export function unsupportedFeatures(model: SystemModel): Diagnostic[] {
  return model.services.flatMap((service): Diagnostic[] => {
    const database = service.database;
    if (!database || database.engine === 'postgres') return [];
    const node = service.runtime === 'node';
    return [
      {
        file: model.file,
        ...database.loc,
        message: `service '${service.name}': the generated ${node ? 'Node.js' : 'Python'} service stores its data in PostgreSQL; engine '${database.engine}' is not supported yet`,
        hint: node
          ? `use \`database: ${database.name}\` (engine postgres); without DATABASE_URL the service runs PostgreSQL embedded (PGlite), no server needed`
          : `use \`database: ${database.name}\` (engine postgres); the service then needs DATABASE_URL, a PostgreSQL server (a Python service has no embedded database)`,
      },
    ];
  });
}
