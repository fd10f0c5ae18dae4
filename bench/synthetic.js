// Synthetic system.yaml text of N services, shaped like a large real system:
// services grouped in domains of 10; inside a domain each service calls about
// 3 later ones synchronously (a DAG, as in a healthy system); each service
// publishes one event and subscribes to the previous service's event, so
// events cross domain boundaries. Teams own 3 services each.
const domainSize = 10;

export function syntheticSystem(count) {
  const lines = ['version: 1', `name: synthetic-${count}`, 'broker: rabbitmq', 'gateway:', '  kind: node', '  auth: jwt', '  rateLimit: 100/min', 'teams:'];
  for (let t = 0; t * 3 < count; t++) {
    lines.push(`  t${t}:`);
    for (let i = t * 3; i < Math.min(count, t * 3 + 3); i++) lines.push(`    - s${i}`);
  }
  lines.push('services:');
  for (let i = 0; i < count; i++) {
    const domainEnd = Math.min(count, (Math.floor(i / domainSize) + 1) * domainSize);
    lines.push(`  s${i}:`, `    database: db${i}`, '    entities:');
    lines.push(`      Item${i}:`, '        name: string', '        quantity: integer', '        price: number');
    lines.push(`      Note${i}:`, '        text: text', '        createdAt: datetime?');
    lines.push('    api:', `      - POST /item${i}s/{id}/archive`);
    const callees = [1, 2, 4].map((step) => i + step).filter((j) => j < domainEnd);
    if (callees.length > 0) {
      lines.push('    calls:');
      for (const j of callees) lines.push(`      s${j}:`, `        - GET /item${j}s/{id}`);
    }
    lines.push('    publishes:', `      - Event${i}`);
    if (i > 0) lines.push('    subscribes:', `      - Event${i - 1}`);
  }
  lines.push('events:');
  for (let i = 0; i < count; i++) lines.push(`  Event${i}:`, '    id: uuid', '    at: datetime');
  return lines.join('\n') + '\n';
}

/**
 * The system of the lint benchmark: each service owns a database and an
 * entity, calls up to 3 earlier services (chosen by a seeded generator, so
 * early services gather many dependants), publishes one event and subscribes
 * to the events of two earlier services.
 */
export function lintBenchSystem(count) {
  let seed = 42;
  const random = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const lines = ['version: 1', `name: lint-bench-${count}`, 'broker: rabbitmq', 'gateway:', '  kind: node', '  auth: jwt', '  rateLimit: 100/min', 'teams:'];
  for (let t = 0; t * 3 < count; t++) {
    lines.push(`  t${t}:`);
    for (let i = t * 3; i < Math.min(count, t * 3 + 3); i++) lines.push(`    - s${i}`);
  }
  lines.push('services:');
  for (let i = 0; i < count; i++) {
    lines.push(`  s${i}:`, `    database: db${i}`, '    entities:', `      Item${i}:`, '        name: string', '        quantity: integer');
    const callees = [...new Set(Array.from({ length: Math.min(i, 3) }, () => random(i)))];
    if (callees.length > 0) {
      lines.push('    calls:');
      for (const j of callees) lines.push(`      s${j}:`, `        - GET /item${j}s/{id}`);
    }
    lines.push('    publishes:', `      - Event${i}`);
    const sources = [...new Set(Array.from({ length: Math.min(i, 2) }, () => random(i)))];
    if (sources.length > 0) lines.push('    subscribes:', ...sources.map((j) => `      - Event${j}`));
  }
  lines.push('events:');
  for (let i = 0; i < count; i++) lines.push(`  Event${i}:`, '    id: uuid', '    at: datetime');
  return lines.join('\n') + '\n';
}
