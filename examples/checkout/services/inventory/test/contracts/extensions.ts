import type { Tx } from '../../src/context.js';
import { type Extensions } from './support.js';

/**
 * The hand-written part of inventory's contract tests: yours. taskflow-gen
 * created this file once and never overwrites it; the generated tests beside
 * it read what is here.
 * - `states`: stock on hand of a SKU, which order's reservations need.
 * - `consumes`: the reservation an OrderPlaced or OrderCancelled settles.
 */
const placedReservation = '5c4b3a29-1807-4f6e-9d5c-4b3a29180700';
const cancelledReservation = '5c4b3a29-1807-4f6e-9d5c-4b3a29180701';

/** A reservation of 2 MUG-1 held in the main warehouse, for the given id. */
function held(id: string): (tx: Tx) => Promise<void> {
  return async (tx) => {
    if (await tx.reservations.get(id)) return;
    const stock = await tx.stockItems.create({ sku: 'MUG-1', onHand: 10, reserved: 2, warehouse: 'main' });
    await tx.reservations.create(
      { orderId: id, items: [{ sku: 'MUG-1', quantity: 2, stockItemId: stock.id }], status: 'held', expiresAt: new Date(Date.now() + 60_000).toISOString() },
      id,
    );
  };
}

export const extensions: Extensions = {
  states: {
    'MUG-1 is in stock': async (_params, { ctx }) => {
      await ctx.sql.query("DELETE FROM stock_items WHERE sku = 'MUG-1'");
      await ctx.stockItems.create({ sku: 'MUG-1', onHand: 10, reserved: 0, warehouse: 'main' });
    },
  },
  consumes: {
    OrderPlaced: { data: { reservationId: placedReservation }, prepare: held(placedReservation) },
    OrderCancelled: { data: { reservationId: cancelledReservation }, prepare: held(cancelledReservation) },
  },
};
