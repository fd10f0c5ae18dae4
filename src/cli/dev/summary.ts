import { join, relative } from 'node:path';
import { devToken } from '../../dev/jwt.js';
import { localUrl, type DevPlan, type DevWiring } from '../../dev/plan.js';
import type { Io } from '../io.js';
import type { colorsFor } from '../style.js';
import type { Broker } from './broker.js';
import type { Dashboard } from './dashboard.js';

export interface Summary {
  readonly plan: DevPlan;
  readonly wiring: DevWiring;
  readonly broker: Broker | undefined;
  readonly dashboard: Dashboard;
  readonly root: string;
  readonly devDir: string;
  readonly seconds: number;
  readonly usesPglite: boolean;
}

/** What dev prints once the system answers: where everything is, a token and a curl to try it. */
export function summary(io: Io, c: ReturnType<typeof colorsFor>, s: Summary): void {
  const { plan, wiring } = s;
  const gateway = plan.processes.find((p) => p.kind === 'gateway');
  const services = plan.processes.filter((p) => p.kind === 'service');
  const where = (path: string): string => relative(process.cwd(), path) || '.';
  const lines: string[] = [''];
  const entry = gateway ? localUrl(wiring, gateway.name) : services[0] && localUrl(wiring, services[0].name);
  lines.push(c.green.bold(`✔ ${plan.system} is ready in ${s.seconds.toFixed(1)} s: ${entry ?? 'no process to start'}`));
  if (gateway) {
    lines.push(`  gateway    ${localUrl(wiring, gateway.name)}`);
    const token = plan.gatewayAuth === 'jwt' ? devToken(wiring.jwtSecret, 'dev', Math.floor(Date.now() / 1000)) : undefined;
    if (token) lines.push(`  token      ${token}`, c.dim(`             (HS256 with the dev secret in ${where(join(s.devDir, 'jwt-secret'))}, subject dev, valid 12 h)`));
    if (plan.tryPath) lines.push(`  try        curl ${token ? `-H 'Authorization: Bearer ${token}' ` : ''}${localUrl(wiring, gateway.name)}${plan.tryPath}`);
  }
  lines.push(`  dashboard  ${s.dashboard.url}`);
  const width = Math.max(10, ...services.map((p) => p.name.length));
  for (const p of services) lines.push(`  ${p.name.padEnd(width)} ${localUrl(wiring, p.name)}   OpenAPI ${localUrl(wiring, p.name)}/openapi.json`);
  if (s.broker) lines.push(`  broker     ${s.broker.url.replace(/\/\/[^@/]*@/, '//')} (${s.broker.how})`);
  lines.push(`  logs       ${where(join(s.devDir, 'logs'))}/<name>.log`);
  if (s.usesPglite) lines.push(`  data       ${where(s.devDir)}/<service>/pglite (PGlite, kept between runs; --reset wipes it)`);
  lines.push(c.dim('  Ctrl-C stops everything.'), '');
  io.out(lines.join('\n'));
}
