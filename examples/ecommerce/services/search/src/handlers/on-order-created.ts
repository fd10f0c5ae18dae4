import type { EventHandler } from '../context.js';
import type { OrderCreated } from '../events/envelope.js';

/** Indexes a new order, with the names of what was ordered so it can be found by them. */
export const handle: EventHandler<OrderCreated> = async (event, tx) => {
  const { orderId, userId, total, placedAt } = event.data;
  const productNames = (event.data.lines as { name?: string }[]).map((line) => line.name ?? '').filter((name) => name !== '');
  await tx.orderDocuments.create({ orderId, userId, status: 'created', total, productNames, placedAt });
};
