/**
 * The shape of a system.yaml that passed schema validation: what the schema
 * admits, short forms included. `model/` turns it into the normalized model.
 */
export type Runtime = 'node' | 'python';
export type Engine = 'postgres' | 'mysql' | 'sqlite' | 'mongodb';
export type BrokerKind = 'rabbitmq' | 'nats' | 'kafka' | 'none';
export type SeverityName = 'off' | 'info' | 'warn' | 'error';

export interface CircuitBreakerDoc {
  failures?: number;
  resetMs?: number;
}

export interface CallDoc {
  endpoints: string[];
  timeoutMs?: number;
  retries?: number;
  circuitBreaker?: boolean | CircuitBreakerDoc;
}

export interface FieldDoc {
  type?: string;
  enum?: string[];
  optional?: boolean;
  default?: unknown;
  renamedFrom?: string;
  description?: string;
}

export type FieldsDoc = Record<string, string | FieldDoc>;

/** An entity: its fields, plus the reserved key `renamedFrom` (the entity's earlier name). */
export type EntityDoc = Record<string, string | FieldDoc>;

export interface ServiceDoc {
  description?: string;
  runtime?: Runtime;
  port?: number;
  database?: string | { name: string; engine?: Engine };
  entities?: Record<string, EntityDoc>;
  api?: string[];
  calls?: Record<string, string[] | CallDoc>;
  publishes?: string[];
  subscribes?: string[];
  lint?: { ignore?: { rule: string; reason: string }[] };
}

export interface SystemDoc {
  version: 1;
  name: string;
  description?: string;
  defaults?: {
    runtime?: Runtime;
    database?: Engine;
    timeoutMs?: number;
    retries?: number;
    circuitBreaker?: boolean | CircuitBreakerDoc;
  };
  broker?: BrokerKind | { kind: BrokerKind };
  gateway?: {
    kind?: 'node' | 'nginx';
    port?: number;
    auth?: 'jwt' | 'none';
    rateLimit?: string;
    routes?: { path: string; service: string }[];
  };
  teams?: Record<string, string[]>;
  services: Record<string, ServiceDoc | null>;
  events?: Record<string, FieldsDoc>;
  lint?: { rules?: Record<string, SeverityName | [SeverityName, Record<string, unknown>?]> };
}
