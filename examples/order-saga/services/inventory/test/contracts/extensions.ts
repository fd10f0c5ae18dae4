import { StockItemRepository } from '../../src/entities/stock-item.js';
import type { Extensions } from './support.js';

/**
 * The hand-written part of inventory's contract tests: the stock order's
 * reservation request needs (POST /reservations holds stock of a SKU, so the
 * generated `a StockItem exists` with its example counts is not enough).
 */
export const extensions: Extensions = {
  states: {
    'ten of a SKU are in stock': async (params, { db }) => {
      const sku = String(params['sku']);
      await db.query('DELETE FROM stock_items WHERE sku = $1', [sku]);
      await new StockItemRepository(db).create({ sku, name: 'Example', onHand: 10, reserved: 0 });
    },
  },
};
