import type { Position } from '../diagnostics/diagnostic.js';
import type { BrokerKind, Engine, Runtime } from '../validate/document.js';

export type { BrokerKind, Engine, Runtime };
export type Loc = Position;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type FieldType = 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'json';
export type Severity = 'error' | 'warn' | 'info';
/** A JSON value, as written in system.yaml (a field's `default`). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface Endpoint {
  readonly method: HttpMethod;
  /** Path with parameters in braces: `/orders/{id}`. */
  readonly path: string;
  /** `GET /orders/{id}` */
  readonly text: string;
  readonly loc: Loc;
}

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly list: boolean;
  readonly optional: boolean;
  readonly enum?: readonly string[];
  /** What existing rows get when the field is added or made required (and what POST assumes when it is left out). */
  readonly default?: JsonValue;
  /** The field's earlier name: a rename, not a drop and an add. */
  readonly renamedFrom?: string;
  readonly description?: string;
  readonly loc: Loc;
}

export interface Entity {
  readonly name: string;
  /** The entity's earlier name: its table is renamed, rows kept. */
  readonly renamedFrom?: string;
  /** Kebab-case plural the CRUD is served under: `OrderItem` -> `order-items`. */
  readonly resource: string;
  readonly fields: readonly Field[];
  readonly loc: Loc;
}

export interface CircuitBreaker {
  readonly failures: number;
  readonly resetMs: number;
}

/** A synchronous edge: `caller` calls `callee` over HTTP. */
export interface Call {
  readonly caller: string;
  readonly callee: string;
  readonly endpoints: readonly Endpoint[];
  readonly timeoutMs: number;
  readonly retries: number;
  readonly circuitBreaker: CircuitBreaker | false;
  readonly loc: Loc;
}

export interface EventRef {
  readonly event: string;
  readonly loc: Loc;
}

export interface Database {
  readonly name: string;
  readonly engine: Engine;
  readonly loc: Loc;
}

export interface LintIgnore {
  readonly rule: string;
  readonly reason: string;
}

export interface Service {
  readonly name: string;
  readonly description?: string;
  readonly runtime: Runtime;
  /** Where the runtime is said: the service's `runtime`, else `defaults.runtime`, else the service's key. */
  readonly runtimeLoc: Loc;
  readonly port: number;
  /** The database the service owns; absent when it owns none. */
  readonly database?: Database;
  readonly entities: readonly Entity[];
  /** Endpoints declared under `api` that CRUD does not already provide. */
  readonly api: readonly Endpoint[];
  /** Endpoints generated from the entities. */
  readonly crud: readonly Endpoint[];
  /**
   * Endpoints declared under `api` that CRUD also provides: the declared one
   * wins, so the service serves a hand-written handler there instead.
   */
  readonly overrides: readonly Endpoint[];
  readonly calls: readonly Call[];
  readonly publishes: readonly EventRef[];
  readonly subscribes: readonly EventRef[];
  readonly team?: string;
  readonly lintIgnores: readonly LintIgnore[];
  readonly loc: Loc;
}

export interface EventDef {
  readonly name: string;
  readonly fields: readonly Field[];
  /** Services that publish it, in file order. */
  readonly publishers: readonly string[];
  /** Services that subscribe to it, in file order. */
  readonly subscribers: readonly string[];
  readonly loc: Loc;
}

export interface Route {
  /** Public path prefix, e.g. `/orders`. */
  readonly path: string;
  readonly service: string;
  /**
   * Whether the prefix is cut before forwarding: default routes (`/<service>`)
   * forward `/order/orders/1` as `/orders/1`; routes written in system.yaml
   * forward the path unchanged, as it is the service's own path.
   */
  readonly stripPrefix: boolean;
  readonly loc: Loc;
}

export interface RateLimit {
  readonly count: number;
  readonly per: 'second' | 'minute' | 'hour';
  readonly windowMs: number;
}

export interface Gateway {
  readonly kind: 'node' | 'nginx';
  readonly port: number;
  readonly auth: 'jwt' | 'none';
  readonly rateLimit?: RateLimit;
  readonly routes: readonly Route[];
  readonly loc: Loc;
}

export interface Team {
  readonly name: string;
  readonly services: readonly string[];
  readonly loc: Loc;
}

/** A rule's setting from `lint.rules`; options are still unchecked here. */
export interface RuleSetting {
  readonly severity: Severity | 'off';
  readonly options?: Readonly<Record<string, unknown>>;
  readonly loc: Loc;
}

/** The normalized system: short forms expanded, defaults applied. Every later stage reads only this. */
export interface SystemModel {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly broker: BrokerKind;
  readonly gateway?: Gateway;
  readonly teams: readonly Team[];
  readonly services: readonly Service[];
  readonly events: readonly EventDef[];
  readonly lintRules: Readonly<Record<string, RuleSetting>>;
}
