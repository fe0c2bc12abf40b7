/** An embedded DynamoDB (dynalite) on a random loopback port, with the Tierwise table created. */

import { existsSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ClassicLevel } from 'classic-level';
import dynalite from 'dynalite';
import { TierwiseError } from '../shared';
import { createTable } from './table';

export interface LocalDynamo {
  endpoint: string;
  table: string;
  close: () => Promise<void>;
}

/**
 * In memory, or kept in `path` (LevelDB) so the data survives restarts. With `existing`, the table
 * must already be there: a folder that lost its data is refused rather than silently started empty.
 */
export async function startLocalDynamo(
  table: string,
  options: { path?: string; existing?: boolean } = {},
): Promise<LocalDynamo> {
  if (options.path) await checkFolder(options.path, !!options.existing);
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  try {
    if (options.existing) {
      const { TableNames = [] } = await client.send(new ListTablesCommand({}));
      if (!TableNames.includes(table)) throw damaged(options.path ?? '', `the table "${table}" is gone`);
    } else await createTable(client, table);
  } catch (error) {
    await close();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, table, close };
}

/** What a user should do about a sandbox database folder that cannot be used as it is. */
export function damaged(path: string, what: string): TierwiseError {
  return new TierwiseError(
    `the sandbox database in ${path} is damaged or incomplete: ${what}. Nothing was started or changed. ` +
      `To start afresh, delete the folder ${dirname(path)} (its demo data is recreated); to keep your data, ` +
      'restore that folder from a backup. `npm start -- --memory` runs without it.',
  );
}

/** Opens the LevelDB folder once on its own, so damage is reported plainly instead of as a dynalite stack. */
async function checkFolder(path: string, existing: boolean): Promise<void> {
  const present = existsSync(path) && readdirSync(path).length > 0;
  if (!present) {
    if (existing) throw damaged(path, 'the folder is missing or empty, although this sandbox made it before');
    return;
  }
  const db = new ClassicLevel(path, { createIfMissing: false });
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    throw damaged(path, `LevelDB cannot open it (${cause})`);
  } finally {
    await db.close().catch(() => {});
  }
}
