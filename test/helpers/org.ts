import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ROOT } from './cli';
import type { ApiCall } from './lambda';

export const EXAMPLE_ROWS: string[][] = parse(readFileSync(`${ROOT}examples/transactions.csv`, 'utf8'), {
  skip_empty_lines: true,
});

/** Uploads rows through the config API in chunks and commits them, as the sidebar does. */
export async function syncThroughApi(
  api: ApiCall,
  token: string,
  rows: string[][],
  options: { syncId: string; asOf: string; chunkRows?: number },
) {
  const [header, ...data] = rows;
  const size = options.chunkRows ?? 40;
  let chunks = 0;
  for (let from = 0; from < data.length; from += size, chunks++) {
    const upload = await api(
      'POST',
      '/api/sync/upload',
      {
        syncId: options.syncId,
        index: chunks,
        firstRow: from + 2,
        header,
        rows: data.slice(from, from + size),
      },
      token,
    );
    if (upload.status !== 200) throw new Error(`upload failed: ${JSON.stringify(upload.body)}`);
  }
  return api('POST', '/api/sync/commit', { syncId: options.syncId, chunks, asOf: options.asOf }, token);
}
