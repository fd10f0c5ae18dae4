import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** POST /products/availability: `{ lines: [{ productId, quantity }] }` -> per line, whether it can be sold, and at what price. */
export const handle: ApiHandler = async (request, ctx) => {
  const lines = (request.body as { lines?: unknown } | undefined)?.lines;
  if (!Array.isArray(lines) || !lines.every((l) => uuid.test(String(l?.productId)) && Number.isInteger(l?.quantity))) {
    throw new HttpError(400, 'expected { lines: [{ productId: uuid, quantity: integer }] }');
  }
  const answers = await Promise.all(
    lines.map(async ({ productId, quantity }: { productId: string; quantity: number }) => {
      const product = await ctx.products.get(productId);
      const available = product !== undefined && product.active && product.stock >= quantity;
      return { productId, quantity, available, name: product?.name ?? '', unitPrice: product?.price ?? 0 };
    }),
  );
  return { status: 200, body: { available: answers.every((a) => a.available), lines: answers } };
};
