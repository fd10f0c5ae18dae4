import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { prepareSystem, startSystem, type RunningSystem } from './support/running-system.js';

/**
 * examples/order-saga generated, installed (npm for user, order, inventory
 * and payment, pip for the Python notification and analytics services) and
 * run as real processes on RabbitMQ and PostgreSQL, driven through its
 * generated gateway with a signed JWT. The order service's saga (validate
 * user, reserve stock, charge payment, confirm) confirms an order, or
 * compensates the steps done (release the reservation) and cancels it with
 * the failed step; analytics counts both from the events.
 */

interface Response {
  readonly status: number;
  readonly body: any;
}

let system: RunningSystem;

async function call(method: string, path: string, body?: unknown, sub = 'e2e-user'): Promise<Response> {
  const response = await fetch(`${system.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${system.token(sub)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

async function created(path: string, body: unknown): Promise<any> {
  const response = await call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const stockOf = async (sku: string): Promise<{ onHand: number; reserved: number }> => {
  const [onHand, reserved] = (await system.sql('inventory', `SELECT on_hand, reserved FROM stock_items WHERE sku = '${sku}'`)).split('|');
  return { onHand: Number(onHand), reserved: Number(reserved) };
};

const stepsOf = async (orderId: string): Promise<string[]> =>
  (await system.sql('order', `SELECT step || ':' || outcome FROM saga_steps WHERE order_id = '${orderId}' ORDER BY at`)).split('\n').filter(Boolean);

const dailySales = async (): Promise<{ orders: number; cancellations: number; revenue: number }> => {
  const response = await call('GET', '/analytics/reports/daily-sales');
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  // Summed over the days served, so a run that crosses midnight (UTC) counts the same.
  const rows = response.body as { orders: number; cancellations: number; revenue: number }[];
  return rows.reduce((sum, day) => ({ orders: sum.orders + day.orders, cancellations: sum.cancellations + day.cancellations, revenue: sum.revenue + day.revenue }), {
    orders: 0,
    cancellations: 0,
    revenue: 0,
  });
};

beforeAll(async () => {
  system = await startSystem(await prepareSystem('order-saga', 'rabbitmq'), 'postgres');
}, 600_000);

afterAll(async () => {
  await system?.close();
}, 60_000);

describe('order-saga on RabbitMQ: the order saga, and analytics counting it', () => {
  let ada: { id: string };

  beforeAll(async () => {
    ada = await created('/user/users', { email: 'ada@example.com', name: 'Ada', status: 'active', creditLimit: 100 });
    await created('/inventory/stock-items', { sku: 'BOOK-1', name: 'A book', onHand: 10, reserved: 0 });
  });

  it('happy path: stock reserved, payment charged, order confirmed, analytics counts it', async () => {
    const order = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 12.5 }] });
    expect(order).toMatchObject({ status: 'confirmed', total: 25, failureReason: null });
    expect(await stepsOf(order.id)).toEqual(['validate_user:done', 'reserve_stock:done', 'charge_payment:done', 'confirm:done']);
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: 2 });
    const reservation = await call('GET', `/inventory/reservations/${order.reservationId}`);
    expect(reservation.body).toMatchObject({ orderId: order.id, status: 'held' });
    const payment = await call('GET', `/payment/payments/${order.paymentId}`);
    expect(payment.body).toMatchObject({ orderId: order.id, userId: ada.id, amount: 25, currency: 'EUR', status: 'charged' });
    await eventually('analytics counts the confirmation', async () => (await dailySales()).orders === 1, 30_000);
    expect(await dailySales()).toEqual({ orders: 1, cancellations: 0, revenue: 25 });
    await eventually('notification e-mails the customer', async () => system.logs('notification').includes(`Order ${order.id} confirmed`), 30_000);
  });

  it('payment declined: the reservation is released, OrderCancelled(charge_payment), analytics counts the cancellation', async () => {
    // 5 × 30 = 150 is above Ada's credit limit of 100: the payment provider declines it.
    const order = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 5, unitPrice: 30 }] });
    expect(order).toMatchObject({ status: 'cancelled', failureReason: 'payment declined', paymentId: null });
    expect(await stepsOf(order.id)).toEqual(['validate_user:done', 'reserve_stock:done', 'charge_payment:failed', 'reserve_stock:compensated']);
    expect((await call('GET', `/inventory/reservations/${order.reservationId}`)).body).toMatchObject({ orderId: order.id, status: 'released' });
    // Only the confirmed order's two books stay reserved.
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: 2 });
    expect(await system.sql('payment', `SELECT status FROM payments WHERE order_id = '${order.id}'`)).toBe('declined');
    const [envelope] = (await system.sql('order', `SELECT envelope FROM outbox WHERE type = 'OrderCancelled' AND envelope->'data'->>'orderId' = '${order.id}'`)).split('\n');
    expect(JSON.parse(envelope!).data).toEqual({ orderId: order.id, userId: ada.id, reason: 'payment declined', failedStep: 'charge_payment' });
    await eventually('analytics counts the cancellation', async () => (await dailySales()).cancellations === 1, 30_000);
    expect(await dailySales()).toEqual({ orders: 1, cancellations: 1, revenue: 25 });
    await eventually('notification tells the customer', async () => system.logs('notification').includes(`Order ${order.id} cancelled (charge_payment)`), 30_000);
  });

  it('not enough stock: nothing is held, OrderCancelled(reserve_stock)', async () => {
    const order = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 9, unitPrice: 1 }] });
    expect(order).toMatchObject({ status: 'cancelled', reservationId: null });
    expect(order.failureReason).toContain('409');
    expect(await stepsOf(order.id)).toEqual(['validate_user:done', 'reserve_stock:failed']);
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: 2 });
  });

  it('registering a customer publishes UserRegistered (notification welcomes them); a bad body is refused as the generated create refused it', async () => {
    const grace = await created('/user/users', { email: 'grace@example.com', name: 'Grace', status: 'active' });
    expect(grace).toMatchObject({ email: 'grace@example.com', name: 'Grace', status: 'active', creditLimit: null });
    expect(await system.sql('user', `SELECT count(*) FROM outbox WHERE type = 'UserRegistered' AND envelope->'data'->>'userId' = '${grace.id}'`)).toBe('1');
    await eventually('notification welcomes the customer', async () => system.logs('notification').includes('Welcome, Grace'), 30_000);
    const refused = await call('POST', '/user/users', { email: 'x@example.com', name: 'X', status: 'asleep' });
    expect(refused.status).toBe(400);
    expect(await system.sql('user', `SELECT count(*) FROM users WHERE email = 'x@example.com'`)).toBe('0');
  });

  it('a suspended user: POST /users/{id}/suspend, then the order is cancelled at validate_user', async () => {
    const bob = await created('/user/users', { email: 'bob@example.com', name: 'Bob', status: 'active', creditLimit: 50 });
    const suspended = await call('POST', `/user/users/${bob.id}/suspend`, {});
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    const order = await created('/order/orders', { userId: bob.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 1 }] });
    expect(order).toMatchObject({ status: 'cancelled', failureReason: 'the user is suspended' });
    expect(await stepsOf(order.id)).toEqual(['validate_user:failed']);
    expect((await call('POST', '/user/users/00000000-0000-4000-8000-000000000000/suspend', {})).status).toBe(404);
  });

  it('a suspended or unknown user: OrderCancelled(validate_user), nothing reserved', async () => {
    const order = await created('/order/orders', { userId: '00000000-0000-4000-8000-000000000000', currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 1 }] });
    expect(order).toMatchObject({ status: 'cancelled', failureReason: 'no such user' });
    expect(await stepsOf(order.id)).toEqual(['validate_user:failed']);
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: 2 });
  });

  it('inventory down: the reserve step fails, the order is cancelled, and orders are placed again once it is back', async () => {
    expect(await system.stop('inventory')).toEqual({ code: 0, signal: null });
    const order = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 10 }] });
    expect(order).toMatchObject({ status: 'cancelled', reservationId: null });
    expect(order.failureReason).toContain('inventory is unavailable');
    expect(await stepsOf(order.id)).toEqual(['validate_user:done', 'reserve_stock:failed']);
    await system.start('inventory');
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: 2 });
    // The breaker (5 failures) was not opened by one failed call: the next order goes through.
    const next = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 10 }] });
    expect(next.status).toBe('confirmed');
  }, 120_000);

  it('inventory down for longer: after 5 failed reservations the breaker opens, orders are cancelled without calling it, and the trial after 10 s lets orders through', async () => {
    const line = { sku: 'BOOK-1', quantity: 1, unitPrice: 10 };
    const before = await stockOf('BOOK-1');
    expect(await system.stop('inventory')).toEqual({ code: 0, signal: null });
    for (let i = 0; i < 5; i++) {
      const order = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [line] });
      expect(order.failureReason).toContain('inventory is unavailable');
    }
    const refused = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [line] });
    expect(refused).toMatchObject({ status: 'cancelled', reservationId: null });
    expect(refused.failureReason).toMatch(/circuit breaker is open/i);
    await system.start('inventory');
    // Open for 10 s (the default resetMs) even with inventory back; then one trial call closes it again.
    expect((await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [line] })).failureReason).toMatch(/circuit breaker is open/i);
    await new Promise((r) => setTimeout(r, 10_500));
    expect((await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [line] })).status).toBe('confirmed');
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: before.reserved + 1 });
  }, 120_000);

  it('cancelling a confirmed order refunds the payment and releases the stock', async () => {
    const order = await created('/order/orders', { userId: ada.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 20 }] });
    expect(order.status).toBe('confirmed');
    const before = await stockOf('BOOK-1');
    const cancelled = await call('POST', `/order/orders/${order.id}/cancel`, {});
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', failureReason: 'cancelled by the customer' });
    expect((await call('GET', `/payment/payments/${order.paymentId}`)).body.status).toBe('refunded');
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: before.reserved - 1 });
    // Idempotent: cancelling again changes nothing.
    expect((await call('POST', `/order/orders/${order.id}/cancel`, {})).body.status).toBe('cancelled');
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: before.reserved - 1 });
    expect(await system.sql('payment', `SELECT count(*) FROM outbox WHERE type = 'PaymentRefunded'`)).toBe('1');
  });

  it('order killed (SIGKILL) between reserving the stock and charging: on restart the saga completes, charging once', async () => {
    const before = await stockOf('BOOK-1');
    const payment = system.pid('payment')!;
    // Payment frozen: the saga waits on the charge, with the stock reserved, when order is killed.
    process.kill(payment, 'SIGSTOP');
    let orderId: string;
    try {
      const placing = call('POST', '/order/orders', { userId: ada.id, currency: 'EUR', lines: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 7 }] });
      orderId = await eventually('the stock is reserved for the new order', async () =>
        (await system.sql('order', `SELECT o.id FROM orders o JOIN saga_steps s ON s.order_id = o.id WHERE o.status = 'pending' AND s.step = 'reserve_stock' AND s.outcome = 'done'`)) || undefined,
      );
      expect(await system.stop('order', 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      expect((await placing).status).toBeGreaterThanOrEqual(500);
    } finally {
      process.kill(payment, 'SIGCONT');
    }
    await system.start('order');
    await eventually('the interrupted order is resumed', async () => (await system.sql('order', `SELECT status FROM orders WHERE id = '${orderId}'`)) !== 'pending', 30_000);
    const order = (await call('GET', `/order/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'confirmed', total: 7 });
    expect(await stepsOf(orderId)).toEqual(['validate_user:done', 'reserve_stock:done', 'charge_payment:done', 'confirm:done']);
    expect(await system.sql('payment', `SELECT status FROM payments WHERE order_id = '${orderId}'`)).toBe('charged');
    expect((await call('GET', `/inventory/reservations/${order.reservationId}`)).body).toMatchObject({ orderId, status: 'held' });
    expect(await stockOf('BOOK-1')).toEqual({ onHand: 10, reserved: before.reserved + 1 });
  }, 120_000);
});
