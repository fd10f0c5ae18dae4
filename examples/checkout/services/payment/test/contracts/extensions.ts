import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type Extensions, type ServiceUnderTest } from './support.js';

/**
 * The hand-written part of payment's contract tests: yours. taskflow-gen
 * created this file once and never overwrites it; the generated tests beside
 * it read what is here.
 * - `states`: a confirmed payment, which order may refund.
 * - `publishes`: PaymentConfirmed and PaymentFailed as payment publishes them,
 *   when the card provider calls back.
 */
async function decided({ app }: ServiceUnderTest, outcome: 'confirmed' | 'failed'): Promise<void> {
  const started = await app.inject({ method: 'POST', url: '/payments', payload: { orderId: randomUUID(), amount: 25, currency: 'EUR' } });
  assert.equal(started.statusCode, 201, started.body);
  const callback = await app.inject({
    method: 'POST',
    url: `/payments/${started.json<{ id: string }>().id}/provider-callback`,
    payload: outcome === 'failed' ? { outcome, reason: 'card declined' } : { outcome },
  });
  assert.equal(callback.statusCode, 200, callback.body);
}

export const extensions: Extensions = {
  states: {
    'a confirmed Payment exists': async ({ id }, { ctx }) => {
      await ctx.payments.remove(String(id));
      await ctx.payments.create({ orderId: randomUUID(), amount: 25, currency: 'EUR', status: 'confirmed', providerReference: 'card-1' }, String(id));
    },
  },
  publishes: {
    PaymentConfirmed: (service) => decided(service, 'confirmed'),
    PaymentFailed: (service) => decided(service, 'failed'),
  },
};
