import { afterAll } from 'vitest';
import { flowSuite, removePrepared } from './support/ecommerce-flow.js';

/**
 * examples/ecommerce generated, built and run as real processes against the
 * local PostgreSQL and RabbitMQ, driven through its generated gateway with a
 * signed JWT: the order flow with its async effects, authentication, rate
 * limiting, the circuit breaker, exactly-once event handling across a
 * consumer outage and crash; then the same system on the embedded PGlite.
 * (On NATS JetStream: ecommerce-nats.e2e.test.ts.)
 */

afterAll(removePrepared);

flowSuite('rabbitmq', 'postgres', true);
flowSuite('rabbitmq', 'pglite', false);
