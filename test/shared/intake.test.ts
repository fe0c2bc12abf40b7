import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clvSummaryBookReader,
  dayFromParts,
  formatRowProblem,
  getPreset,
  intakeBook,
  isClvSummary,
  isoDate,
  parseAmount,
  parseCustomerTable,
  parseDay,
  parseTransactions,
  plainIsoDay,
  refuseAmbiguous,
  scoreBook,
  TierwiseError,
  transactionLogBuilder,
} from '../../shared';
import { CDNOW_CALIBRATION_END } from '../helpers/data';

describe('dates', () => {
  const day = dayFromParts(1997, 1, 1);
  it.each([
    ['1997-01-01', day],
    ['1997-1-1', day],
    ['19970101', day],
    [19970101, day],
    ['1997/01/01', day],
    ['1997-01-01T10:00:00Z', day],
    [35431, day], // spreadsheet serial of 1997-01-01
    [new Date(1997, 0, 1), day],
    ['1997-02-30', null],
    ['01/02/1997', null], // ambiguous day/month order: refused rather than guessed
    ['', null],
    [-3, null],
  ])('%s → %s', (input, expected) => {
    expect(parseDay(input)).toBe(expected);
  });
  it('prints ISO', () => expect(isoDate(day!)).toBe('1997-01-01'));

  it('property: the fast YYYY-MM-DD reader agrees with Date.UTC (dayFromParts), leap days and bad dates included', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, dayOfMonth) => {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(dayOfMonth, 2)}`;
          expect(plainIsoDay(text)).toBe(dayFromParts(year, month, dayOfMonth));
          expect(parseDay(text)).toBe(dayFromParts(year, month, dayOfMonth));
        },
      ),
      { numRuns: 2000 },
    );
    for (const text of ['2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '9999-12-31', '1000-01-01'])
      expect(plainIsoDay(text)).toBe(parseDay(` ${text}T00:00:00Z `));
    for (const text of ['0099-01-01', '2024-1-01', '2024/01/01', '2024-01-0x', '+024-01-01'])
      expect(plainIsoDay(text)).toBeUndefined();
  });

  it('property: isoDate by arithmetic writes what Date.toISOString does, also outside years 1000–9999', () => {
    const viaDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.integer({ min: -400_000, max: 3_000_000 }), (day) => {
        expect(isoDate(day)).toBe(viaDate(day));
      }),
      { numRuns: 3000 },
    );
    for (const day of [-354_286, -354_285, -1, 0, 59, 60, 11_016, 2_932_896, 2_932_897])
      expect(isoDate(day)).toBe(viaDate(day));
  });
});

describe('amounts', () => {
  it('property: plain decimals read exactly as Number reads them (to the last bit, -0 included)', () => {
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-'),
        fc.stringMatching(/^\d{0,12}$/),
        fc.constantFrom('', '.'),
        fc.stringMatching(/^\d{0,9}$/),
      )
      .map((parts) => parts.join(''))
      .filter((text) => /\d/.test(text) && (text.includes('.') || !text.endsWith('-')));
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Object.is(parseAmount(text), Number(text))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    [12.5, 12.5],
    ['12.50', 12.5],
    ['$1,234.56', 1234.56],
    ['1.234,56 €', 1234.56],
    ['¥1,234', 1234],
    ['1,5', 1.5],
    ['(12.00)', -12],
    ['-7', -7],
    ['USD 99', 99],
    ['abc', null],
    ['1.2.3', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(parseAmount(input)).toBe(expected);
  });
});

describe('parseTransactions', () => {
  it('rejects bad rows with row, column, value and reason, and keeps the good ones', () => {
    const { log, rejected } = parseTransactions({
      header: ['Customer', 'Order Date', 'Revenue'],
      rows: [
        ['acme', '2024-01-05', '$100'],
        ['acme', 'yesterday', '50'],
        ['', '2024-01-06', '10'],
        ['beta', '2024-01-07', 'abc'],
        ['', '', ''],
        ['beta', '2024-01-08', ''],
        ['beta', '2024-01-09', '20'],
      ],
    });
    expect(log.customers.map((c) => c.id)).toEqual(['acme', 'beta']);
    expect([...log.amount]).toEqual([100, 20]);
    expect(rejected.map(formatRowProblem)).toEqual([
      'row 3, column Order Date: "yesterday" is not a date; use YYYY-MM-DD, YYYYMMDD or a spreadsheet date',
      'row 4, column Customer: (empty) is empty; every row needs a customer id',
      'row 5, column Revenue: "abc" is not an amount; use a number such as 1234.50, "$1,234.50" or "(12.00)" for a refund',
      'row 7, column Revenue: (empty) is empty; a value is required',
    ]);
  });

  it('says which columns it needs and which it saw', () => {
    expect(() => parseTransactions({ header: ['who', 'when', 'amount'], rows: [] })).toThrow(
      /no column for customerId, date: the header has "who", "when", "amount"/,
    );
  });

  it('takes explicit column names', () => {
    const { log } = parseTransactions(
      { header: ['who', 'when', 'net'], rows: [['a', '2024-01-01', '5']] },
      { customerId: 'who', date: 'when', amount: 'net' },
    );
    expect(log.amount[0]).toBe(5);
  });

  it('property: rows given with id numbers (as the CLI reader numbers them) build the same log and rejections', () => {
    const row = fc.tuple(
      fc.constantFrom('a', ' a', 'b', '', ' ', 'c'),
      fc.constantFrom('2024-01-05', '2024-01-06', '2024-02-30', 'x', ''),
      fc.constantFrom('1', '-2.5', '$3', 'abc', ''),
      fc.constantFrom('Ann', '', 'Bo'),
    );
    fc.assert(
      fc.property(fc.array(row), (rows) => {
        const header = ['customer_id', 'date', 'amount', 'name'];
        const plain = transactionLogBuilder(header);
        const numbered = transactionLogBuilder(header);
        const keys = new Map<string, number>();
        rows.forEach((cells, r) => {
          const key = keys.get(cells[0]) ?? keys.size;
          keys.set(cells[0], key);
          expect(numbered.add(cells, r + 2, key)).toBe(plain.add(cells, r + 2));
        });
        expect(numbered.finish()).toEqual(plain.finish());
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseCustomerTable', () => {
  const asOf = dayFromParts(2007, 1, 1)!;
  it('reads the R rfm package’s customer table shape, with recency from the last visit', () => {
    const { customers, rejected } = parseCustomerTable(
      {
        header: [
          'customer_id',
          'revenue',
          'most_recent_visit',
          'number_of_orders',
          'recency_days',
          'first_name',
        ],
        rows: [
          ['22086', '777', '2006-05-14', '9', '232', 'Maddalena'],
          ['1', 'lots', '2006-05-14', '9', '232', 'X'],
          ['2', '10', '2006-05-14', '-1', '232', 'X'],
        ],
      },
      { asOf },
    );
    expect(customers[0]).toMatchObject({
      customerId: '22086',
      orders: 9,
      totalSpend: 777,
      sinceLastPurchase: 232,
    });
    expect(rejected.map((r) => [r.row, r.column])).toEqual([
      [3, 'revenue'],
      [4, 'number_of_orders'],
    ]);
  });

  it('needs a last purchase or a recency column', () => {
    expect(() => parseCustomerTable({ header: ['id', 'orders', 'total_spend'], rows: [] }, { asOf })).toThrow(
      TierwiseError,
    );
  });
});

describe('the CLV literature summary (lifetimes format)', () => {
  const asOf = CDNOW_CALIBRATION_END;
  const header = ['customer_id', 'frequency', 'recency', 'T', 'monetary_value'];
  const read = (rows: unknown[][], unit: 'week' | 'day' = 'week') => {
    const reader = clvSummaryBookReader(header, { asOf, unit });
    for (const [i, cells] of rows.entries()) reader.add(cells, i + 2);
    return reader.finish();
  };

  it('is recognised by its T column, and its bare frequency/recency are refused without it', () => {
    expect(isClvSummary(header)).toBe(true);
    expect(isClvSummary(['ID', 'x', 't_x', 'T', 'zbar'])).toBe(true);
    expect(isClvSummary(['customer_id', 'frequency', 'recency', 'monetary'])).toBe(false);
    expect(() => refuseAmbiguous(['customer_id', 'frequency', 'recency', 'total_spend'])).toThrow(
      /"frequency" and "recency" could mean two things/,
    );
    // Mapped, they are an RFM table again; a transaction log with such columns is no concern.
    expect(() =>
      refuseAmbiguous(['customer_id', 'frequency', 'recency', 'total_spend'], {
        orders: 'frequency',
        recencyDays: 'recency',
      }),
    ).not.toThrow();
    expect(() => refuseAmbiguous(['customer_id', 'date', 'amount', 'frequency'])).not.toThrow();
    // The core on its own (Sheets, the sync) no longer reads them as orders and recency.
    expect(() =>
      intakeBook({ header: ['customer_id', 'frequency', 'recency', 'total_spend'], rows: [] }, { asOf }),
    ).toThrow(/no column for orders/);
  });

  it('reads CDNOW customer 1 as the published calibration summary (Fader, Hardie & Lee 2005)', () => {
    // x = 2, t_x = 30.43, T = 38.86 weeks, zbar = 22.35 (test/fixtures/cdnow/SOURCE.md).
    const book = read([['1', '2', '30.43', '38.86', '22.35']]);
    expect(book.customers[0]).toMatchObject({
      customerId: '1',
      repeatPurchases: 2,
      purchaseDays: 3,
      firstToLastPurchase: 30.43 * 7, // summaries count days
      tenure: 38.86 * 7,
      repeatAverageSpend: 22.35,
      totalSpend: 44.7, // the repeat purchases only: the format has no first-purchase value
    });
    expect(book.customers[0].sinceLastPurchase).toBeCloseTo(8.43 * 7, 10);
    expect(book.customers[0].firstPurchase).toBe(asOf - Math.round(38.86 * 7)); // 1997-01-01
    expect(book.notes[0]).toMatch(/^read as a CLV summary in weeks/);
  });

  it('rejects impossible rows by row and column', () => {
    const book = read([
      ['a', '1.5', '3', '4', '10'],
      ['b', '2', '9', '4', '10'],
      ['c', '1', '2', 'x', '10'],
    ]);
    expect(book.rejected.map((p) => [p.row, p.column])).toEqual([
      [2, 'frequency'],
      [3, 'recency'],
      [4, 'T'],
    ]);
  });
});

describe('intake under fuzzing', () => {
  const asOf = dayFromParts(2024, 6, 30)!;
  const nasty = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.constantFrom(
      '',
      ' ',
      '-',
      '.',
      '1e400',
      '9'.repeat(400),
      'NaN',
      'Infinity',
      '-0',
      '(0)',
      '$',
      '1,2,3',
    ),
    fc.constantFrom(
      '2024-02-30',
      '0000-01-01',
      '9999-12-31',
      '20240631',
      '2024/13/01',
      '2024-06-30T23:59:59+14:00',
    ),
    fc.double().map(String),
    fc.integer().map(String),
    fc.date({ noInvalidDate: false }),
    fc.double(),
    fc.constantFrom(null, undefined, true, {}, []),
  );
  const header = fc.shuffledSubarray(['customer_id', 'date', 'amount', 'name', 'owner', 'margin', 'cost'], {
    minLength: 3,
  });
  const table = header.chain((h) =>
    fc.tuple(
      fc.constant(h),
      fc.array(fc.array(nasty, { minLength: h.length, maxLength: h.length }), { maxLength: 25 }),
    ),
  );

  it('property: only the core’s own errors, no NaN, and no customer from a rejected row', () => {
    fc.assert(
      fc.property(table, ([h, rows]) => {
        let book: ReturnType<typeof intakeBook>;
        try {
          book = intakeBook({ header: h, rows }, { asOf });
        } catch (error) {
          expect(error).toBeInstanceOf(TierwiseError); // a header it cannot use
          return;
        }
        const idColumn = h.indexOf('customer_id');
        const rejectedRows = new Set(book.rejected.map((p) => p.row));
        const usedIds = new Set(
          rows
            .map((r, i) => ({ r, row: i + 2 }))
            .filter(({ row }) => !rejectedRows.has(row))
            .map(({ r }) => String(r[idColumn] ?? '').trim()),
        );
        for (const c of book.customers) {
          expect(usedIds.has(c.customerId)).toBe(true);
          for (const value of [c.totalSpend, c.averageOrderValue, c.sinceLastPurchase, c.tenure, c.orders])
            expect(Number.isFinite(value)).toBe(true);
        }
        for (const p of book.rejected) expect(p.row).toBeGreaterThanOrEqual(2);
        const scored = scoreBook(book.customers, getPreset('rfm-segments')!, { asOf });
        for (let i = 0; i < book.customers.length; i++) expect(scored.r[i]).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a customer table of hostile cells never crashes or yields NaN', () => {
    const h = ['customer_id', 'last_purchase', 'orders', 'total_spend', 'potential'];
    fc.assert(
      fc.property(fc.array(fc.array(nasty, { minLength: 5, maxLength: 5 }), { maxLength: 25 }), (rows) => {
        const book = intakeBook({ header: h, rows }, { asOf });
        for (const c of book.customers) {
          expect(Number.isFinite(c.totalSpend)).toBe(true);
          expect(Number.isFinite(c.sinceLastPurchase)).toBe(true);
          expect(c.lastPurchase).toBeLessThanOrEqual(asOf);
          for (const v of Object.values(c.attributes)) expect(Number.isFinite(v)).toBe(true);
        }
        expect(book.customers.length + book.rejected.length).toBeLessThanOrEqual(rows.length);
      }),
      { numRuns: 300 },
    );
  });
});
