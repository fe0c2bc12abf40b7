import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCustomers, normalizeName, similarity } from '../../shared';

const book = [
  { id: 'C001', name: 'Acme Corp' },
  { id: 'C016', name: 'Acme Bakery' },
  { id: 'C004', name: 'Café Müller' },
  { id: 'C005', name: '上海明华贸易' },
  { id: 'C007', name: 'Stark Industries' },
];

describe('findCustomers', () => {
  it('finds one customer by exact id or name, ignoring case and accents', () => {
    expect(findCustomers('c007', book)).toEqual({ kind: 'one', index: 4 });
    expect(findCustomers('cafe muller', book)).toEqual({ kind: 'one', index: 2 });
    expect(findCustomers('ACME CORP', book)).toEqual({ kind: 'one', index: 0 });
  });
  it('finds Chinese names by a part of them', () => {
    expect(findCustomers('明华', book)).toEqual({ kind: 'one', index: 3 });
  });
  it('lists several prefix matches', () => {
    expect(findCustomers('acme', book)).toEqual({ kind: 'several', indices: [0, 1], total: 2 });
  });
  it('tolerates a typo', () => {
    expect(findCustomers('stark industrys', book)).toEqual({ kind: 'one', index: 4 });
  });
  it('suggests the closest when nothing matches', () => {
    const result = findCustomers('acne bakry', book);
    expect(result.kind === 'none' || result.kind === 'one').toBe(true);
    expect(findCustomers('zzzzzz', book)).toEqual({ kind: 'none', suggestions: [] });
  });
  it('normalises spacing and punctuation', () => {
    expect(normalizeName('  Café-Müller  GmbH ')).toBe('cafe muller gmbh');
  });
  it('property: similarity is symmetric, in [0, 1], and 1 only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const s = similarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(similarity(b, a)).toBeCloseTo(s, 12);
        expect(s === 1).toBe(a === b);
      }),
    );
  });
});
