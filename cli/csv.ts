/**
 * A streaming RFC 4180 CSV reader: the file is read in chunks, decoded, split into records and handed
 * on one record at a time, so a million-row log never exists as rows in memory. It finds the
 * encoding (a BOM, UTF-16 without one, or refuses bytes that are not UTF-8 unless `--encoding` names
 * theirs) and the delimiter (`,`, `;`, tab or `|`, from the header line), and reports every problem
 * with the line it is on. Quoted fields may hold delimiters, quotes written twice and line breaks;
 * CRLF, LF and CR line ends are all accepted.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { TierwiseError } from '../shared';

export interface CsvOptions {
  /** A WHATWG encoding label (`utf-8`, `utf-16le`, `latin1`, `windows-1252`, `gb18030`, …). */
  encoding?: string;
  /** One character; found from the header line when not given. */
  delimiter?: string;
}

/**
 * What a record handler is told besides the cells: where the record starts, and any problem. One
 * object, filled in anew for each record: read it during the call.
 */
export interface CsvRecordInfo {
  /** The line the record starts on (the header is line 1 unless blank lines come first). */
  line: number;
  /** Text after a closing quote, etc.: the record is malformed and should be rejected. */
  problem: string | null;
  /**
   * The repeated columns' values as numbers, in the order the header handler named the columns: equal
   * numbers mean equal text; -1 when the value was quoted or the column has too many values.
   */
  keys: Int32Array;
}

export interface CsvHeader {
  header: string[];
  delimiter: string;
  encoding: string;
}

/**
 * What a header handler may answer: the columns whose values repeat (customer ids, dates). Their
 * equal values are handed on as one and the same string, so a million rows of 100k customers make
 * 100k id strings, not a million, and the reader's maps compare them by identity.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a header handler that names no columns returns nothing
export type RepeatedColumns = readonly number[] | undefined | void;

const CHUNK_BYTES = 1 << 22;
const DELIMITERS = [',', ';', '\t', '|'];
const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
/** A record longer than this is a quote left open, not data: stop rather than hold the whole file. */
const MAX_RECORD_CHARS = 1 << 24;

/**
 * Reads `path`, calling `onHeader` with the first record and then `onRecord` for every further
 * record that is not a blank line. Throws a TierwiseError naming the file and line for what cannot be
 * read at all: an unreadable file, bytes in the wrong encoding, a quote that is never closed.
 */
export function readCsvFile(
  path: string,
  options: CsvOptions,
  onHeader: (header: CsvHeader) => RepeatedColumns,
  onRecord: (cells: string[], info: CsvRecordInfo) => void,
): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new TierwiseError(`cannot read ${path}: no such file, or not readable`);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = readFully(fd, buffer, path);
    const encoding = detectEncoding(buffer.subarray(0, filled), options.encoding);
    const decoder = new TextDecoder(encoding, { fatal: true });
    const parser = new CsvParser(path, options.delimiter, onHeader, onRecord, encoding);
    let lineBytes = 1; // line of the first byte of the current chunk, for encoding errors
    for (;;) {
      const chunk = buffer.subarray(0, filled);
      const done = filled < buffer.length;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: !done });
      } catch {
        throw notInEncoding(path, encoding, chunk, lineBytes);
      }
      parser.push(text, done);
      if (done) break;
      lineBytes += countByte(chunk, LF);
      filled = readFully(fd, buffer, path);
    }
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, buffer: Buffer, path: string): number {
  let filled = 0;
  try {
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
  } catch {
    throw new TierwiseError(`cannot read ${path}: no such file, or not readable`);
  }
  return filled;
}

/** The encoding: the one asked for, a byte-order mark, UTF-16 by its zero bytes, or else UTF-8. */
function detectEncoding(head: Buffer, asked: string | undefined): string {
  if (asked !== undefined) {
    try {
      return new TextDecoder(asked).encoding;
    } catch {
      throw new TierwiseError(
        `--encoding "${asked}" is not an encoding this program knows; use e.g. utf-8, utf-16le, latin1, windows-1252, gb18030 or shift_jis`,
      );
    }
  }
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  // UTF-16 without a BOM: ASCII text has a zero in every other byte.
  const sample = Math.min(head.length, 4096) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  if (sample >= 4 && oddZeros > sample / 4 && evenZeros === 0) return 'utf-16le';
  if (sample >= 4 && evenZeros > sample / 4 && oddZeros === 0) return 'utf-16be';
  return 'utf-8'; // a UTF-8 BOM is dropped by the decoder
}

