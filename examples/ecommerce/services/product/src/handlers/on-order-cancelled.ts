import type { EventHandler } from '../context.js';
import type { OrderCancelled } from '../events/envelope.js';
import { adjustStock } from './stock.js';

/** An order was cancelled: its lines go back into stock. */
export const handle: EventHandler<OrderCancelled> = async (event, tx) => {
  for (const line of event.data.lines as { productId: string; quantity: number }[]) {
    await adjustStock(tx, line.productId, line.quantity);
  }
};
