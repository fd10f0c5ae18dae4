import type { EventHandler } from '../context.js';
import type { ProductChanged } from '../events/envelope.js';

/** Keeps the product's document in step with the catalogue: created on first sight, replaced after. */
export const handle: EventHandler<ProductChanged> = async (event, tx) => {
  const { productId, name, category, price, stock, active } = event.data;
  const document = { productId, name, category, price, inStock: active && stock > 0 };
  const [existing] = await tx.sql.query<{ id: string; description: string | null }>(
    'SELECT id, description FROM product_documents WHERE product_id = $1',
    [productId],
  );
  if (existing) await tx.productDocuments.update(existing.id, { ...document, description: existing.description });
  else await tx.productDocuments.create(document);
};
