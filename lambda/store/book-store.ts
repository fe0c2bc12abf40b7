/**
 * Customer books. A sync uploads chunks of rows into a new generation, the commit writes the
 * customers as gzipped parts next to them, and only then does the organisation's pointer move
 * (`OrgStore.switchGeneration`): readers see the old book or the new one, never half of one.
 */

import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type CustomerSummary, DAYS_PER_UNIT, type TimeUnit } from '../../shared';
import { batchWrite, type Db, isConditionFailure } from './dynamo';
import { bookKey, orgKey, partSk, syncSk, UPLOAD_SK_LENGTH, uploadSk } from './keys';

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

/** Customers per part at most; parts are split further until each fits MAX_PIECE_BYTES. */
const PART_ROWS = 2_000;
/**
 * DynamoDB refuses items over 400 KB (names and values together): every stored blob, a book part or a
 * piece of an uploaded chunk, is kept under this many bytes, whatever the row count.
 */
export const MAX_PIECE_BYTES = 300_000;

/**
 * Book parts are `{ v: 2, fields, rows }`: each row lists its values in the order of `fields`, and
 * they are read back by those names, so adding or moving a field never garbles a stored generation.
 */
export const BOOK_FORMAT = 2;
const FIELDS = [
  'customerId',
  'name',
  'owner',
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
/**
 * Summaries keep their durations in days. Parts still say so in a `unit` field, always `day`, because
 * earlier releases read the durations through it (a Lambda being replaced may read a new part).
 */
const STORED_UNIT: TimeUnit = 'day';
const STORED_FIELDS: readonly string[] = [...FIELDS, 'unit', 'tier', 'previousTier'];
/** The durations a part written with another `unit` holds in that unit. */
const DURATIONS = ['sinceLastPurchase', 'firstToLastPurchase', 'tenure', 'averageCycle'] as const;
/** Version 1 parts were bare arrays in exactly this order (the FIELDS of that release, then the tiers). */
export const V1_FIELDS: readonly string[] = [
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
  'tier',
  'previousTier',
];
/** Fields without which a stored customer cannot be used. */
const REQUIRED = ['customerId', 'orders', 'totalSpend'];

export class BookStore {
  private readonly cache = new Map<string, BookRecord[]>();

  constructor(
    private readonly db: Db,
    private readonly table: string,
  ) {}

  /**
   * Idempotent: sending the same chunk again overwrites it with the same bytes. A chunk larger than one
   * item is stored as pieces of its gzipped bytes; each piece names the whole (`digest`, `pieces`), so a
   * chunk is read back only when all pieces of one upload are there.
   */
  async putUpload(org: string, generation: string, upload: Upload): Promise<void> {
    const data = gzipSync(JSON.stringify(upload));
    const digest = createHash('sha256').update(data).digest('base64url').slice(0, 22);
    const pieces = Math.max(1, Math.ceil(data.length / MAX_PIECE_BYTES));
    const items = Array.from({ length: pieces }, (_, k) => ({
      pk: bookKey(org, generation),
      sk: uploadSk(upload.index, k),
      data: data.subarray(k * MAX_PIECE_BYTES, (k + 1) * MAX_PIECE_BYTES),
      digest,
      pieces,
    }));
    if (items.length === 1) {
      await this.db.send(new PutCommand({ TableName: this.table, Item: items[0] }));
      return;
    }
    await batchWrite(
      this.db,
      this.table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  }

  /** The complete chunks of a generation; a chunk with a piece missing (a failed upload) is left out. */
  async readUploads(org: string, generation: string): Promise<Upload[]> {
    const items = await this.queryAll(bookKey(org, generation), 'UPLOAD#');
    const byChunk = new Map<string, Record<string, unknown>[]>();
    for (const item of items) {
      const chunk = String(item.sk).slice(0, UPLOAD_SK_LENGTH);
      const list = byChunk.get(chunk);
      if (list) list.push(item);
      else byChunk.set(chunk, [item]);
    }
    const uploads: Upload[] = [];
    for (const pieces of byChunk.values()) {
      const first = pieces[0];
      // Chunks stored before pieces existed are one item with neither field.
      const digest = first.digest;
      const count = typeof first.pieces === 'number' ? first.pieces : 1;
      const parts = pieces.filter((p) => p.digest === digest);
      if (parts.length !== count) continue;
      const data = Buffer.concat(parts.map((p) => p.data as Uint8Array));
      uploads.push(JSON.parse(gunzipSync(data).toString('utf8')) as Upload);
    }
    return uploads;
  }

  /** Writes the customers in parts packed by bytes: each part holds as many rows as fit one item. */
  async writeParts(org: string, generation: string, records: readonly BookRecord[]): Promise<void> {
    const blobs: Buffer[] = [];
    for (let from = 0; from < records.length; from += PART_ROWS) {
      packPart(records.slice(from, from + PART_ROWS).map(encode), blobs);
    }
    await batchWrite(
      this.db,
      this.table,
      blobs.map((data, part) => ({
        PutRequest: { Item: { pk: bookKey(org, generation), sk: partSk(part), data, v: BOOK_FORMAT } },
      })),
    );
  }

  /**
   * Claims `syncId` for a commit. A sync id names one generation for ever (warm Lambdas cache books by
   * it), so an id that was committed before is refused; one whose commit failed half-way may be retried.
   */
  async claimSync(org: string, syncId: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: orgKey(org), sk: syncSk(syncId), state: 'committing' },
          ConditionExpression: 'attribute_not_exists(pk) OR #state = :committing',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':committing': 'committing' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** True once `syncId` was committed: its generation is named for ever, and takes no more chunks. */
  async isCommitted(org: string, syncId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: orgKey(org), sk: syncSk(syncId) },
        ConsistentRead: true,
      }),
    );
    return Item?.state === 'committed';
  }

  /** Marks `syncId` used for good, before its generation goes live: a crash after this never reuses it. */
  async markCommitted(org: string, syncId: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: orgKey(org), sk: syncSk(syncId), state: 'committed' },
      }),
    );
  }

  /** The customers of a generation; generations never change, so a warm Lambda keeps them. */
  async readBook(org: string, generation: string): Promise<BookRecord[]> {
    const key = bookKey(org, generation);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const items = await this.queryAll(key, 'PART#');
    const records: BookRecord[] = [];
    for (const item of items) {
      for (const record of decodePart(item, key)) records.push(record);
    }
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

const encode = (r: BookRecord): unknown[] => [
  ...FIELDS.map((f) => r.summary[f]),
  STORED_UNIT,
  r.tier,
  r.previousTier,
];

/** Gzips `rows` as one part, or halves them until every part fits in an item. */
function packPart(rows: unknown[][], out: Buffer[]): void {
  const data = gzipSync(JSON.stringify({ v: BOOK_FORMAT, fields: STORED_FIELDS, rows }));
  if (data.length <= MAX_PIECE_BYTES) {
    out.push(data);
    return;
  }
  if (rows.length === 1) {
    throw new Error(
      `customer "${String(rows[0][0]).slice(0, 60)}" takes ${Math.ceil(data.length / 1024)} KB compressed, more than one stored item holds; shorten its longest cells`,
    );
  }
  const half = Math.ceil(rows.length / 2);
  packPart(rows.slice(0, half), out);
  packPart(rows.slice(half), out);
}

/** Reads a part of any format so far: version 2 by field name, version 1 (bare arrays) by V1_FIELDS. */
export function decodePart(item: Record<string, unknown>, where: string): BookRecord[] {
  const parsed: unknown = JSON.parse(gunzipSync(item.data as Uint8Array).toString('utf8'));
  const { fields, rows } = Array.isArray(parsed)
    ? { fields: V1_FIELDS, rows: parsed as unknown[][] }
    : (parsed as { v: number; fields: string[]; rows: unknown[][] });
  const version = Array.isArray(parsed) ? 1 : (parsed as { v: unknown }).v;
  if (version !== 1 && version !== BOOK_FORMAT) {
    throw new Error(
      `${where} ${String(item.sk)} is in book format ${String(version)}, newer than this version of Tierwise reads (${BOOK_FORMAT}); update it, or sync again`,
    );
  }
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0)
    throw new Error(`${where} ${String(item.sk)} lacks ${missing.join(', ')}; sync again to rewrite it`);
  const summaryFields = fields.map((f) => (f === 'tier' || f === 'previousTier' || f === 'unit' ? null : f));
  const tierAt = fields.indexOf('tier');
  const previousAt = fields.indexOf('previousTier');
  const unitAt = fields.indexOf('unit');
  return rows.map((row) => {
    const summary: Record<string, unknown> = {};
    summaryFields.forEach((f, i) => {
      if (f !== null) summary[f] = row[i];
    });
    const unit = unitAt >= 0 ? row[unitAt] : null;
    if (unit !== STORED_UNIT && typeof unit === 'string' && Object.hasOwn(DAYS_PER_UNIT, unit)) {
      for (const f of DURATIONS)
        if (typeof summary[f] === 'number')
          summary[f] = (summary[f] as number) * DAYS_PER_UNIT[unit as TimeUnit];
    }
    return {
      summary: summary as unknown as CustomerSummary,
      tier: tierAt >= 0 ? ((row[tierAt] as string | null) ?? null) : null,
      previousTier: previousAt >= 0 ? ((row[previousAt] as string | null) ?? null) : null,
    };
  });
}
