import { afterAll } from 'vitest';
import { flowSuite, removePrepared } from './support/ecommerce-flow.js';

/**
 * examples/ecommerce on NATS JetStream and the local PostgreSQL, run as real
 * processes behind its generated gateway: an order placed with a signed JWT
 * and its async effects through JetStream. (RabbitMQ, and everything else
 * the flow checks: ecommerce.e2e.test.ts.)
 */

afterAll(removePrepared);

flowSuite('nats', 'postgres', false);
