/**
 * Slack work that cannot finish inside Slack's 3 seconds (a large book this instance has not loaded
 * yet): the listener acknowledges at once and hands a job to `services.defer` (an asynchronous
 * self-invocation in Lambda), which runs it here and answers through the request's `response_url`,
 * or publishes the Home tab. A job that fails still answers: the user reads an apology, never a
 * "Working on it" that stays forever.
 */

import { webApi } from '@slack/bolt';
import type { Services } from '../services';
import { type AskedCommand, answerCommand, answerCustomer, homeFor, teamLocale } from './answers';
import { whoIsThrough } from './people';
import { slackText } from './text';
import { type HomeView, homeNotice, plain, type SlackMessage } from './views';

export type DeferredJob =
  | ({ kind: 'slack-command'; responseUrl: string; at: number } & AskedCommand)
  | { kind: 'slack-card'; teamId: string; key: string; shared: boolean; responseUrl: string; at: number }
  | { kind: 'slack-home'; teamId: string; userId: string; at: number };

/**
 * A response_url takes answers for 30 minutes. A job older than this (an invocation queued or retried
 * that long) would answer nobody, so it is dropped. The function's asynchronous-invocation settings
 * (no retries, a maximum event age under 30 minutes) keep this from happening in the first place.
 */
export const JOB_LIFETIME_MS = 29 * 60 * 1000;

/** Slack's Web API for a workspace: the bot token (and a local fake's URL in tests and the sandbox). */
export function slackClient(services: Services): webApi.WebClient {
  const { env } = services;
  return new webApi.WebClient(env.slackBotToken, env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {});
}

async function post(responseUrl: string, body: SlackMessage & { replace_original: boolean }): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Slack refused the answer at response_url: HTTP ${response.status}`);
}

const publish = (client: webApi.WebClient, userId: string, view: HomeView) =>
  client.views.publish({ user_id: userId, view });

/** Runs a job to the end: its answer, or an apology where the answer would have gone. Never throws. */
export async function runDeferred(services: Services, job: DeferredJob): Promise<void> {
  // Real time, not services.now (the sandbox's business date).
  if (Date.now() - job.at > JOB_LIFETIME_MS) {
    console.warn(
      `dropped a ${job.kind} job queued ${Math.round((Date.now() - job.at) / 60_000)} minutes ago`,
    );
    return;
  }
  const client = slackClient(services);
  try {
    switch (job.kind) {
      case 'slack-command': {
        const reply = await answerCommand(services, job, whoIsThrough(client));
        return await post(job.responseUrl, { ...reply, replace_original: true });
      }
      case 'slack-card': {
        const card = await answerCustomer(services, job.teamId, job.key, job.shared);
        return await post(
          job.responseUrl,
          job.shared ? sharedCard(card) : { ...card, replace_original: true },
        );
      }
      case 'slack-home':
        await publish(
          client,
          job.userId,
          await homeFor(services, job.teamId, job.userId, whoIsThrough(client)),
        );
        return;
    }
  } catch (error) {
    console.error(`deferred ${job.kind} failed:`, error);
    await apologise(services, client, job).catch((again) =>
      console.error(`could not tell the user that ${job.kind} failed:`, again),
    );
  }
}

/** A card posted to the channel by the share button. */
export const sharedCard = (card: SlackMessage) => ({
  ...card,
  response_type: 'in_channel' as const,
  replace_original: false,
});

async function apologise(services: Services, client: webApi.WebClient, job: DeferredJob): Promise<void> {
  const teamId = job.kind === 'slack-command' ? job.team_id : job.teamId;
  const t = slackText(await teamLocale(services, teamId).catch(() => 'en' as const));
  if (job.kind === 'slack-home') await publish(client, job.userId, homeNotice(t.failed));
  else await post(job.responseUrl, { ...plain(t.failed), replace_original: job.kind === 'slack-command' });
}
