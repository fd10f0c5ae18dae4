import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';

let validator: ValidateFunction | undefined;

/** The official Compose Specification schema (test/schemas/compose-spec.json, Apache-2.0), compiled once. */
function composeSchema(): ValidateFunction {
  if (!validator) {
    const { $schema, ...schema } = JSON.parse(readFileSync(new URL('../../../../test/schemas/compose-spec.json', import.meta.url), 'utf8')) as { $schema: string };
    // Ajv's default dialect is draft-07, which the file declares under an https id Ajv does not register.
    if ($schema !== 'https://json-schema.org/draft-07/schema') throw new Error(`compose-spec.json: unexpected dialect ${$schema}`);
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

/** Errors of a docker-compose.yml against the Compose Specification JSON Schema; empty when valid. */
export function schemaErrors(composeYaml: string): string[] {
  const validate = composeSchema();
  if (validate(load(composeYaml))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

interface ComposeService {
  build?: { context?: string } | string;
  image?: string;
  command?: string[];
  environment?: Record<string, string> | string[];
  volumes?: (string | { type?: string; source?: string })[];
  ports?: (string | number | { published?: string | number })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

export interface ComposeDocument {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Parses a compose file (js-yaml). */
export function parseCompose(composeYaml: string): ComposeDocument {
  return load(composeYaml) as ComposeDocument;
}

/** `NAME=value` lines of a `.env` file, comments and blank lines skipped. */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) out.set(match[1]!, match[2]!);
  }
  return out;
}

/** `${NAME}` (and `${NAME:-x}` etc.) references in a string; `$$` is an escaped dollar. */
export function interpolatedVariables(text: string): { names: string[]; bareDollars: number } {
  const names: string[] = [];
  let bareDollars = 0;
  for (const match of text.matchAll(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+-][^}]*)?\}|\$/g)) {
    if (match[0] === '$$') continue;
    if (match[1] !== undefined) names.push(match[1]);
    else bareDollars++;
  }
  return { names, bareDollars };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function hostPort(port: string | number | { published?: string | number }): string | undefined {
  if (typeof port === 'object') return port.published === undefined ? undefined : String(port.published);
  const parts = String(port).split(':');
  return parts.length > 1 ? parts[parts.length - 2] : undefined;
}

/**
 * What the schema cannot check: references inside the file (depends_on,
 * volumes), `${VAR}`s against `.env.example`, healthchecks everywhere,
 * service_healthy conditions, unique host ports, build contexts. Each problem
 * is one line; empty when the pair is consistent.
 */
export function semanticProblems(composeYaml: string, envExample: string): string[] {
  const doc = parseCompose(composeYaml);
  const problems: string[] = [];
  const services = doc.services ?? {};
  const declaredVolumes = new Set(Object.keys(doc.volumes ?? {}));
  const usedVolumes = new Set<string>();
  const hostPorts = new Map<string, string>();

  for (const [name, service] of Object.entries(services)) {
    if (!service.image) problems.push(`${name}: no image`);
    if (service.build !== undefined) {
      const context = typeof service.build === 'string' ? service.build : service.build.context;
      const expected = name === 'gateway' ? './gateway' : `./services/${name}`;
      if (context !== expected) problems.push(`${name}: build context ${String(context)}, expected ${expected}`);
    }
    const test = service.healthcheck?.test;
    if (service.healthcheck?.disable || !Array.isArray(test) || !['CMD', 'CMD-SHELL'].includes(test[0] ?? '') || test.length < 2) {
      problems.push(`${name}: no healthcheck with a CMD test`);
    }
    const dependsOn = service.depends_on ?? {};
    if (Array.isArray(dependsOn)) problems.push(`${name}: depends_on in short syntax (condition service_started)`);
    else {
      for (const [target, { condition } = {}] of Object.entries(dependsOn)) {
        if (!(target in services)) problems.push(`${name}: depends_on unknown service ${target}`);
        if (condition !== 'service_healthy') problems.push(`${name}: depends_on ${target} with condition ${String(condition)}`);
        if (target === name) problems.push(`${name}: depends on itself`);
      }
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
      if (source.startsWith('.') || source.startsWith('/')) continue;
      usedVolumes.add(source);
      if (!declaredVolumes.has(source)) problems.push(`${name}: volume ${source} is not declared under volumes`);
    }
    for (const port of service.ports ?? []) {
      const published = hostPort(port);
      if (published === undefined) continue;
      const other = hostPorts.get(published);
      if (other) problems.push(`${name}: host port ${published} already published by ${other}`);
      else hostPorts.set(published, name);
    }
  }
  for (const volume of declaredVolumes) if (!usedVolumes.has(volume)) problems.push(`volume ${volume} is declared but unused`);
  problems.push(...dependencyCycles(services));

  const defined = parseDotenv(envExample);
  const used = new Set<string>();
  for (const text of strings(doc)) {
    const { names, bareDollars } = interpolatedVariables(text);
    if (bareDollars > 0) problems.push(`unescaped $ in ${JSON.stringify(text)}`);
    for (const variable of names) {
      used.add(variable);
      if (!defined.has(variable)) problems.push(`\${${variable}} is not defined in .env.example`);
    }
  }
  for (const variable of defined.keys()) if (!used.has(variable)) problems.push(`${variable} in .env.example is never used`);
  return problems;
}

function dependencyCycles(services: Record<string, ComposeService>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: string[] = [];
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`depends_on cycle: ${[...path, name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    const dependsOn = services[name]?.depends_on ?? {};
    for (const target of Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn)) visit(target, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) visit(name, []);
  return problems;
}

/** Every problem of a rendered compose file: schema errors first, then semantic ones. */
export function composeProblems(composeYaml: string, envExample: string): string[] {
  return [...schemaErrors(composeYaml).map((e) => `schema: ${e}`), ...semanticProblems(composeYaml, envExample)];
}
