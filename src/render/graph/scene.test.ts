import { describe, expect, it } from 'vitest';
import { safeId } from './scene.js';

describe('safeId', () => {
  it('prefixes names and replaces every character Mermaid or DOT would not take in an identifier', () => {
    expect(safeId('svc', 'order-service')).toBe('svc_order_service');
    expect(safeId('svc', 'end')).toBe('svc_end');
    expect(safeId('team', 'a.b c')).toBe('team_a_2e_b_20_c');
    expect(safeId('db', 'orders_v2')).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});
