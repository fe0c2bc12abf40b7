/**
 * Bolt's installation store in the Tierwise table: one item per Slack workspace (or Enterprise Grid
 * organisation, for an org-wide install) holding what Slack's OAuth v2 exchange returned, bot token
 * included. Reinstalling overwrites it; uninstalling or revoking the token deletes it. Which Tierwise
 * organisation a workspace sees is separate: the `TEAM#…/LINK` item a link code writes.
 *
 * | pk                      | sk      | what                                      |
 * |-------------------------|---------|-------------------------------------------|
 * | INSTALL#T#{teamId}      | INSTALL | a workspace install                       |
 * | INSTALL#E#{enterpriseId}| INSTALL | an org-wide install                       |
 */

import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Db } from './dynamo';

const SK = 'INSTALL';

/** A warm instance asks DynamoDB for a workspace's token at most this often. */
export const INSTALLATION_CACHE_MS = 5 * 60_000;

type Query = InstallationQuery<boolean>;

export const installationKey = (query: {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}) => {
  if (query.isEnterpriseInstall && query.enterpriseId)
    return { pk: `INSTALL#E#${query.enterpriseId}`, sk: SK };
  if (query.teamId) return { pk: `INSTALL#T#${query.teamId}`, sk: SK };
  throw new Error('a Slack installation needs a team id, or an enterprise id for an org-wide install');
};

export class SlackInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { at: number; installation: Installation }>();

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key = installationKey({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall,
    });
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key,
          installation: JSON.stringify(installation),
          installedBy: installation.user.id,
          installedAt: this.now().toISOString(),
        },
      }),
    );
    this.cache.set(key.pk, { at: this.now().getTime(), installation });
  }

  /** Bolt's contract: throws when there is none. */
  async fetchInstallation(query: Query): Promise<Installation> {
    const found = await this.find(query);
    if (!found) throw new Error('Tierwise is not installed in this Slack workspace');
    return found;
  }

  /** The installation, or null when the workspace has none (installed before the OAuth mode, say). */
  async find(query: Query): Promise<Installation | null> {
    const key = installationKey(query);
    const hit = this.cache.get(key.pk);
    if (hit && this.now().getTime() - hit.at < INSTALLATION_CACHE_MS) return hit.installation;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key }));
    if (!Item) return null;
    const installation = JSON.parse(String(Item.installation)) as Installation;
    this.cache.set(key.pk, { at: this.now().getTime(), installation });
    return installation;
  }

  async deleteInstallation(query: Query): Promise<void> {
    const key = installationKey(query);
    this.cache.delete(key.pk);
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: key }));
  }
}
