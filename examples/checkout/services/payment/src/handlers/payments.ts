import type { Tx } from '../context.js';
import type { Payment } from '../entities/payment.js';
import { notFound } from '../http/errors.js';

/** The payment, locked until the transaction ends, so that two answers about it are applied one after the other; 404 when there is none. */
export async function lockPayment(tx: Tx, id: string): Promise<Payment> {
  await tx.sql.query('SELECT 1 FROM payments WHERE id = $1 FOR UPDATE', [id]);
  return (await tx.payments.get(id)) ?? notFound('Payment', id);
}
