import { camel } from '../service/names.js';

/** `order-lines` -> `OrderLines`. */
export function pascal(kebabName: string): string {
  const c = camel(kebabName);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** `/orders/{id}/cancel` -> `/orders/:id/cancel` (Fastify's route syntax). */
export function fastifyPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}
