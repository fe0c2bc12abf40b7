/**
 * Reminders without asking: each organisation's weekly digest (day and hour in its time zone), the
 * Slack workspace it goes to, the owner → Slack user overrides, and the optional alert channel.
 * All organisations' settings sit in one partition, so the hourly run reads them in one query.
 *
 * | pk     | sk         | what                                                    |
 * |--------|------------|---------------------------------------------------------|
 * | NOTIFY | ORG#{org}  | settings, and the local date of the last digest sent    |
 */

import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, isConditionFailure } from './dynamo';

export interface NotifySettings {
  org: string;
  /** The Slack workspace the organisation is linked to (digests go to its members). */
  teamId: string;
  /** IANA time zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday; null: no digest. */
  digestDay: number | null;
  /** 0 … 23, local time. */
  digestHour: number;
  /** Channel for tier-drop alerts after a sync; null: none. */
  alertChannel: string | null;
  /** Owner names (as in the sheet) → Slack user ids, where e-mail matching cannot tell. */
  owners: Record<string, string>;
}

const PK = 'NOTIFY';
const sk = (org: string) => `ORG#${org}`;

/** A time zone the runtime knows ("Europe/Berlin"); false for anything else. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export class NotifyStore {
  constructor(
    private readonly db: Db,
    private readonly table: string,
  ) {}

  async get(org: string): Promise<NotifySettings | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: PK, sk: sk(org) }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : null;
  }

  /** Saves settings, keeping the record of the last digest sent. */
  async save(settings: NotifySettings): Promise<void> {
    const previous = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: PK, sk: sk(settings.org) }, ConsistentRead: true }),
    );
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: PK, sk: sk(settings.org), ...settings, lastDigest: previous.Item?.lastDigest ?? null },
      }),
    );
  }

  /** Every organisation's settings (one query; a page holds thousands). */
  async all(): Promise<NotifySettings[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PK },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) items.push(item);
      start = page.LastEvaluatedKey;
    } while (start);
    return items.map(fromItem);
  }

  /**
   * Claims the digest of local date `date` for `org`: true for exactly one caller, however many runs
   * overlap or retry, so each owner gets the week's digest once.
   */
  async claimDigest(org: string, date: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: PK, sk: sk(org) },
          UpdateExpression: 'SET lastDigest = :date',
          ConditionExpression:
            'attribute_exists(sk) AND (attribute_not_exists(lastDigest) OR lastDigest <> :date)',
          ExpressionAttributeValues: { ':date': date },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function fromItem(item: Record<string, unknown>): NotifySettings {
  const owners: Record<string, string> = {};
  if (typeof item.owners === 'object' && item.owners !== null) {
    for (const [name, id] of Object.entries(item.owners)) if (typeof id === 'string') owners[name] = id;
  }
  const day = Number(item.digestDay);
  return {
    org: String(item.org),
    teamId: String(item.teamId ?? ''),
    timeZone: typeof item.timeZone === 'string' && isTimeZone(item.timeZone) ? item.timeZone : 'UTC',
    digestDay: item.digestDay === null || !Number.isInteger(day) || day < 0 || day > 6 ? null : day,
    digestHour: Math.min(23, Math.max(0, Number(item.digestHour) || 0)),
    alertChannel: typeof item.alertChannel === 'string' ? item.alertChannel : null,
    owners,
  };
}
