import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

interface PlaceOrder {
  readonly userId: string;
  readonly shippingAddressId: string;
  readonly currency: string;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
}

interface Availability {
  readonly available: boolean;
  readonly lines: readonly { readonly productId: string; readonly available: boolean; readonly name: string; readonly unitPrice: number }[];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(body: unknown): PlaceOrder {
  const order = body as Partial<PlaceOrder> | null;
  const valid =
    typeof order?.userId === 'string' &&
    uuid.test(order.userId) &&
    typeof order.shippingAddressId === 'string' &&
    uuid.test(order.shippingAddressId) &&
    typeof order.currency === 'string' &&
    Array.isArray(order.lines) &&
    order.lines.length > 0 &&
    order.lines.every((l) => typeof l?.productId === 'string' && uuid.test(l.productId) && Number.isInteger(l.quantity) && l.quantity > 0);
  if (!valid) {
    throw new HttpError(400, 'expected { userId, shippingAddressId, currency, lines: [{ productId, quantity > 0 }] } with UUID ids');
  }
  return order as PlaceOrder;
}

/**
 * POST /orders: places an order. The address must be the customer's and every
 * line in stock (asked of product synchronously: nobody is told "ordered" for
 * something sold out). The order, its lines and OrderCreated are stored in one
 * transaction; product lowers its stock when OrderCreated reaches it.
 */
export const handle: ApiHandler = async (request, ctx) => {
  const order = parse(request.body);
  const address = await ctx.clients.user.getAddress(order.shippingAddressId);
  if (address?.userId !== order.userId) throw new HttpError(422, 'the shipping address is not one of this customer');
  const availability = (await ctx.clients.product.postProductsAvailability({ lines: order.lines })) as Availability;
  if (!availability.available) throw new HttpError(409, 'not everything is in stock', availability.lines);

  const lines = order.lines.map((line, i) => ({ ...line, name: availability.lines[i]!.name, unitPrice: availability.lines[i]!.unitPrice }));
  const total = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const placed = await ctx.transaction(async (tx) => {
    const created = await tx.orders.create({
      userId: order.userId,
      shippingAddressId: order.shippingAddressId,
      status: 'created',
      total,
      currency: order.currency,
      placedAt: new Date().toISOString(),
    });
    for (const line of lines) {
      await tx.orderLines.create({ orderId: created.id, productId: line.productId, quantity: line.quantity, unitPrice: line.unitPrice });
    }
    await tx.publish('OrderCreated', { orderId: created.id, userId: created.userId, lines, total, currency: created.currency, placedAt: created.placedAt });
    return created;
  });
  return { status: 201, body: { ...placed, lines } };
};
