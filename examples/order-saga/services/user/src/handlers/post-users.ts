import { Ajv } from 'ajv';
import { userInputSchema, type UserInput } from '../entities/user.js';
import type { ApiHandler } from '../http/api.js';
import { HttpError } from '../http/errors.js';

// The generated create's own body schema: a new customer is refused exactly as before.
const valid = new Ajv({ allErrors: true }).compile<UserInput>(userInputSchema);

/**
 * POST /users: registers a customer. The user and UserRegistered are stored
 * in one transaction, so notification welcomes, and analytics counts,
 * exactly the customers that exist.
 */
export const handle: ApiHandler = async (request, ctx) => {
  if (!valid(request.body)) throw new HttpError(400, 'body does not match the User input', valid.errors);
  const input = request.body;
  const user = await ctx.transaction(async (tx) => {
    const created = await tx.users.create(input);
    await tx.publish('UserRegistered', { userId: created.id, email: created.email, name: created.name });
    return created;
  });
  return { status: 201, body: user };
};