/** The message for bytes that are not in the encoding: the line, the bytes, and what to do. */
function notInEncoding(path: string, label: string, chunk: Buffer, firstLine: number): TierwiseError {
  const at = label === 'utf-8' ? firstInvalidUtf8(chunk) : -1;
  if (at < 0)
    return new TierwiseError(`${path} is not valid ${label} text; give its encoding with --encoding`);
  const line = firstLine + countByte(chunk.subarray(0, at), LF);
  const lineStart = chunk.lastIndexOf(LF, at) + 1;
  const shown = chunk.subarray(lineStart, Math.min(at + 8, chunk.length)).toString('latin1');
  return new TierwiseError(
    `${path} is not UTF-8: line ${line} has the byte 0x${chunk[at].toString(16).toUpperCase()} ` +
      `("${shown.replace(/[\r\n].*$/s, '')}" as Latin-1). Give the file's encoding, e.g. --encoding latin1 ` +
      '(Western European, also windows-1252), --encoding gb18030 or --encoding shift_jis, or save it as UTF-8',
  );
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  // A chunk may start inside a sequence that the previous chunk began.
  while (i < bytes.length && i < 3 && (bytes[i] & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i];
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0) return i;
    for (let k = 1; k < size; k++) {
      if (i + k >= bytes.length) return -1; // cut by the chunk end: the next chunk decides
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += size;
  }
  return -1;
}

function countByte(bytes: Uint8Array, byte: number): number {
  let count = 0;
  for (let at = bytes.indexOf(byte); at >= 0; at = bytes.indexOf(byte, at + 1)) count++;
  return count;
}

