/**
 * The DynamoDB client and the two helpers every store uses. The SDK already retries throttling and
 * transient errors with exponential backoff (standard mode); batch writes also retry the items
 * DynamoDB hands back as unprocessed, and report any that are still left.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Db = DynamoDBDocumentClient;

/**
 * A DynamoDB call that has not answered in this long is abandoned and retried: without a limit, a hung
 * connection would hold a Lambda (and a Slack user) until the function's own timeout.
 */
export const DB_REQUEST_TIMEOUT_MS = 2_000;
export const DB_MAX_ATTEMPTS = 3;

export function createDb(options: { region: string; endpoint?: string }): Db {
  const client = new DynamoDBClient({
    region: options.region,
    // Three tries (the SDK's backoff, throttling waits longer): a Slack answer still fits its 3 seconds
    // when DynamoDB is struggling, and says "try again" instead of going silent.
    maxAttempts: DB_MAX_ATTEMPTS,
    // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting.
    requestHandler: {
      requestTimeout: DB_REQUEST_TIMEOUT_MS,
      connectionTimeout: 1_000,
      throwOnRequestTimeout: true,
    },
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
        throw new DbBusyError(
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

/** DynamoDB kept refusing work it would take later (unprocessed batch items). */
export class DbBusyError extends Error {
  override name = 'DbBusyError';
}

const TRANSIENT = new Set([
  'DbBusyError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);

/**
 * True for failures that say "not now" rather than "never": throttling, timeouts, server errors and
 * dropped connections, still failing after the SDK's own retries. The caller can answer "try again".
 */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    TRANSIENT.has(e?.name ?? '') ||
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(e?.code ?? '') ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500
  );
}
