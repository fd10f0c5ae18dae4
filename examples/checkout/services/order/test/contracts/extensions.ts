import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { InventoryClient, type Reservation, type ReservationInput } from '../../src/clients/inventory.js';
import { PaymentClient, type Payment, type PaymentInput } from '../../src/clients/payment.js';
import type { Tx } from '../../src/context.js';
import { handle as onPaymentConfirmed } from '../../src/handlers/on-payment-confirmed.js';
import { m, type Extensions, type ServiceUnderTest } from './support.js';

/**
 * The hand-written part of order's contract tests: yours. taskflow-gen
 * created this file once and never overwrites it; the generated tests beside
 * it read what is here.
 * - `interactions`: what order expects of the endpoints inventory and payment
 *   wrote by hand: the requests it sends and the fields it reads back.
 * - `clients`: inventory and payment as order's handlers see them in these
 *   tests: stock is held, payments start.
 * - `publishes`: OrderPlaced and OrderCancelled as order's own code publishes them.
 * - `consumes`: a checked-out cart's items, and the order a payment is for.
 */
const nowhere = 'http://127.0.0.1:9';
const orderId = '7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918';
const paymentId = '2f3e4d5c-6b7a-4898-a7b6-c5d4e3f2a1b0';
const reservationId = '5c4b3a29-1807-4f6e-9d5c-4b3a29180700';
const paidOrder = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const unpaidOrder = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e';

class HoldsStock extends InventoryClient {
  override async createReservation(body: ReservationInput): Promise<Reservation> {
    return { id: reservationId, ...body };
  }
}

class StartsPayments extends PaymentClient {
  override async createPayment(body: PaymentInput): Promise<Payment> {
    return { id: paymentId, providerReference: null, failureReason: null, ...body };
  }
}

/** An order waiting for its payment, with the given id. */
function awaitingPayment(id: string): (tx: Tx) => Promise<void> {
  return async (tx) => {
    if (await tx.orders.get(id)) return;
    await tx.orders.create(
      { cartId: randomUUID(), customerId: randomUUID(), status: 'pending_payment', total: 25, currency: 'EUR', reservationId, paymentId },
      id,
    );
  };
}

async function newOrder({ ctx }: ServiceUnderTest): Promise<string> {
  const id = randomUUID();
  await ctx.transaction(awaitingPayment(id));
  return id;
}

export const extensions: Extensions = {
  interactions: {
    inventory: {
      'POST /reservations: holds the stock of an order': (pact) => {
        const body: ReservationInput = { orderId, items: [{ sku: 'MUG-1', quantity: 2 }], status: 'held', expiresAt: '2026-01-31T12:00:00.000Z' };
        return pact
          .addInteraction()
          .given('MUG-1 is in stock')
          .uponReceiving('POST /reservations of stock that is there')
          .withRequest('POST', '/reservations', (request) => request.jsonBody(body))
          .willRespondWith(201, (response) => response.jsonBody({ id: m.uuid(reservationId) }))
          .executeTest(async (mock) => {
            const reservation = await new InventoryClient(mock.url).createReservation(body);
            assert.equal(reservation.id, reservationId);
          });
      },
    },
    payment: {
      'POST /payments: starts charging an order': (pact) => {
        const body: PaymentInput = { orderId, amount: 25, currency: 'EUR', status: 'pending' };
        return pact
          .addInteraction()
          .uponReceiving('POST /payments of a new order')
          .withRequest('POST', '/payments', (request) => request.jsonBody(body))
          .willRespondWith(201, (response) => response.jsonBody({ id: m.uuid(paymentId) }))
          .executeTest(async (mock) => {
            const payment = await new PaymentClient(mock.url).createPayment(body);
            assert.equal(payment.id, paymentId);
          });
      },
      'POST /payments/{id}/refund: gives a confirmed payment back': (pact) =>
        pact
          .addInteraction()
          .given('a confirmed Payment exists', { id: paymentId })
          .uponReceiving('POST /payments/{id}/refund of a confirmed payment')
          .withRequest('POST', `/payments/${paymentId}/refund`, (request) => request.jsonBody({ reason: 'order cancelled' }))
          .willRespondWith(200)
          .executeTest(async (mock) => {
            await new PaymentClient(mock.url).postPaymentsByIdRefund(paymentId, { reason: 'order cancelled' });
          }),
    },
  },
  clients: () => ({ inventory: new HoldsStock(nowhere), payment: new StartsPayments(nowhere) }),
  publishes: {
    OrderPlaced: async (service) => {
      const id = await newOrder(service);
      const confirmed = { paymentId, orderId: id, amount: 25, currency: 'EUR' };
      const event = { id: randomUUID(), type: 'PaymentConfirmed', source: '/test', time: new Date().toISOString(), data: confirmed };
      await service.ctx.transaction((tx) => onPaymentConfirmed(event, tx, service.ctx));
    },
    OrderCancelled: async (service) => {
      const id = await newOrder(service);
      const cancelled = await service.app.inject({ method: 'POST', url: `/orders/${id}/cancel`, payload: { reason: 'changed my mind' } });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
    },
  },
  consumes: {
    CartCheckedOut: { data: { items: [{ sku: 'MUG-1', quantity: 2, unitPrice: 12.5 }] } },
    PaymentConfirmed: { data: { orderId: paidOrder }, prepare: awaitingPayment(paidOrder) },
    PaymentFailed: { data: { orderId: unpaidOrder }, prepare: awaitingPayment(unpaidOrder) },
  },
};
