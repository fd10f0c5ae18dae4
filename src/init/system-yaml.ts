import type { InitAnswers, ServiceAnswer } from './answers.js';
import { format } from './answers.js';

const schemaLine = /^# yaml-language-server: \$schema=.*$/m;

/** The first line of every system.yaml init writes: editor completion and checking against the schema. */
export function schemaComment(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}`;
}

/** An example's text as is, its $schema line pointing at `schemaRef` (added when it has none). */
export function withSchemaLine(text: string, schemaRef: string): string {
  return schemaLine.test(text) ? text.replace(schemaLine, schemaComment(schemaRef)) : `${schemaComment(schemaRef)}\n${text}`;
}

/** Answers -> system.yaml text (version 1), with short comments. Pure. */
export function systemYaml(answers: InitAnswers, schemaRef: string): string {
  const lines: string[] = [
    schemaComment(schemaRef),
    '#',
    `# ${answers.name}: written by taskflow-gen init. This file is the source of truth:`,
    '# change it, then run `taskflow-gen generate` to re-render the system and',
    '# `taskflow-gen lint` to check the architecture.',
    'version: 1',
    `name: ${answers.name}`,
  ];
  if (answers.description) lines.push(`description: ${JSON.stringify(answers.description)}`);
  lines.push('', 'defaults:', '  runtime: node', '  database: postgres         # engine of every database named below', '  timeoutMs: 2000            # timeout of every sync call', '');
  lines.push(`broker: ${answers.broker}${answers.broker === 'none' ? '                # no events' : '            # carries the events below'}`);
  if (answers.gateway !== 'none') {
    const auth = answers.gateway === 'nginx' ? 'none' : answers.auth;
    lines.push('', '# One public entry point; each service is routed under /<service>.', 'gateway:', `  kind: ${answers.gateway}`, '  port: 8080', `  auth: ${auth}`);
    if (answers.gateway === 'node') lines.push('  rateLimit: 100/min');
  }
  const teams = Object.entries(answers.teams);
  if (teams.length > 0) {
    lines.push('', 'teams:');
    for (const [team, members] of teams) lines.push(`  ${team}: [${members.join(', ')}]`);
  }
  lines.push('', 'services:');
  answers.services.forEach((service, i) => {
    if (i > 0) lines.push('');
    lines.push(...serviceLines(service));
  });
  const published = answers.services.flatMap((s) => s.publishes);
  if (published.length > 0) {
    lines.push('', '# Payload of every event (add the fields its subscribers need).', 'events:');
    for (const event of published) lines.push(`  ${event}: { id: uuid, occurredAt: datetime }`);
  }
  return `${lines.join('\n')}\n`;
}

function serviceLines(service: ServiceAnswer): string[] {
  const lines = [`  ${service.name}:`];
  if (service.runtime !== 'node') lines.push(`    runtime: ${service.runtime}`);
  lines.push(`    database: ${service.database ?? 'none'}`);
  if (service.entities.length > 0) {
    lines.push('    entities:                 # CRUD endpoints are generated for each');
    for (const entity of service.entities) lines.push(`      ${entity.name}: { ${entity.fields.map((f) => `${f.name}: ${f.type.endsWith('?') || f.type.endsWith(']') ? `'${f.type}'` : f.type}`).join(', ')} }`);
  }
  if (service.calls.length > 0) {
    lines.push('    calls:                    # sync HTTP calls, with timeout, retries and circuit breaker');
    const callees = [...new Set(service.calls.map((c) => c.callee))];
    for (const callee of callees) {
      lines.push(`      ${callee}:`);
      for (const call of service.calls.filter((c) => c.callee === callee)) lines.push(`        - ${call.endpoint}`);
    }
  }
  if (service.publishes.length > 0) lines.push(`    publishes: [${format.events(service.publishes)}]`);
  if (service.subscribes.length > 0) lines.push(`    subscribes: [${format.events(service.subscribes)}]`);
  return lines;
}

/** What will be written, for the confirmation before writing. */
export function summary(answers: InitAnswers, file: string): string {
  const gateway = answers.gateway === 'none' ? 'none' : `${answers.gateway} (auth: ${answers.gateway === 'nginx' ? 'none' : answers.auth})`;
  const lines = [`System '${answers.name}' -> ${file}`, `  broker:   ${answers.broker}`, `  gateway:  ${gateway}`, `  services: ${answers.services.length}`];
  for (const s of answers.services) {
    const parts = [`${s.runtime}`, `database ${s.database ?? 'none'}`];
    if (s.entities.length) parts.push(`entities ${s.entities.map((e) => e.name).join(', ')}`);
    if (s.calls.length) parts.push(`calls ${format.calls(s.calls)}`);
    if (s.publishes.length) parts.push(`publishes ${format.events(s.publishes)}`);
    if (s.subscribes.length) parts.push(`subscribes ${format.events(s.subscribes)}`);
    lines.push(`    - ${s.name}: ${parts.join('; ')}`);
  }
  lines.push(`  teams:    ${Object.keys(answers.teams).length ? format.teams(answers.teams) : 'none'}`);
  return lines.join('\n');
}
