import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTable } from '../../lambda/store/table';

/** An in-process DynamoDB (dynalite) on a random loopback port, with the Tierwise table created. */
export async function startDynalite(
  table = 'tierwise-test',
): Promise<{ endpoint: string; table: string; close: () => Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await createTable(client, table);
  client.destroy();
  return { endpoint, table, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
