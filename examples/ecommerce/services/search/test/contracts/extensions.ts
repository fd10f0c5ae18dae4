import { type Extensions } from './support.js';

/**
 * The hand-written part of search's contract tests: yours. taskflow-gen
 * created this file once and never overwrites it; the generated tests beside
 * it read what is here.
 * - `consumes`: orders' lines as search reads them (the product names it indexes).
 */
const productId = '6b1f0c2e-8d4a-4f5b-9c3e-2a7d1e5f8b90';

export const extensions: Extensions = {
  consumes: {
    OrderCreated: { data: { lines: [{ productId, quantity: 2, name: 'Mug', unitPrice: 12.5 }] } },
    OrderCancelled: { data: { lines: [{ productId, quantity: 2 }] } },
  },
};
