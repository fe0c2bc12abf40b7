/**
 * The single-table layout. One partition per organisation for its configuration history, members and
 * book pointer; books in partitions of their own, one per sync generation.
 *
 * | pk                    | sk                    | what                                          |
 * |-----------------------|-----------------------|-----------------------------------------------|
 * | ORG#{org}             | META                  | name, current book generation, last sync      |
 * | ORG#{org}             | CONFIG#V#0000000042   | configuration version 42 (immutable: audit)   |
 * | USER#{email}          | MEMBER                | org and role (manager or viewer)              |
 * | TEAM#{slackTeamId}    | LINK                  | org a Slack workspace is linked to            |
 * | LINKCODE#{code}       | LINKCODE              | single-use link code with its expiry          |
 * | ORG#{org}             | SYNC#{syncId}         | a sync id claimed: committing, then committed |
 * | BOOK#{org}#{gen}      | UPLOAD#00007[#001]    | a chunk of rows as the sheet sent it (pieces) |
 * | BOOK#{org}#{gen}      | PART#00003            | gzipped customers, format version `v`         |
 * | SEEN#{key}            | SEEN                  | Slack event ids and signatures already handled|
 */

export const orgKey = (org: string) => `ORG#${org}`;
export const META = 'META';
export const configSk = (version: number) => `CONFIG#V#${String(version).padStart(10, '0')}`;
export const CONFIG_PREFIX = 'CONFIG#V#';
export const userKey = (email: string) => ({ pk: `USER#${email.toLowerCase()}`, sk: 'MEMBER' });
export const teamKey = (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'LINK' });
export const linkCodeKey = (code: string) => ({ pk: `LINKCODE#${code}`, sk: 'LINKCODE' });
export const bookKey = (org: string, generation: string) => `BOOK#${org}#${generation}`;
/** Piece 0 of a chunk keeps the chunk's own key (as before pieces existed); further pieces append `#001`. */
export const uploadSk = (index: number, piece = 0) =>
  `UPLOAD#${String(index).padStart(5, '0')}${piece > 0 ? `#${String(piece).padStart(3, '0')}` : ''}`;
export const UPLOAD_SK_LENGTH = 'UPLOAD#00000'.length;
export const syncSk = (syncId: string) => `SYNC#${syncId}`;
export const partSk = (index: number) => `PART#${String(index).padStart(5, '0')}`;
export const seenKey = (key: string) => ({ pk: `SEEN#${key}`, sk: 'SEEN' });

/** Seconds since the epoch: DynamoDB's TTL attribute format (TTL only tidies up; nothing relies on it). */
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
