import type { EventHandler } from '../context.js';
import type { OrderCreated } from '../events/envelope.js';
import { adjustStock } from './stock.js';

/** An order was placed: its lines leave the stock. */
export const handle: EventHandler<OrderCreated> = async (event, tx) => {
  for (const line of event.data.lines as { productId: string; quantity: number }[]) {
    await adjustStock(tx, line.productId, -line.quantity);
  }
};
