/** `OrderItem` -> `order-item`. */
export function kebab(name: string): string {
  // Both replacements need a capital after the first character: without one (`Order`, `Item42`) they change nothing.
  // Lint and generate ask this of every entity of a large system.
  if (!hasInnerCapital(name)) return name.toLowerCase();
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

function hasInnerCapital(name: string): boolean {
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/** `OrderItem` -> `order-items`: the kebab-case plural under which an entity's CRUD is served. */
export function resourceOf(entity: string): string {
  return pluralize(kebab(entity));
}

function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return word + 'es';
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  return word + 's';
}

/** `order-items` -> `ORDER_ITEMS`: environment-variable form of a name. */
export function envName(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}

/** Endpoints every generated service serves besides its API (PRODUCT.md runtime conventions). */
export const operationalEndpoints = ['GET /health', 'GET /ready', 'GET /metrics', 'GET /openapi.json'] as const;
