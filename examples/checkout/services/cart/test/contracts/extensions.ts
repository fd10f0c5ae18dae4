import assert from 'node:assert/strict';
import { type Extensions } from './support.js';

/**
 * The hand-written part of cart's contract tests: yours. taskflow-gen created
 * this file once and never overwrites it; the generated tests beside it read
 * what is here.
 * - `publishes`: CartCheckedOut as cart publishes it, when a cart is checked out.
 */
export const extensions: Extensions = {
  publishes: {
    CartCheckedOut: async ({ ctx, app }) => {
      const cart = await ctx.carts.create({
        customerId: '0d6c1b7a-3e2f-4a8b-b5c9-7e1f2d3c4b5a',
        status: 'open',
        currency: 'EUR',
        updatedAt: new Date().toISOString(),
      });
      await ctx.cartItems.create({ cartId: cart.id, sku: 'MUG-1', quantity: 2, unitPrice: 12.5 });
      const checkedOut = await app.inject({ method: 'POST', url: `/carts/${cart.id}/checkout` });
      assert.equal(checkedOut.statusCode, 200, checkedOut.body);
    },
  },
};
