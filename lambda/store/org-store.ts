/**
 * Organisations and who may see them: members and their roles, Slack workspaces linked to an
 * organisation, single-use link codes, the pointer to the current book, and markers for Slack requests
 * already handled.
 */

import { randomInt, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, isConditionFailure } from './dynamo';
import { epochSeconds, linkCodeKey, META, orgKey, seenKey, teamKey, userKey } from './keys';

export type Role = 'manager' | 'viewer';

export interface Membership {
  org: string;
  role: Role;
}

export interface OrgMeta {
  org: string;
  name: string;
  /** The generation of the book readers see; null before the first sync. */
  generation: string | null;
  previousGeneration: string | null;
  customers: number;
  syncedAt: string | null;
}

/** Link codes live this long; the sidebar or CLI shows the expiry. */
export const LINK_CODE_MINUTES = 15;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
/** No 0/O or 1/I/L: codes are read aloud and typed by hand. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * A warm Lambda remembers a workspace's organisation this long: every Slack request needs it, and
 * links change rarely (a relink made elsewhere reaches this instance within this time).
 */
export const TEAM_LINK_CACHE_MS = 5 * 60_000;

export class OrgStore {
  /** Only found links are remembered, so a workspace linked on another instance is seen at once. */
  private readonly teamLinks = new Map<string, { org: string; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createOrg(org: string, name: string): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: orgKey(org),
            sk: META,
            name,
            generation: null,
            previousGeneration: null,
            customers: 0,
            syncedAt: null,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error) => {
        if (!isConditionFailure(error)) throw error; // already there: creating is idempotent
      });
  }

  async meta(org: string): Promise<OrgMeta | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: orgKey(org), sk: META }, ConsistentRead: true }),
    );
    if (!Item) return null;
    return {
      org,
      name: String(Item.name),
      generation: typeof Item.generation === 'string' ? Item.generation : null,
      previousGeneration: typeof Item.previousGeneration === 'string' ? Item.previousGeneration : null,
      customers: Number(Item.customers ?? 0),
      syncedAt: typeof Item.syncedAt === 'string' ? Item.syncedAt : null,
    };
  }

  /**
   * Points readers at a new book generation, only if the current one is still `expected`: the single
   * write that makes a sync visible, all at once.
   */
  async switchGeneration(
    org: string,
    expected: string | null,
    next: string,
    customers: number,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: orgKey(org), sk: META },
          UpdateExpression:
            'SET generation = :next, previousGeneration = :expected, customers = :n, syncedAt = :at',
          ConditionExpression:
            expected === null
              ? 'attribute_exists(pk) AND (attribute_not_exists(generation) OR generation = :null)'
              : 'generation = :expected',
          ExpressionAttributeValues: {
            ':next': next,
            ':expected': expected,
            ':n': customers,
            ':at': this.now().toISOString(),
            ...(expected === null ? { ':null': null } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async addMember(email: string, membership: Membership): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...userKey(email), ...membership } }));
  }

  async membership(email: string): Promise<Membership | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: userKey(email) }));
    if (!Item || (Item.role !== 'manager' && Item.role !== 'viewer')) return null;
    return { org: String(Item.org), role: Item.role };
  }

  async linkedOrg(teamId: string): Promise<string | null> {
    const hit = this.teamLinks.get(teamId);
    if (hit && this.now().getTime() - hit.at < TEAM_LINK_CACHE_MS) return hit.org;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: teamKey(teamId) }));
    if (!Item) return null;
    this.teamLinks.set(teamId, { org: String(Item.org), at: this.now().getTime() });
    return String(Item.org);
  }

  async linkTeam(teamId: string, org: string, by: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...teamKey(teamId), org, linkedBy: by, linkedAt: this.now().toISOString() },
      }),
    );
    this.teamLinks.set(teamId, { org, at: this.now().getTime() });
  }

  /** A fresh 8-character code that links a Slack workspace to `org` once, within LINK_CODE_MINUTES. */
  async createLinkCode(org: string, by: string): Promise<{ code: string; expiresAt: string }> {
    const expires = new Date(this.now().getTime() + LINK_CODE_MINUTES * 60_000);
    // A taken code (a collision, or our own write retried after its answer was lost) means: draw again.
    for (let attempt = 0; ; attempt++) {
      const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...linkCodeKey(code),
              org,
              createdBy: by,
              expiresAt: expires.toISOString(),
              ttl: epochSeconds(expires),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { code, expiresAt: expires.toISOString() };
      } catch (error) {
        if (!isConditionFailure(error) || attempt === 2) throw error;
      }
    }
  }

  /**
   * Uses a link code up: the conditional delete succeeds for one caller only, so a code links one
   * workspace at most. Expiry is checked here, not left to DynamoDB's TTL (which is only tidying).
   */
  async consumeLinkCode(
    code: string,
  ): Promise<{ ok: true; org: string } | { ok: false; reason: 'unknown' | 'expired' }> {
    const key = linkCodeKey(code.trim().toUpperCase());
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    if (!Item) return { ok: false, reason: 'unknown' };
    try {
      await this.db.send(
        new DeleteCommand({ TableName: this.table, Key: key, ConditionExpression: 'attribute_exists(pk)' }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return { ok: false, reason: 'unknown' };
      throw error;
    }
    // Fail closed: an expiry that is not the ISO time createLinkCode writes counts as expired.
    const expires =
      typeof Item.expiresAt === 'string' && ISO_TIME.test(Item.expiresAt) ? Date.parse(Item.expiresAt) : NaN;
    if (!(expires >= this.now().getTime()) || typeof Item.org !== 'string' || Item.org === '')
      return { ok: false, reason: 'expired' };
    return { ok: true, org: Item.org };
  }

  /** True the first time `key` is seen (a Slack event id, a request signature); false for a repeat. */
  async firstSighting(key: string, keepSeconds: number): Promise<boolean> {
    // Marked with who saw it: when the SDK retries our own write (its first answer lost), the
    // condition fails, but the marker is ours, so this is still the first sighting.
    const by = randomUUID();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...seenKey(key), by, ttl: epochSeconds(this.now()) + keepSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.table, Key: seenKey(key), ConsistentRead: true }),
      );
      return Item?.by === by;
    }
  }

  /** Forgets a sighting, so the next delivery of `key` counts as the first (a Slack retry after a failure). */
  async forgetSighting(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: seenKey(key) }));
  }
}
