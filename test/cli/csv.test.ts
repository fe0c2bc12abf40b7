import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvOptions, detectDelimiter, firstInvalidUtf8, readCsvFile } from '../../cli/csv';
import { numberText } from '../../cli/io';
import { LineWriter } from '../../cli/rows';
import { transactionLogBuilder } from '../../shared';

const scratch = mkdtempSync(join(tmpdir(), 'tierwise-csv-'));
let files = 0;

/**
 * Writes `content` and reads it back: header, records with their lines and problems, and the numbers
 * of the `repeated` columns' values.
 */
function read(content: string | Buffer, options: CsvOptions = {}, repeated?: number[]) {
  const path = join(scratch, `f${files++}.csv`);
  writeFileSync(path, content);
  const out = {
    header: [] as string[],
    delimiter: '',
    encoding: '',
    records: [] as string[][],
    lines: [] as number[],
    problems: [] as (string | null)[],
    keys: [] as number[][],
  };
  readCsvFile(
    path,
    options,
    (h) => {
      out.header = h.header;
      out.delimiter = h.delimiter;
      out.encoding = h.encoding;
      return repeated;
    },
    (cells, info) => {
      out.keys.push([...info.keys]);
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
          const out = read(text, { delimiter: ',' }, [0, width - 1]);
          expect(out.header).toEqual(header);
          expect(out.records).toEqual(kept);
          expect(out.problems.every((p) => p === null)).toBe(true);
          // Numbered columns: equal numbers, equal text.
          const seen = new Map<number, string>();
          out.records.forEach((cells, r) => {
            const key = out.keys[r][0];
            if (key >= 0) expect(seen.get(key) ?? cells[0]).toBe(cells[0]);
            if (key >= 0) seen.set(key, cells[0]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('numbers the values of repeated columns: equal numbers for equal text, the same cells as without', () => {
    // 5,000 distinct ids (the table grows several times), emoji and CJK ones, quoted ones (not numbered),
    // and ids whose hashes collide (h × 31 + c: "Aa" and "BB" hash alike, as in Java's String.hashCode).
    const collide = ['Aa', 'BB', 'AaAa', 'AaBB', 'BBAa', 'BBBB'];
    const ids = Array.from({ length: 5000 }, (_, k) =>
      k < collide.length ? collide[k] : k % 7 === 0 ? `客户😀${k}` : `C${k}`,
    );
    const lines = ['id,date,amount'];
    for (let r = 0; r < 20_000; r++) {
      const id = ids[(r * 7919) % ids.length];
      lines.push(`${r % 11 === 0 ? `"${id}"` : id},2024-01-${String(1 + (r % 28)).padStart(2, '0')},${r}`);
    }
    const text = lines.join('\n');
    const plain = read(text);
    const numbered = read(text, {}, [0, 1]);
    expect(numbered.records).toEqual(plain.records);
    for (const column of [0, 1]) {
      const textOf = new Map<number, string>();
      const keyOf = new Map<string, number>();
      numbered.records.forEach((cells, r) => {
        const key = numbered.keys[r][column];
        const quoted = column === 0 && r % 11 === 0;
        expect(key < 0).toBe(quoted);
        if (quoted) return;
        expect(textOf.get(key) ?? cells[column]).toBe(cells[column]);
        expect(keyOf.get(cells[column]) ?? key).toBe(key);
        textOf.set(key, cells[column]);
        keyOf.set(cells[column], key);
      });
      expect(textOf.size).toBe(column === 0 ? 5000 : 28);
    }
  });

  it('stops numbering a column whose values hardly repeat (300,000 distinct ids), and the log is the same', () => {
    // Past 2^18 numbered values a column where they are over half of those read is not worth the
    // table: later rows come without numbers, and ids numbered before are then found by their text.
    const lines = ['id,date,amount'];
    for (let k = 0; k < 300_000; k++) lines.push(`C${k},2024-01-05,${k % 100}`);
    for (let k = 0; k < 1_000; k++) lines.push(`C${k * 7},2024-02-05,1`); // early ids again, after the stop
    const text = lines.join('\n');
    const numbered = read(text, {}, [0]);
    expect(numbered.keys[1000][0]).toBe(1000);
    expect(numbered.keys[299_999][0]).toBe(-1);
    expect(numbered.keys[300_500][0]).toBe(-1);
    const header = ['id', 'date', 'amount'];
    const plain = transactionLogBuilder(header);
    const keyed = transactionLogBuilder(header);
    numbered.records.forEach((cells, r) => {
      plain.add(cells, r + 2);
      keyed.add(cells, r + 2, numbered.keys[r][0]);
    });
    const intake = keyed.finish();
    expect(intake).toEqual(plain.finish());
    expect(intake.log.customers).toHaveLength(300_000);
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

describe('numbers in CSV output', () => {
  it('property: written as String writes them after rounding to 6 decimals, to the last digit', () => {
    const asString = (v: number) => String(Number.isInteger(v) ? v : Math.round(v * 1e6) / 1e6);
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -10_000_000, max: 10_000_000 }).map((cents) => cents / 100),
      fc.double({ min: -1e10, max: 1e10 }),
      fc.constantFrom(-0, 1e-7, -5e-7, 5e-7, 1e-6, 0.1 + 0.2, 999_999_999.999_999, 1e9 + 0.5, 2 ** 53),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(numberText(v)).toBe(asString(v));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('the output writer', () => {
  it('writes whole lines as UTF-8 in pieces, a line longer than a piece and emoji included', () => {
    const short = ['a,b', '', '客户,"q"', 'lone \ud800 surrogate', 'é😀'.repeat(5000)];
    const lines = Array.from({ length: 3000 }, (_, k) => short[k % short.length]);
    lines[1500] = `${'é😀'.repeat(700_000)},x`; // 2.1M UTF-16 units, 4.2 MB of UTF-8
    const pieces: Uint8Array[] = [];
    const out = new LineWriter((bytes) => pieces.push(Uint8Array.from(bytes)));
    for (const line of lines) out.line(line);
    out.flush();
    expect(pieces.length).toBeGreaterThan(2);
    // Every piece ends a line, so each decodes on its own.
    const text = pieces.map((p) => Buffer.from(p).toString('utf8')).join('');
    expect(text).toBe(Buffer.from(`${lines.join('\n')}\n`, 'utf8').toString('utf8'));
  });
});
