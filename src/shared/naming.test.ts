import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kebab, resourceOf } from './naming.js';

/** What kebab gave before its shortcut for names without inner capitals: the two replacements, always. */
const byReplacements = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();

describe('kebab', () => {
  it('splits words at capitals, keeping acronyms together', () => {
    expect(kebab('OrderItem')).toBe('order-item');
    expect(kebab('HTTPRequest')).toBe('http-request');
    expect(kebab('Item42')).toBe('item42');
    expect(kebab('Item42Line')).toBe('item42-line');
    expect(kebab('order')).toBe('order');
    expect(resourceOf('OrderItem')).toBe('order-items');
    expect(resourceOf('Category')).toBe('categories');
  });

  it('agrees with the two replacements on any name, with or without inner capitals', () => {
    const letters = fc.constantFrom(...'aAbBzZyYsSxX09_-'.split(''));
    fc.assert(
      fc.property(fc.array(letters, { maxLength: 12 }), (chars) => {
        const name = chars.join('');
        expect(kebab(name)).toBe(byReplacements(name));
      }),
      { numRuns: 2000 },
    );
  });
});
