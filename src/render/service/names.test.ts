import { describe, expect, it } from 'vitest';
import { kebab } from '../../shared/naming.js';
import { camel, operationName, snake } from './names.js';

describe('names', () => {
  it('derives handler and file names from endpoints, unique per method and path', () => {
    expect(operationName({ method: 'POST', path: '/orders/{id}/cancel' })).toBe('post-orders-by-id-cancel');
    expect(operationName({ method: 'POST', path: '/orders/cancel' })).toBe('post-orders-cancel');
    expect(operationName({ method: 'GET', path: '/search/products' })).toBe('get-search-products');
    expect(operationName({ method: 'GET', path: '/users/{userId}/order-items' })).toBe('get-users-by-user-id-order-items');
    expect(camel('post-orders-by-id-cancel')).toBe('postOrdersByIdCancel');
    expect(kebab('OrderLine')).toBe('order-line');
    expect(snake('marketingOptIn')).toBe('marketing_opt_in');
  });
});
