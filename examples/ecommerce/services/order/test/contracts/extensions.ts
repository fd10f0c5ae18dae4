import assert from 'node:assert/strict';
import { ProductClient } from '../../src/clients/product.js';
import { UserClient, type Address } from '../../src/clients/user.js';
import { m, type Extensions, type ServiceUnderTest } from './support.js';

/**
 * The hand-written part of order's contract tests: yours. taskflow-gen
 * created this file once and never overwrites it; the generated tests beside
 * it read what is here.
 * - `interactions`: what order expects of POST /products/availability, the
 *   endpoint product wrote by hand: the fields order's POST /orders reads.
 * - `clients`: user and product as order's handlers see them while order is
 *   verified: the address is the customer's, everything is in stock.
 * - `publishes`: OrderCreated and OrderCancelled as order's own handlers
 *   publish them, through the API.
 */
const productId = '6b1f0c2e-8d4a-4f5b-9c3e-2a7d1e5f8b90';
const userId = '0d6c1b7a-3e2f-4a8b-b5c9-7e1f2d3c4b5a';
const addressId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const nowhere = 'http://127.0.0.1:9';

/** What order reads of an availability answer. */
interface Availability {
  readonly available: boolean;
  readonly lines: readonly { readonly name: string; readonly unitPrice: number }[];
}

class KnownAddress extends UserClient {
  override async getAddress(id: string): Promise<Address | undefined> {
    return { id, userId, line1: '1 Main Street', line2: null, city: 'Lyon', postalCode: '69001', country: 'FR', isDefault: true };
  }
}

class EverythingInStock extends ProductClient {
  override async postProductsAvailability(body: unknown): Promise<unknown> {
    const { lines } = body as { lines: { productId: string; quantity: number }[] };
    return { available: true, lines: lines.map((line) => ({ ...line, available: true, name: 'Mug', unitPrice: 12.5 })) };
  }
}

async function placeOrder(service: ServiceUnderTest): Promise<string> {
  const placed = await service.app.inject({
    method: 'POST',
    url: '/orders',
    payload: { userId, shippingAddressId: addressId, currency: 'EUR', lines: [{ productId, quantity: 2 }] },
  });
  assert.equal(placed.statusCode, 201, placed.body);
  return placed.json<{ id: string }>().id;
}

export const extensions: Extensions = {
  interactions: {
    product: {
      'POST /products/availability: a line in stock, with its name and price': (pact) => {
        const body = { lines: [{ productId, quantity: 2 }] };
        return pact
          .addInteraction()
          .given('a Product exists', { id: productId })
          .uponReceiving('POST /products/availability of a product in stock')
          .withRequest('POST', '/products/availability', (request) => request.jsonBody(body))
          .willRespondWith(200, (response) =>
            response.jsonBody({
              available: m.boolean(true),
              lines: m.eachLike({ productId: m.uuid(productId), available: m.boolean(true), name: m.string('Mug'), unitPrice: m.number(12.5) }),
            }),
          )
          .executeTest(async (mock) => {
            const answer = (await new ProductClient(mock.url).postProductsAvailability(body)) as Availability;
            assert.equal(answer.available, true);
            assert.equal(answer.lines[0]?.unitPrice, 12.5);
          });
      },
    },
  },
  clients: () => ({ user: new KnownAddress(nowhere), product: new EverythingInStock(nowhere) }),
  publishes: {
    OrderCreated: placeOrder,
    OrderCancelled: async (service) => {
      const id = await placeOrder(service);
      const cancelled = await service.app.inject({ method: 'POST', url: `/orders/${id}/cancel`, payload: { reason: 'changed my mind' } });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
    },
  },
};
