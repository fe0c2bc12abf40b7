/**
 * Who a Slack user is, as the sheet's "owner" column may name them: handle, display name, real name,
 * e-mail. One `users.info` call per user, remembered for an hour in a warm instance; used the same way
 * by `/tier due`, `/tier due @someone` and the App Home.
 */

/** The part of Slack's Web API this needs (Bolt's `client`, or a WebClient in a deferred job). */
export interface UsersApi {
  users: {
    info(args: { user: string }): Promise<{
      user?: {
        name?: string;
        real_name?: string;
        profile?: { email?: string; display_name?: string; real_name?: string };
      };
    }>;
  };
}

/** The names a Slack user goes by; never empty (the user id when nothing else is known). */
export type WhoIs = (teamId: string, userId: string, fallback?: readonly string[]) => Promise<string[]>;

const KEEP_MS = 60 * 60 * 1000;
const KEPT = 1_000;
const known = new Map<string, { names: string[]; at: number }>();

/**
 * A resolver over `api`. When `users.info` fails (no `users:read` scope, Slack unavailable) the user
 * is known by `fallback` (the handle Slack sent with the command) and their id, and that is not
 * remembered, so the next request tries again.
 */
export function whoIsThrough(api: UsersApi, now: () => number = Date.now): WhoIs {
  return async (teamId, userId, fallback = []) => {
    const key = `${teamId}:${userId}`;
    const hit = known.get(key);
    if (hit && now() - hit.at < KEEP_MS) return hit.names;
    let names: string[];
    try {
      const { user } = await api.users.info({ user: userId });
      names = [
        user?.name,
        user?.profile?.display_name,
        user?.real_name ?? user?.profile?.real_name,
        user?.profile?.email,
      ].filter((n): n is string => !!n);
    } catch (error) {
      console.warn(`users.info failed for ${userId}:`, (error as Error).message);
      return [...fallback, userId];
    }
    names.push(userId);
    if (known.size >= KEPT) known.delete(known.keys().next().value!);
    known.set(key, { names, at: now() });
    return names;
  };
}

/** For tests: forget every remembered user. */
export const forgetPeople = (): void => known.clear();