/** The delimiter of a header line: the candidate found most often outside quotes (a comma if none). */
export function detectDelimiter(line: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** The record splitter, fed decoded text chunk by chunk; keeps an incomplete last record for later. */
class CsvParser {
  private pending = '';
  private line = 1;
  private delimiter = -1;
  private seenHeader = false;
  /** By column: the interner of a repeated column, or undefined. */
  private interners: (Interner | undefined)[] = [];
  /** By column: which of the repeated columns it is (its place in `keys`). */
  private repeatedAt: number[] = [];
  /** What `onRecord` is told besides the cells: one object, filled in for each record. */
  private readonly info: CsvRecordInfo = { line: 0, problem: null, keys: new Int32Array(0) };
  /** The value numbers of the current record's repeated fields (-1 when quoted or not numbered). */
  private keys: Int32Array = new Int32Array(0);

  constructor(
    private readonly path: string,
    delimiter: string | undefined,
    private readonly onHeader: (header: CsvHeader) => RepeatedColumns,
    private readonly onRecord: (cells: string[], info: CsvRecordInfo) => void,
    private readonly encoding: string,
  ) {
    if (delimiter !== undefined) {
      const named: Record<string, string> = { tab: '\t', '\\t': '\t', semicolon: ';', comma: ',', pipe: '|' };
      const d = named[delimiter] ?? delimiter;
      if (d.length !== 1 || d === '"' || d === '\n' || d === '\r')
        throw new TierwiseError(`--delimiter "${delimiter}" must be one character, such as , ; | or tab`);
      this.delimiter = d.charCodeAt(0);
    }
  }

  push(chunk: string, final: boolean): void {
    const text = this.pending.length > 0 ? this.pending + chunk : chunk;
    if (this.delimiter < 0) {
      const end = text.search(/[\r\n]/);
      if (end < 0 && !final) {
        this.pending = text;
        return;
      }
      this.delimiter = detectDelimiter(end < 0 ? text : text.slice(0, end)).charCodeAt(0);
    }
    const consumed = this.records(text, final);
    this.pending = consumed < text.length ? text.slice(consumed) : '';
    if (this.pending.length > MAX_RECORD_CHARS)
      throw new TierwiseError(
        `${this.path}: line ${this.line} is longer than ${MAX_RECORD_CHARS} characters`,
      );
  }

  /** Parses whole records from `text`; returns where the first incomplete one starts. */
  private records(text: string, final: boolean): number {
    const n = text.length;
    const delimiter = this.delimiter;
    let i = 0;
    while (i < n) {
      const start = i;
      const startLine = this.line;
      const cells: string[] = [];
      let problem: string | null = null;
      let complete = false;
      for (let r = 0; r < this.keys.length; r++) this.keys[r] = -1;
      for (;;) {
        // One field, starting at i.
        let j = i;
        while (j < n && text.charCodeAt(j) === SPACE) j++;
        if (j < n && text.charCodeAt(j) === QUOTE) {
          const field = this.quoted(text, j + 1, final);
          if (field === null) break; // the closing quote is in a later chunk
          cells.push(field.value);
          i = field.end;
          // After the closing quote only spaces, then a delimiter or the line end, may follow.
          while (i < n && text.charCodeAt(i) === SPACE) i++;
          if (i < n) {
            const c = text.charCodeAt(i);
            if (c !== delimiter && c !== LF && c !== CR) {
              problem ??= `text after the closing quote of field ${cells.length}; a quote inside a quoted field is written twice ("")`;
              while (i < n) {
                const d = text.charCodeAt(i);
                if (d === delimiter || d === LF || d === CR) break;
                i++;
              }
            }
          }
        } else {
          j = i;
          const column = cells.length;
          const interner = column < this.interners.length ? this.interners[column] : undefined;
          if (interner === undefined) {
            while (j < n) {
              const c = text.charCodeAt(j);
              if (c === delimiter || c === LF || c === CR) break;
              j++;
            }
            cells.push(text.slice(i, j));
          } else {
            let hash = 0;
            while (j < n) {
              const c = text.charCodeAt(j);
              if (c === delimiter || c === LF || c === CR) break;
              hash = (Math.imul(hash, 31) + c) | 0;
              j++;
            }
            const key = interner.numberOf(text, i, j, hash);
            this.keys[this.repeatedAt[column]] = key;
            cells.push(key >= 0 ? interner.strings[key] : text.slice(i, j));
          }
          i = j;
        }
        if (i >= n) {
          complete = final;
          break;
        }
        const c = text.charCodeAt(i);
        if (c === delimiter) {
          i++;
          continue;
        }
        // A line end: CRLF is one, but a CR at the chunk's end may be the first half of one.
        if (c === CR) {
          if (i + 1 >= n && !final) break;
          i += i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
        } else {
          i++;
        }
        this.line++;
        complete = true;
        break;
      }
      if (!complete) {
        this.line = startLine;
        return start;
      }
      this.emit(cells, startLine, problem);
    }
    return n;
  }

  /** A quoted field from just after its opening quote: its value and the index after its closing quote. */
  private quoted(text: string, from: number, final: boolean): { value: string; end: number } | null {
    let value = '';
    let segment = from;
    for (let j = from; ; ) {
      const q = text.indexOf('"', j);
      if (q < 0 || (q + 1 >= text.length && !final)) {
        if (!final && text.length - from < MAX_RECORD_CHARS) return null;
        throw new TierwiseError(
          `${this.path}: line ${this.line}: a quoted field starts here and its closing quote (") is missing; ` +
            'a quote inside a quoted field is written twice ("")',
        );
      }
      if (text.charCodeAt(q + 1) === QUOTE) {
        value += text.slice(segment, q + 1);
        j = segment = q + 2;
        continue;
      }
      value += text.slice(segment, q);
      this.line += countLineEnds(text, from, q);
      return { value, end: q + 1 };
    }
  }

  private emit(cells: string[], line: number, problem: string | null): void {
    if (cells.length === 1 && cells[0].trim() === '' && problem === null) return; // a blank line
    if (!this.seenHeader) {
      this.seenHeader = true;
      const repeated = this.onHeader({
        header: cells.map((h) => h.trim()),
        delimiter: String.fromCharCode(this.delimiter),
        encoding: this.encoding,
      });
      this.keys = new Int32Array(repeated?.length ?? 0);
      for (const [at, column] of (repeated ?? []).entries()) {
        this.interners[column] = new Interner();
        this.repeatedAt[column] = at;
      }
      return;
    }
    this.info.line = line;
    this.info.problem = problem;
    this.info.keys = this.keys;
    this.onRecord(cells, this.info);
  }
}

/** Line breaks inside a quoted field move the line count on (CRLF counts once). */
function countLineEnds(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) count++;
  }
  return count;
}

