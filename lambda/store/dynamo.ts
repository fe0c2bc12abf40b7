/**
 * The DynamoDB client and the two helpers every store uses. The SDK already retries throttling and
 * transient errors with exponential backoff (standard mode); batch writes also retry the items
 * DynamoDB hands back as unprocessed, and report any that are still left.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Db = DynamoDBDocumentClient;

export function createDb(options: { region: string; endpoint?: string }): Db {
  const client = new DynamoDBClient({
    region: options.region,
    maxAttempts: 6,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const BATCH_SIZE = 25;
const MAX_BATCH_ROUNDS = 8;

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** Writes in batches of 25, retrying unprocessed items with backoff; throws naming how many were left. */
export async function batchWrite(db: Db, table: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let from = 0; from < requests.length; from += BATCH_SIZE) {
    let pending = requests.slice(from, from + BATCH_SIZE);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_BATCH_ROUNDS) {
        throw new Error(
          `DynamoDB left ${pending.length} of ${requests.length} writes unprocessed after ${round} retries`,
        );
      }
      if (round > 0) await sleep(2 ** round * 25);
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';
