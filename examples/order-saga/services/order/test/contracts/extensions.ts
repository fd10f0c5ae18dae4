import { InventoryClient } from '../../src/clients/inventory.js';
import { PaymentClient } from '../../src/clients/payment.js';
import { eventSamples, m, type Extensions } from './support.js';

/**
 * The hand-written part of order's contract tests: the saga's reservation
 * and charge requests (inventory and payment write those endpoints by hand),
 * and the events order publishes.
 */
export const extensions: Extensions = {
  interactions: {
    inventory: {
      // The saga holds the stock of every line of the order; it reads the reservation's id.
      'POST /reservations': (pact) => {
        const body: Parameters<InventoryClient['createReservation']>[0] = {
          orderId: '3f1c6a4e-2b7d-4c8e-9a10-5d2e8f7b6c41',
          lines: [{ sku: 'SKU-1', quantity: 2 }],
          status: 'held',
          expiresAt: '2026-01-31T12:15:00.000Z',
        };
        return pact
          .addInteraction()
          .given('ten of a SKU are in stock', { sku: 'SKU-1' })
          .uponReceiving('POST /reservations of stock that is there')
          .withRequest('POST', '/reservations', (request) => request.jsonBody(body))
          .willRespondWith(201, (response) => response.jsonBody(m.like({ id: m.uuid('0b9a3c5e-8f1d-4a2b-9c3d-4e5f6a7b8c9d') })))
          .executeTest(async (mock) => {
            const reservation = await new InventoryClient(mock.url).createReservation(body);
            if (typeof reservation.id !== 'string') throw new Error('the reservation has no id');
          });
      },
    },
    payment: {
      // The saga charges the order's amount; it reads the payment's id.
      'POST /payments': (pact) => {
        const body: Parameters<PaymentClient['createPayment']>[0] = {
          orderId: '5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
          userId: '6e2f3a4b-5c6d-4e7f-8a91-92a3b4c5d6e7',
          amount: 25,
          currency: 'EUR',
          status: 'charged',
        };
        return pact
          .addInteraction()
          .uponReceiving('POST /payments of an order within the credit limit')
          .withRequest('POST', '/payments', (request) => request.jsonBody(body))
          .willRespondWith(201, (response) => response.jsonBody(m.like({ id: m.uuid('7f3a4b5c-6d7e-4f80-9b12-a3b4c5d6e7f8'), status: 'charged' })))
          .executeTest(async (mock) => {
            const payment = await new PaymentClient(mock.url).createPayment(body);
            if (payment.status !== 'charged') throw new Error('the payment is not charged');
          });
      },
    },
  },
  publishes: {
    OrderConfirmed: ({ ctx }) => ctx.transaction((tx) => tx.publish('OrderConfirmed', eventSamples.OrderConfirmed)),
    OrderCancelled: ({ ctx }) => ctx.transaction((tx) => tx.publish('OrderCancelled', eventSamples.OrderCancelled)),
  },
};
