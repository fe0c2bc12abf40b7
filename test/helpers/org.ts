import { exampleRows } from '../../sandbox/examples';
import { syncChunks } from '../../shared';
import { ROOT } from './cli';
import type { ApiCall } from './lambda';

export const EXAMPLE_ROWS: string[][] = exampleRows(ROOT);

/** Uploads rows through the config API in chunks and commits them, as the sidebar does. */
export async function syncThroughApi(
  api: ApiCall,
  token: string,
  rows: string[][],
  options: { syncId: string; asOf: string; chunkRows?: number },
) {
  const [header, ...data] = rows;
  const chunks = syncChunks(header, data, 2, options.chunkRows ?? 40);
  for (const chunk of chunks) {
    const upload = await api('POST', '/api/sync/upload', { syncId: options.syncId, ...chunk }, token);
    if (upload.status !== 200) throw new Error(`upload failed: ${JSON.stringify(upload.body)}`);
  }
  return api(
    'POST',
    '/api/sync/commit',
    { syncId: options.syncId, chunks: chunks.length, asOf: options.asOf },
    token,
  );
}
