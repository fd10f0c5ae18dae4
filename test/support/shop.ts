import { expect } from 'vitest';
import type { RunningSystem } from './running-system.js';

/** A client of examples/ecommerce through its generated gateway, with a signed JWT for one subject. */
export class Shop {
  constructor(
    private readonly system: RunningSystem,
    private readonly sub = 'customer-1',
  ) {}

  as(sub: string): Shop {
    return new Shop(this.system, sub);
  }

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${this.system.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.system.token(this.sub)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text), ms: performance.now() - started };
  }

  async create(path: string, body: unknown): Promise<any> {
    const response = await this.call('POST', path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  }
}

export interface Answer {
  readonly status: number;
  readonly body: any;
  /** From sending the request to the end of the answer's body. */
  readonly ms: number;
}

export interface Catalogue {
  readonly userId: string;
  readonly addressId: string;
  readonly productId: string;
}

/** A customer with an address, and a product with `stock` units. */
export async function seed(shop: Shop, stock: number): Promise<Catalogue> {
  const user = await shop.create('/user/users', { email: 'ada@example.com', name: 'Ada', marketingOptIn: false });
  const address = await shop.create('/user/addresses', {
    userId: user.id,
    line1: '1 Analytical Row',
    city: 'London',
    postalCode: 'N1',
    country: 'GB',
    isDefault: true,
  });
  const product = await shop.create('/product/products', {
    sku: 'ENGINE-1',
    name: 'Difference Engine',
    price: 12.5,
    currency: 'EUR',
    stock,
    category: 'machines',
    active: true,
  });
  return { userId: user.id, addressId: address.id, productId: product.id };
}

export function placeOrder(shop: Shop, catalogue: Catalogue, quantity = 2): Promise<Answer> {
  return shop.call('POST', '/order/orders', {
    userId: catalogue.userId,
    shippingAddressId: catalogue.addressId,
    currency: 'EUR',
    lines: [{ productId: catalogue.productId, quantity }],
  });
}