/** Distinct values one interner numbers; past this a column is not repeating much, and values are sliced. */
const INTERNED_LIMIT = 1 << 20;
/**
 * Once this many values are numbered, a column where they are over half of the values read repeats too
 * little to pay for the table (1.2M ids in 1.3M rows cost ~50 MB more than plain slices): numbering stops.
 */
const SPARSE_CHECK_AT = 1 << 18;

/** A table entry: the hash, the number + 1, where the value's characters start in `chars`, its length. */
const ENTRY = 4;

/**
 * Numbers the distinct values of one column, found by a hash of their characters (computed while the
 * field is scanned): a value seen before comes back as its number and its string without a new string
 * being made. Open addressing in small typed arrays, the characters side by side in one more: a
 * lookup touches two or three cache lines, where a Map from strings costs several hundred ns a row.
 */
class Interner {
  /** Slots of ENTRY ints; at most half are used. */
  private table = new Int32Array(ENTRY << 10);
  private mask = (1 << 10) - 1;
  /** Every value's characters, value k from starts[k] to starts[k + 1]. */
  private chars = new Uint16Array(1 << 12);
  private starts = new Int32Array(1 << 10);
  strings: string[] = [];
  /** Values looked up so far; -1 once numbering has stopped. */
  private read = 0;

  /** The number of text[from, to), given its hash; -1 when the column has too many values to number. */
  numberOf(text: string, from: number, to: number, hash: number): number {
    if (this.read < 0) return -1;
    this.read++;
    const table = this.table;
    const mask = this.mask;
    const length = to - from;
    for (let s = spread(hash) & mask; ; s = (s + 1) & mask) {
      const e = s << 2;
      const k = table[e + 1] - 1;
      if (k < 0) break;
      if (table[e] !== hash || table[e + 3] !== length) continue;
      const chars = this.chars;
      const at = table[e + 2];
      let q = 0;
      while (q < length && chars[at + q] === text.charCodeAt(from + q)) q++;
      if (q === length) return k;
    }
    return this.add(text, from, to, hash);
  }

  private add(text: string, from: number, to: number, hash: number): number {
    const k = this.strings.length;
    if (k >= INTERNED_LIMIT) return -1;
    if (k >= SPARSE_CHECK_AT && k * 2 > this.read) return this.stop();
    if (k + 2 > this.starts.length) this.starts = grown(this.starts, k + 2);
    const at = this.starts[k];
    if (at + to - from > this.chars.length) this.chars = grown(this.chars, at + to - from);
    for (let q = from; q < to; q++) this.chars[at + q - from] = text.charCodeAt(q);
    this.starts[k + 1] = at + to - from;
    this.strings.push(text.slice(from, to));
    if (this.strings.length * 2 > this.mask + 1) this.rehash();
    else this.place(k, hash);
    return k;
  }

  /** Stops numbering and lets the table go: values numbered so far are found by their text as well. */
  private stop(): number {
    this.read = -1;
    this.table = new Int32Array(0);
    this.chars = new Uint16Array(0);
    this.starts = new Int32Array(0);
    this.strings = [];
    return -1;
  }

  /** Enters value k (with its hash) in the table. */
  private place(k: number, hash: number): void {
    const table = this.table;
    let s = spread(hash) & this.mask;
    while (table[s * ENTRY + 1] !== 0) s = (s + 1) & this.mask;
    table[s * ENTRY] = hash;
    table[s * ENTRY + 1] = k + 1;
    table[s * ENTRY + 2] = this.starts[k];
    table[s * ENTRY + 3] = this.starts[k + 1] - this.starts[k];
  }

  /** Doubles the table and enters every value again. */
  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let k = 0; k < this.strings.length; k++) {
      let hash = 0;
      for (let q = this.starts[k]; q < this.starts[k + 1]; q++)
        hash = (Math.imul(hash, 31) + this.chars[q]) | 0;
      this.place(k, hash);
    }
  }
}

/** A copy of `array` with room for at least `size` elements. */
function grown<T extends Int32Array | Uint16Array>(array: T, size: number): T {
  const copy = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  copy.set(array);
  return copy;
}

/** Mixes the high bits into the low ones, which pick the slot (ids like C10001, C10002 differ at the end). */
function spread(hash: number): number {
  const h = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}
