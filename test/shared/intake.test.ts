import { describe, expect, it } from 'vitest';
import {
  dayFromParts,
  formatRowProblem,
  isoDate,
  parseAmount,
  parseCustomerTable,
  parseDay,
  parseTransactions,
  TierwiseError,
} from '../../shared';

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
});

describe('amounts', () => {
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
