/**
 * Versioned configurations: every save is a new immutable item (the audit trail), written only if that
 * version does not exist yet. Two managers saving on the same base race for the same version number;
 * the loser gets the winner's version back, and nothing is lost.
 */

import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { nextVersion, parseConfig, type TierwiseConfig } from '../../shared';
import { type Db, isConditionFailure } from './dynamo';
import { CONFIG_PREFIX, configSk, orgKey } from './keys';

export interface StoredConfig {
  version: number;
  config: TierwiseConfig;
  savedBy: string;
  savedAt: string;
  note: string | null;
  /** The version this one was edited from; for a rollback, the version restored. */
  basedOn: number | null;
}

export type SaveResult = { ok: true; saved: StoredConfig } | { ok: false; current: StoredConfig | null };

/** Warm-Lambda cache: a configuration read is reused for this long, then checked again. */
export const CONFIG_CACHE_MS = 15_000;

export class ConfigStore {
  private readonly cache = new Map<string, { at: number; value: StoredConfig | null }>();

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The newest version (strongly consistent), or null when the organisation has none yet. */
  async current(org: string): Promise<StoredConfig | null> {
    const [value = null] = await this.history(org, 1);
    this.cache.set(org, { at: this.now().getTime(), value });
    return value;
  }

  /** `current`, reused for up to CONFIG_CACHE_MS in a warm Lambda. */
  async cached(org: string): Promise<StoredConfig | null> {
    const hit = this.cache.get(org);
    if (hit && this.now().getTime() - hit.at < CONFIG_CACHE_MS) return hit.value;
    return this.current(org);
  }

  async get(org: string, version: number): Promise<StoredConfig | null> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: orgKey(org), sk: configSk(version) },
        ConsistentRead: true,
      }),
    );
    return result.Item ? fromItem(result.Item) : null;
  }

  /** Newest first: a reverse, strongly consistent query of the immutable version items. */
  async history(org: string, limit = 50): Promise<StoredConfig[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': orgKey(org), ':prefix': CONFIG_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(fromItem);
  }

  /**
   * Saves `config` as the version after `baseVersion` (0 for the first). A stale base, or another
   * save that won the race, returns the current version instead.
   */
  async save(
    org: string,
    input: {
      config: TierwiseConfig;
      baseVersion: number;
      savedBy: string;
      note?: string | null;
      basedOn?: number;
    },
  ): Promise<SaveResult> {
    const current = await this.current(org);
    const version = nextVersion(current?.version ?? 0, input.baseVersion);
    if (version === null) return { ok: false, current };
    const saved: StoredConfig = {
      version,
      config: input.config,
      savedBy: input.savedBy,
      savedAt: this.now().toISOString(),
      note: input.note ?? null,
      basedOn: input.basedOn ?? (input.baseVersion || null),
    };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: orgKey(org), sk: configSk(saved.version), ...toItem(saved) },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A retry of our own write whose first answer was lost also fails the condition: it is ours if
      // the version holds exactly what we wrote.
      const current = await this.current(org);
      if (current && JSON.stringify(toItem(current)) === JSON.stringify(toItem(saved)))
        return { ok: true, saved };
      return { ok: false, current };
    }
    this.cache.set(org, { at: this.now().getTime(), value: saved });
    return { ok: true, saved };
  }
}

const toItem = (s: StoredConfig) => ({
  version: s.version,
  config: JSON.stringify(s.config),
  savedBy: s.savedBy,
  savedAt: s.savedAt,
  note: s.note,
  basedOn: s.basedOn,
});

/** Stored items are parsed like any input: a hand-edited item fails loudly, never as a cast. */
function fromItem(item: Record<string, unknown>): StoredConfig {
  return {
    version: Number(item.version),
    config: parseConfig(JSON.parse(String(item.config))),
    savedBy: String(item.savedBy),
    savedAt: String(item.savedAt),
    note: typeof item.note === 'string' ? item.note : null,
    basedOn: typeof item.basedOn === 'number' ? item.basedOn : null,
  };
}
