import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDirectory,
  customerKey,
  customersOwnedBy,
  findCustomers,
  findInDirectory,
  MAX_QUERY_LENGTH,
  normalizeName,
  queryTooLong,
  similarity,
} from '../../shared';
import { bigBookRows, PLANTED } from '../helpers/big-book';

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
    // Too far from every name to match, close enough to suggest: the closest first.
    expect(findCustomers('acme bkry xx', book)).toEqual({ kind: 'none', suggestions: [1, 0] });
    expect(findCustomers('stork indus', book)).toEqual({ kind: 'none', suggestions: [4] });
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

describe('the customer directory', () => {
  const directory = buildDirectory([
    { id: 'C-001', name: 'Acme Corp', owner: 'ana@acme.test' },
    { id: 'C002', name: 'Acme Corp', owner: 'Bo' },
    { id: 'ZZ-9', name: 'Someone Else', owner: null },
    { id: 'C004', name: 'Bakery Müller', owner: 'Ana' },
    { id: 'C005', name: 'Old Town Bakery', owner: 'ana' },
  ]);

  it('answers an exact id before anything else, then exact names (all of them)', () => {
    expect(findInDirectory(directory, ' c-001 ')).toEqual({ kind: 'one', index: 0 });
    expect(findInDirectory(directory, 'acme  corp!')).toEqual({ kind: 'several', indices: [0, 1], total: 2 });
    const idLikeName = [...book, { id: 'Acme Corp', name: 'Wayne Enterprises' }];
    expect(findCustomers('acme corp', idLikeName)).toEqual({ kind: 'one', index: 5 });
  });

  it('counts every match, not only the ones listed; one letter matches word starts only', () => {
    expect(findInDirectory(directory, 'bakery')).toEqual({ kind: 'several', indices: [3, 4], total: 2 });
    expect(findInDirectory(directory, 'b')).toEqual({ kind: 'several', indices: [3, 4], total: 2 });
    expect(findInDirectory(directory, 'k')).toEqual({ kind: 'none', suggestions: [] });
  });

  it('finds owners by name, handle or e-mail', () => {
    expect([...customersOwnedBy(directory, ['ana', 'Ana Silva'])].sort()).toEqual([0, 3, 4]);
    expect([...customersOwnedBy(directory, ['bo@elsewhere.test'])]).toEqual([1]);
  });

  it('gives short, stable keys that lead back to the customer', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `C${i}`);
    const keys = new Set(ids.map(customerKey));
    expect(keys.size).toBe(ids.length);
    const long = 'x'.repeat(2_500);
    expect(customerKey(long).length).toBeLessThanOrEqual(14);
    expect(customerKey(long)).toBe(customerKey(long));
    const big = buildDirectory(ids.map((id) => ({ id, name: null })));
    expect(big.byKey(customerKey('C77777'))).toBe(77_777);
    expect(big.byKey('nope')).toBeUndefined();
  });

  it('refuses queries over 200 characters, counted in code points', () => {
    expect(queryTooLong('a'.repeat(MAX_QUERY_LENGTH))).toBe(false);
    expect(queryTooLong('😀'.repeat(MAX_QUERY_LENGTH))).toBe(false);
    expect(queryTooLong('a'.repeat(MAX_QUERY_LENGTH + 1))).toBe(true);
  });

  it('property: the count equals a brute-force count of names holding the query', () => {
    const word = fc.stringMatching(/^[abc]{1,4}$/);
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { maxLength: 40 }),
        word,
        (names, q) => {
          const book = names.map((words, i) => ({ id: `id${i}`, name: words.join(' ') }));
          const d = buildDirectory(book);
          const normal = book.map((c) => normalizeName(c.name));
          const holds = (n: string) =>
            q.length === 1 ? n.startsWith(q) || n.includes(` ${q}`) : n.includes(q);
          const expected = normal.filter(holds).length;
          const result = findInDirectory(d, q);
          const exact = normal.filter((n) => n === q).length;
          if (exact === 1 || expected === 1) expect(result.kind).toBe('one');
          else if (expected > 1) expect(result).toMatchObject({ kind: 'several', total: expected });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: one deleted letter still finds a unique name in a large generated book', () => {
    const rows = bigBookRows(5_000).slice(1);
    const d = buildDirectory(rows.map((r) => ({ id: r[0], name: r[1] })));
    const at = rows.findIndex((r) => r[0] === 'C-PLANT-1');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: PLANTED[0].name.length - 2 }), (cut) => {
        const typo = PLANTED[0].name.slice(0, cut) + PLANTED[0].name.slice(cut + 1);
        fc.pre(!normalizeName(PLANTED[0].name).includes(normalizeName(typo)));
        expect(findInDirectory(d, typo)).toEqual({ kind: 'one', index: at });
      }),
    );
  });
});
