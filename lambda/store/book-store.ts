/**
 * Customer books. A sync uploads chunks of rows into a new generation, the commit writes the
 * customers as gzipped parts next to them, and only then does the organisation's pointer move
 * (`OrgStore.switchGeneration`): readers see the old book or the new one, never half of one.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomerSummary } from '../../shared';
import { batchWrite, type Db } from './dynamo';
import { bookKey, partSk, uploadSk } from './keys';

export interface BookRecord {
  summary: CustomerSummary;
  /** The tier at this sync, with the configuration in force then. */
  tier: string | null;
  /** The tier at the previous sync, for movement and "tier dropped". */
  previousTier: string | null;
}

export interface Upload {
  index: number;
  /** The sheet row of the chunk's first row, so rejected rows are reported where the user sees them. */
  firstRow: number;
  header: string[];
  rows: unknown[][];
}

/** Customers per gzipped part: well under DynamoDB's 400 KB item limit. */
const PART_SIZE = 2_000;

/** Positional encoding: a book of 100,000 customers is a few MB gzipped. */
const FIELDS = [
  'customerId',
  'name',
  'owner',
  'unit',
  'firstPurchase',
  'lastPurchase',
  'lastContact',
  'orders',
  'purchaseDays',
  'repeatPurchases',
  'sinceLastPurchase',
  'firstToLastPurchase',
  'tenure',
  'totalSpend',
  'averageOrderValue',
  'repeatAverageSpend',
  'averageCycle',
  'profit',
  'attributes',
] as const satisfies readonly (keyof CustomerSummary)[];

export class BookStore {
  private readonly cache = new Map<string, BookRecord[]>();

  constructor(
    private readonly db: Db,
    private readonly table: string,
  ) {}

  /** Idempotent: sending the same chunk again overwrites it with the same rows. */
  async putUpload(org: string, generation: string, upload: Upload): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: bookKey(org, generation),
          sk: uploadSk(upload.index),
          data: gzipSync(JSON.stringify(upload)),
        },
      }),
    );
  }

  async readUploads(org: string, generation: string): Promise<Upload[]> {
    const items = await this.queryAll(bookKey(org, generation), 'UPLOAD#');
    return items.map((item) => JSON.parse(gunzipSync(item.data as Uint8Array).toString('utf8')) as Upload);
  }

  async writeParts(org: string, generation: string, records: readonly BookRecord[]): Promise<void> {
    const requests = [];
    for (let from = 0, part = 0; from < records.length; from += PART_SIZE, part++) {
      const rows = records
        .slice(from, from + PART_SIZE)
        .map((r) => [...FIELDS.map((f) => r.summary[f]), r.tier, r.previousTier]);
      requests.push({
        PutRequest: {
          Item: { pk: bookKey(org, generation), sk: partSk(part), data: gzipSync(JSON.stringify(rows)) },
        },
      });
    }
    await batchWrite(this.db, this.table, requests);
  }

  /** The customers of a generation; generations never change, so a warm Lambda keeps them. */
  async readBook(org: string, generation: string): Promise<BookRecord[]> {
    const key = bookKey(org, generation);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const items = await this.queryAll(key, 'PART#');
    const records = items.flatMap((item) => {
      const rows = JSON.parse(gunzipSync(item.data as Uint8Array).toString('utf8')) as unknown[][];
      return rows.map(decode);
    });
    if (this.cache.size >= 4) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, records);
    return records;
  }

  isCached(org: string, generation: string): boolean {
    return this.cache.has(bookKey(org, generation));
  }

  /** Removes a generation that no reader points at any more. */
  async deleteGeneration(org: string, generation: string): Promise<void> {
    const pk = bookKey(org, generation);
    const items = await this.queryAll(pk, '', ['pk', 'sk']);
    await batchWrite(
      this.db,
      this.table,
      items.map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })),
    );
  }

  private async queryAll(
    pk: string,
    prefix: string,
    projection?: string[],
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: prefix ? { ':pk': pk, ':prefix': prefix } : { ':pk': pk },
          ExclusiveStartKey: start,
          ConsistentRead: true,
          ...(projection ? { ProjectionExpression: projection.join(', ') } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** Parts are written by `writeParts` alone, in the FIELDS order; reading them back is that order reversed. */
function decode(row: unknown[]): BookRecord {
  const summary = Object.fromEntries(FIELDS.map((f, i) => [f, row[i]])) as unknown as CustomerSummary;
  return {
    summary,
    tier: (row[FIELDS.length] as string | null) ?? null,
    previousTier: (row[FIELDS.length + 1] as string | null) ?? null,
  };
}
