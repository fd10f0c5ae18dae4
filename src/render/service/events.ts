import type { Service, SystemModel } from '../../model/types.js';
import { jsonSchema } from './fields.js';

/** JSON Schema of the payload of each event the service publishes or consumes; fields it does not know are allowed (a publisher may add some). */
export function eventSchemas(model: SystemModel, service: Service): Record<string, unknown> {
  const names = new Set([...service.publishes, ...service.subscribes].map((ref) => ref.event));
  return Object.fromEntries(
    model.events
      .filter((event) => names.has(event.name))
      .map((event) => [
        event.name,
        {
          type: 'object',
          required: event.fields.filter((f) => !f.optional).map((f) => f.name),
          properties: Object.fromEntries(event.fields.map((f) => [f.name, jsonSchema(f)])),
        },
      ]),
  );
}
