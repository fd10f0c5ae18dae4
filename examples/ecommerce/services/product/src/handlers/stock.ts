import type { Tx } from '../context.js';
import type { Product } from '../entities/product.js';

/** Moves a product's stock by `delta` and tells everyone (search) with ProductChanged, in the caller's transaction. */
export async function adjustStock(tx: Tx, productId: string, delta: number): Promise<void> {
  const [product] = await tx.sql.query<Product>(
    'UPDATE products SET stock = stock + $2 WHERE id = $1 RETURNING id, name, category, price, stock, active',
    [productId, delta],
  );
  if (!product) return;
  const { name, category, price, stock, active } = product;
  await tx.publish('ProductChanged', { productId, name, category, price, stock, active });
}
