import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvOptions, detectDelimiter, firstInvalidUtf8, readCsvFile } from '../../cli/csv';

const scratch = mkdtempSync(join(tmpdir(), 'tierwise-csv-'));
let files = 0;

/** Writes `content` and reads it back: header, records with their lines and problems. */
function read(content: string | Buffer, options: CsvOptions = {}) {
  const path = join(scratch, `f${files++}.csv`);
  writeFileSync(path, content);
  const out = {
    header: [] as string[],
    delimiter: '',
    encoding: '',
    records: [] as string[][],
    lines: [] as number[],
    problems: [] as (string | null)[],
  };
  readCsvFile(
    path,
    options,
    (h) => {
      out.header = h.header;
      out.delimiter = h.delimiter;
      out.encoding = h.encoding;
    },
    (cells, info) => {
      out.records.push(cells);
      out.lines.push(info.line);
      out.problems.push(info.problem);
    },
  );
  return out;
}

/** RFC 4180 writing, the reference the reader is checked against: quote when needed, double quotes. */
const field = (value: string, delimiter: string): string =>
  value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) || value.startsWith(' ')
    ? `"${value.replace(/"/g, '""')}"`
    : value;

describe('the CSV reader (RFC 4180)', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, and counts lines', () => {
    const out = read('id,note,amount\r\na,"x, ""y""",1\r\nb,"two\r\nlines",2\r\n\r\nc,,3');
    expect(out.header).toEqual(['id', 'note', 'amount']);
    expect(out.records).toEqual([
      ['a', 'x, "y"', '1'],
      ['b', 'two\r\nlines', '2'],
      ['c', '', '3'],
    ]);
    expect(out.lines).toEqual([2, 3, 6]); // the record on line 3 spans two lines; line 5 is blank
  });

  it('accepts LF, CRLF and lone CR line ends and a final line without one', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const out = read(['id,amount', 'a,1', 'b,2'].join(eol));
      expect(out.records).toEqual([
        ['a', '1'],
        ['b', '2'],
      ]);
      expect(out.lines).toEqual([2, 3]);
    }
  });

  it('drops a UTF-8 byte-order mark from the first header', () => {
    expect(read('\uFEFFcustomer_id,date\na,b\n').header).toEqual(['customer_id', 'date']);
  });

  it('flags text after a closing quote as a problem of that record only', () => {
    const out = read('id,amount\na,"1"2\nb,3\n');
    expect(out.problems).toEqual([expect.stringMatching(/^text after the closing quote of field 2/), null]);
    expect(out.records[1]).toEqual(['b', '3']);
  });

  it('names the line where an unclosed quote opens', () => {
    expect(() => read('id,amount\na,1\nb,"2\nc,3\n')).toThrow(
      /line 3: a quoted field starts here and its closing quote/,
    );
  });

  it('finds the delimiter from the header, outside quotes', () => {
    expect(detectDelimiter('customer_id;date;amount')).toBe(';');
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('id\tdate\tamount')).toBe('\t');
    expect(detectDelimiter('id')).toBe(',');
    expect(read('id|amount\na|1\n').records).toEqual([['a', '1']]);
    expect(read('id;amount\na;1,5\n', { delimiter: ',' }).records).toEqual([['a;1', '5']]);
  });

  it('finds the first byte that is not UTF-8', () => {
    expect(firstInvalidUtf8(Buffer.from('Café', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from('Caf\xe9!', 'latin1'))).toBe(3);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).toBe(1); // overlong
  });

  it('reads records across its 4 MB chunks, a quoted field cut in two included', () => {
    const long = 'x'.repeat(1 << 22);
    const out = read(`id,note\na,"${long}"\nb,"y\r\nz"\n`);
    expect(out.records.map((r) => r[1].length)).toEqual([1 << 22, 4]);
    expect(out.lines).toEqual([2, 3]);
  });

  const cell = fc.oneof(
    fc.string(),
    fc.constantFrom('', ' ', '"', '""', ',', ';', '\n', '\r\n', '\r', 'a"b', ' "x"'),
    fc.string({ unit: 'grapheme' }),
  );

  it('property: whatever RFC 4180 writes, it reads back cell for cell', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((width) =>
            fc.tuple(
              fc.constant(width),
              fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 20 }),
            ),
          ),
        fc.constantFrom('\n', '\r\n'),
        ([width, rows], eol) => {
          const header = Array.from({ length: width }, (_, k) => `h${k}`);
          // A record that is a single empty cell is a blank line, which readers skip.
          const kept = rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
          const text = [header, ...kept].map((r) => r.map((v) => field(v, ',')).join(',')).join(eol);
          const out = read(text, { delimiter: ',' });
          expect(out.header).toEqual(header);
          expect(out.records).toEqual(kept);
          expect(out.problems.every((p) => p === null)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: arbitrary bytes give records or a TierwiseError, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          read(Buffer.from(bytes));
        } catch (error) {
          expect((error as Error).name).toBe('TierwiseError');
        }
      }),
      { numRuns: 300 },
    );
  });
});
