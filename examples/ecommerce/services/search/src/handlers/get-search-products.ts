import type { ApiHandler } from '../http/api.js';
import type { ProductDocument } from '../entities/product-document.js';

/** GET /search/products?q=&inStock=true: products whose name, description or category contains `q`. */
export const handle: ApiHandler = async (request, ctx) => {
  const q = `%${request.query['q'] ?? ''}%`;
  const inStockOnly = request.query['inStock'] === 'true';
  const hits = await ctx.sql.query<ProductDocument>(
    `SELECT id, product_id AS "productId", name, description, category, price, in_stock AS "inStock"
       FROM product_documents
      WHERE (name ILIKE $1 OR description ILIKE $1 OR category ILIKE $1) AND (in_stock OR NOT $2)
      ORDER BY name LIMIT 100`,
    [q, inStockOnly],
  );
  return { status: 200, body: hits };
};
