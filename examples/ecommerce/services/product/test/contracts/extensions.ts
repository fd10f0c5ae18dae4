import type { Tx } from '../../src/context.js';
import { adjustStock } from '../../src/handlers/stock.js';
import { type Extensions } from './support.js';

/**
 * The hand-written part of product's contract tests: yours. taskflow-gen
 * created this file once and never overwrites it; the generated tests beside
 * it read what is here.
 * - `publishes`: ProductChanged as product publishes it, when its stock moves.
 * - `consumes`: orders' lines, which product's handlers read, and the product
 *   they are for.
 */
const productId = '6b1f0c2e-8d4a-4f5b-9c3e-2a7d1e5f8b90';
const lines = [{ productId, quantity: 2 }];

/** The product the examples are about, with 10 in stock. */
async function mug(tx: Tx): Promise<void> {
  if (await tx.products.get(productId)) return;
  await tx.products.create(
    { sku: 'MUG-1', name: 'Mug', description: null, price: 12.5, currency: 'EUR', stock: 10, category: 'kitchen', active: true },
    productId,
  );
}

export const extensions: Extensions = {
  publishes: {
    ProductChanged: ({ ctx }) =>
      ctx.transaction(async (tx) => {
        await mug(tx);
        await adjustStock(tx, productId, -2);
      }),
  },
  consumes: {
    OrderCreated: { data: { lines }, prepare: mug },
    OrderCancelled: { data: { lines }, prepare: mug },
  },
};
