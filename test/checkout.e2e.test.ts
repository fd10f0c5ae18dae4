import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSystem, startSystem, type RunningSystem } from './support/running-system.js';
import { eventually } from './support/eventually.js';

/**
 * examples/checkout generated, built and run as real processes against the
 * local PostgreSQL and RabbitMQ, driven through its generated gateway with a
 * signed JWT: a cart checks out into an order (which takes the cart's id) that
 * holds its stock and waits for its payment; the card provider's verdict
 * places the order and takes the stock, or cancels it and releases the stock.
 */

interface Order {
  readonly id: string;
  readonly status: 'pending_payment' | 'placed' | 'cancelled';
  readonly total: number;
  readonly reservationId: string | null;
  readonly paymentId: string | null;
}

interface StockItem {
  readonly onHand: number;
  readonly reserved: number;
}

class Api {
  constructor(
    private readonly system: RunningSystem,
    private readonly sub: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.system.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.system.token(this.sub)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  async create(path: string, body: unknown): Promise<any> {
    const response = await this.call('POST', path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  }

  /** A SKU with `onHand` units in one warehouse; its stock item's id. */
  async stock(onHand: number): Promise<{ sku: string; id: string }> {
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    const item = await this.create('/inventory/stock-items', { sku, onHand, reserved: 0, warehouse: 'main' });
    return { sku, id: item.id };
  }

  async stockItem(id: string): Promise<StockItem> {
    return (await this.call('GET', `/inventory/stock-items/${id}`)).body;
  }

  /** An open cart with these lines; its id. */
  async cart(lines: readonly { sku: string; quantity: number; unitPrice: number }[]): Promise<string> {
    const cart = await this.create('/cart/carts', { customerId: randomUUID(), status: 'open', currency: 'EUR', updatedAt: new Date().toISOString() });
    for (const line of lines) await this.create('/cart/cart-items', { cartId: cart.id, ...line });
    return cart.id;
  }

  async checkout(cartId: string): Promise<void> {
    const response = await this.call('POST', `/cart/carts/${cartId}/checkout`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }
}

describe('checkout on PostgreSQL and rabbitmq', () => {
  let system: RunningSystem;

  /** The order of a cart once `ready` holds for it. */
  const orderOf = (cartId: string, ready: (order: Order) => boolean, ms?: number): Promise<Order> =>
    eventually(
      `order of cart ${cartId}`,
      async () => {
        const response = await fetch(`${system.url('order')}/orders/${cartId}`);
        const order = response.ok ? ((await response.json()) as Order) : undefined;
        return order && ready(order) ? order : undefined;
      },
      ms,
    );

  beforeAll(async () => {
    system = await startSystem(await prepareSystem('checkout', 'rabbitmq'), 'postgres');
  }, 600_000);

  afterAll(async () => {
    await system?.close();
  }, 120_000);

  it('checks out a cart; a confirmed payment places the order and takes the stock', async () => {
    const api = new Api(system, 'happy-customer');
    const pen = await api.stock(10);
    const ink = await api.stock(5);
    const cartId = await api.cart([
      { sku: pen.sku, quantity: 2, unitPrice: 1.25 },
      { sku: ink.sku, quantity: 3, unitPrice: 4 },
    ]);
    await api.checkout(cartId);
    expect((await api.call('POST', `/cart/carts/${cartId}/checkout`)).status).toBe(409);
    expect((await api.call('POST', `/cart/carts/${await api.cart([])}/checkout`)).status).toBe(422);
    expect((await api.call('POST', `/cart/carts/${randomUUID()}/checkout`)).status).toBe(404);

    const pending = await orderOf(cartId, (o) => o.paymentId !== null);
    expect(pending).toMatchObject({ status: 'pending_payment', total: 14.5 });
    expect(await api.stockItem(pen.id)).toMatchObject({ onHand: 10, reserved: 2 });

    const confirmed = await api.call('POST', `/payment/payments/${pending.paymentId}/provider-callback`, { outcome: 'confirmed', reference: 'psp-42' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', amount: 14.5, providerReference: 'psp-42' });
    await orderOf(cartId, (o) => o.status === 'placed');
    await eventually('reservation committed', async () =>
      (await api.call('GET', `/inventory/reservations/${pending.reservationId}`)).body.status === 'committed' || undefined,
    );
    expect(await api.stockItem(pen.id)).toMatchObject({ onHand: 8, reserved: 0 });
    expect(await api.stockItem(ink.id)).toMatchObject({ onHand: 2, reserved: 0 });
    expect((await api.call('GET', `/order/orders/${cartId}`)).body.status).toBe('placed');
  });

  it('cancels the order and releases its stock when the payment fails, or when the stock is not there', async () => {
    const api = new Api(system, 'unlucky-customer');
    const pen = await api.stock(3);
    const cartId = await api.cart([{ sku: pen.sku, quantity: 2, unitPrice: 1.25 }]);
    await api.checkout(cartId);
    const pending = await orderOf(cartId, (o) => o.paymentId !== null);
    expect(await api.stockItem(pen.id)).toMatchObject({ onHand: 3, reserved: 2 });

    const failed = await api.call('POST', `/payment/payments/${pending.paymentId}/provider-callback`, { outcome: 'failed', reason: 'card declined' });
    expect(failed.body).toMatchObject({ status: 'failed', failureReason: 'card declined' });
    await orderOf(cartId, (o) => o.status === 'cancelled');
    await eventually('stock released', async () => ((await api.stockItem(pen.id)).reserved === 0 || undefined));
    expect(await api.stockItem(pen.id)).toMatchObject({ onHand: 3, reserved: 0 });

    const greedy = await api.cart([{ sku: pen.sku, quantity: 4, unitPrice: 1.25 }]);
    await api.checkout(greedy);
    const refused = await orderOf(greedy, (o) => o.status === 'cancelled');
    expect(refused.reservationId).toBeNull();
    expect(await api.stockItem(pen.id)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  // Last: it leaves order's circuit to payment open for its resetMs (30 s).
  it('reserves once however often the checkout is retried while payment is down, and gives up once the circuit opens', async () => {
    const api = new Api(system, 'patient-customer');
    const pen = await api.stock(5);
    await system.stop('payment');
    try {
      const cartId = await api.cart([{ sku: pen.sku, quantity: 2, unitPrice: 1.25 }]);
      await api.checkout(cartId);
      // Five failed attempts open the breaker; the next one cancels the order, which releases the stock.
      await orderOf(cartId, (o) => o.status === 'cancelled', 40_000);
      expect(await system.sql('inventory', `SELECT count(*) FROM reservations WHERE order_id = '${cartId}'`)).toBe('1');
      await eventually('stock released', async () => ((await api.stockItem(pen.id)).reserved === 0 || undefined));
      expect(await api.stockItem(pen.id)).toMatchObject({ onHand: 5, reserved: 0 });
    } finally {
      await system.start('payment');
    }
  }, 90_000);
});
