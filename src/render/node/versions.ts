/**
 * Exact versions of every package a generated Node.js service or gateway
 * depends on. Pinned, so that the same system.yaml and taskflow-gen version
 * always give the same package.json; bumped deliberately, with the end-to-end
 * tests run against the new set.
 */
export const nodeVersions = {
  // runtime
  fastify: '5.12.8',
  // the versions fastify 5.12 validates with: bodies get their own instance, without type coercion
  ajv: '8.20.0',
  'ajv-formats': '3.0.1',
  pino: '10.4.0',
  'prom-client': '15.1.3',
  pg: '8.23.1',
  '@electric-sql/pglite': '0.5.16',
  cockatiel: '3.2.1',
  amqplib: '2.3.1',
  // 3.3: 3.4 pulls @nats-io/nuid 3, which declares Node.js >= 22 (npm warns EBADENGINE on Node.js 20)
  '@nats-io/transport-node': '3.3.1',
  '@nats-io/jetstream': '3.3.1',
  kafkajs: '2.2.4',
  '@fastify/jwt': '10.2.8',
  '@fastify/rate-limit': '11.2.0',
  '@fastify/reply-from': '12.6.5',
  'get-jwks': '11.0.3',
  ioredis: '5.9.2',
  // build
  typescript: '5.9.3',
  '@types/node': '20.19.43',
  '@types/pg': '8.23.1',
  // contract tests (16: 17 needs Node 22)
  '@pact-foundation/pact': '16.5.0',
} as const;

export type NodePackage = keyof typeof nodeVersions;

/** Node.js major the images run and CI uses. */
export const nodeMajor = '20';

/** A `dependencies` object for package.json: the given packages at their pinned versions, sorted. */
export function pinned(packages: readonly NodePackage[]): Record<string, string> {
  return Object.fromEntries([...packages].sort().map((name) => [name, nodeVersions[name]]));
}
