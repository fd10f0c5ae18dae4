import type { ApiHandler } from '../http/api.js';
import type { OrderDocument } from '../entities/order-document.js';

/** GET /search/orders?userId=&q=: a customer's orders (or everyone's), newest first, optionally by product name. */
export const handle: ApiHandler = async (request, ctx) => {
  const userId = request.query['userId'] ?? null;
  const q = request.query['q'] ?? null;
  const hits = await ctx.sql.query<OrderDocument>(
    `SELECT id, order_id AS "orderId", user_id AS "userId", status, total, product_names AS "productNames", placed_at AS "placedAt"
       FROM order_documents
      WHERE ($1::uuid IS NULL OR user_id = $1::uuid)
        AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM unnest(product_names) AS name WHERE name ILIKE '%' || $2 || '%'))
      ORDER BY placed_at DESC LIMIT 1000`,
    [userId, q],
  );
  return { status: 200, body: hits };
};
