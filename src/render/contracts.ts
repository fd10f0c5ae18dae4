import { createHash } from 'node:crypto';
import { endpointKey } from '../model/normalize.js';
import type { Call, Endpoint, Entity, EventDef, Service, SystemModel } from '../model/types.js';
import { crudTarget } from './service/crud.js';
import { overrideKeys, sampleOf } from './service/entities.js';
import { servicesByName } from '../model/lookup.js';

/**
 * What the contract tests of both runtimes agree on, so that a pact written
 * by a Node.js consumer is verified by a Python provider and the other way
 * round: who writes a pact with whom, the names of provider states and
 * messages, and the example values.
 */

/** Whether `service` has event contract tests on this system's broker (a Python service has no Kafka adapter). */
export function consumesWithContracts(service: Service, model: SystemModel): boolean {
  if (model.broker === 'none') return false;
  if (service.runtime === 'node') return true;
  return service.runtime === 'python' && (model.broker === 'rabbitmq' || model.broker === 'nats');
}

/** Every service whose consumer tests write a pact with `provider`: its callers, and the subscribers of what it publishes. */
export function pactConsumers(model: SystemModel, provider: Service): string[] {
  const generated = (s: Service): boolean => s.runtime === 'node' || s.runtime === 'python';
  const callers = model.services.filter((s) => generated(s) && s.calls.some((c) => c.callee === provider.name)).map((s) => s.name);
  const byName = servicesByName(model);
  const published = new Set(provider.publishes.map((r) => r.event));
  const subscribers = consumesWithContracts(provider, model)
    ? model.events.filter((e) => published.has(e.name)).flatMap((e) => e.subscribers.filter((s) => consumesWithContracts(byName.get(s)!, model)))
    : [];
  return [...new Set([...callers, ...subscribers])].sort();
}

export function existsState(entity: Entity): string {
  return `a ${entity.name} exists`;
}

export function missingState(entity: Entity): string {
  return `no ${entity.name} exists`;
}

export function messageDescription(event: EventDef): string {
  return `${/^[AEIOU]/.test(event.name) ? 'an' : 'a'} ${event.name} event`;
}

/** Deterministic example UUIDs, so that pact files change only when an expectation does. */
export function exampleUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A valid payload of `event`, with deterministic ids. */
export function eventSample(event: EventDef): Record<string, unknown> {
  return Object.fromEntries(event.fields.map((f) => [f.name, f.type === 'uuid' && !f.list ? exampleUuid(`${event.name}.${f.name}`) : sampleOf(f)]));
}

/** A required field to drop and another to give a wrong value, for a malformed example of `event`. */
export function malformedOf(event: EventDef): { readonly dropped?: string; readonly wrong?: { readonly field: string; readonly text: boolean } } {
  const required = event.fields.filter((f) => !f.optional);
  const dropped = required[0];
  const wrong = required.find((f) => f !== dropped && f.type !== 'json');
  return { ...(dropped && { dropped: dropped.name }), ...(wrong && { wrong: { field: wrong.name, text: wrong.type === 'string' || wrong.type === 'text' } }) };
}

/** Whether a service's consumer tests write pacts, and whether it has contract tests at all. */
export function contractRoles(model: SystemModel, service: Service): { readonly consumer: boolean; readonly any: boolean } {
  const events = consumesWithContracts(service, model);
  const consumer = service.calls.length > 0 || (events && service.subscribes.length > 0);
  return { consumer, any: consumer || (events && service.publishes.length > 0) || pactConsumers(model, service).length > 0 };
}

/** What either runtime's client view offers that the example needs. */
interface ClientOf {
  readonly callee: string;
  readonly methods: readonly { readonly text: string }[];
}

/** The call that a service's contract extensions show as their example, as both runtimes pick it. */
export interface ExampleCall<Client extends ClientOf> {
  readonly call: Call;
  readonly callee: Service;
  readonly endpoint: Endpoint;
  readonly client: Client;
  readonly method: Client['methods'][number];
  /** The endpoint's path with its parameters filled with the example values. */
  readonly path: string;
  /** What the callee answers: 201 for a generated create, else 200. */
  readonly status: 200 | 201;
}

/**
 * The first call of `service` to an endpoint its callee serves by hand (not
 * generated CRUD, or CRUD the callee overrides), with the client method that
 * makes it; undefined when it has none.
 */
export function exampleCall<Client extends ClientOf>(service: Service, services: ReadonlyMap<string, Service>, clients: readonly Client[]): ExampleCall<Client> | undefined {
  for (const call of service.calls) {
    const callee = services.get(call.callee)!;
    const overridden = overrideKeys(callee.overrides);
    const endpoint = call.endpoints.find((e) => !crudTarget(e, callee) || overridden.has(endpointKey(e)));
    const client = clients.find((c) => c.callee === call.callee);
    const method = endpoint && client?.methods.find((m) => m.text === endpoint.text);
    if (!endpoint || !client || !method) continue;
    const path = endpoint.path.replace(/\{([^}]+)\}/g, (_, p: string) => exampleUuid(`${call.callee}.${p}`));
    const status = endpoint.method === 'POST' && !/\}$/.test(endpoint.path) && crudTarget(endpoint, callee) ? 201 : 200;
    return { call, callee, endpoint, client, method, path, status };
  }
  return undefined;
}
