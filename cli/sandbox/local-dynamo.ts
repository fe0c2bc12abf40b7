/** An embedded DynamoDB (dynalite) on a random loopback port, with the Tierwise table created. */

import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTable } from '../../lambda/store/table';

export interface LocalDynamo {
  endpoint: string;
  table: string;
  close: () => Promise<void>;
}

/** In memory, or kept in `path` (LevelDB) so the data survives restarts. */
export async function startLocalDynamo(table: string, options: { path?: string } = {}): Promise<LocalDynamo> {
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
  await createTable(client, table);
  client.destroy();
  return { endpoint, table, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
