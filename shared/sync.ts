/**
 * How a table travels to the config API on sync: cut into chunks of at most `SYNC_CHUNK_ROWS` data rows,
 * each uploaded with its index, the header and the sheet row of its first data row, then committed with
 * the number of chunks (lambda/api/sync.ts). The sidebar, the sandbox's seeding, the tests and the load
 * test all cut a table this one way.
 */

/** Rows per upload: 2,000 rows of a wide sheet stay well inside a request body's limits. */
export const SYNC_CHUNK_ROWS = 2_000;

export interface SyncChunk<Cell = string> {
  /** 0, 1, 2, …: the commit names how many there are. */
  index: number;
  /** The sheet row of the chunk's first data row (row 2 for a header in row 1), for error messages. */
  firstRow: number;
  header: string[];
  rows: Cell[][];
}

/**
 * The chunks of a table's data rows (header apart); at least one, so that an empty table still reaches
 * the server with its header. `firstRow` is the sheet row of `rows[0]`.
 */
export function syncChunks<Cell>(
  header: string[],
  rows: Cell[][],
  firstRow: number,
  size: number = SYNC_CHUNK_ROWS,
): SyncChunk<Cell>[] {
  const count = Math.max(1, Math.ceil(rows.length / size));
  return Array.from({ length: count }, (_, index) => ({
    index,
    firstRow: firstRow + index * size,
    header,
    rows: rows.slice(index * size, (index + 1) * size),
  }));
}
