/**
 * Slack work that cannot finish inside Slack's 3 seconds (a large book this instance has not loaded
 * yet): the listener acknowledges at once and hands a job to `services.defer` (an asynchronous
 * self-invocation in Lambda), which runs it here and answers through the request's `response_url`,
 * or publishes the Home tab. A job that fails still answers: the user reads an apology, never a
 * "Working on it" that stays forever.
 */

import { webApi } from '@slack/bolt';
import { errorFields } from '../log';
import type { Services } from '../services';
import { type AskedCommand, answerCommand, answerCustomer, homeFor, teamLocale } from './answers';
import { whoIsThrough } from './people';
import { slackText } from './text';
import { type HomeView, homeNotice, plain, type SlackMessage } from './views';
import { slackClientOptions } from './web-api';

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

/**
 * Slack's Web API for a workspace, with its bot token (its installation, or the single token: the
 * same authorize Bolt uses), and a local fake's URL in tests and the sandbox.
 */
export async function slackClient(services: Services, teamId: string): Promise<webApi.WebClient> {
  const { botToken } = await services.slackAuthorize({
    teamId,
    enterpriseId: undefined,
    isEnterpriseInstall: false,
  });
  return new webApi.WebClient(botToken, slackClientOptions(services.env));
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

/**
 * Runs a job to the end: its answer, or an apology where the answer would have gone. Never throws;
 * says how it ended, for the request log and the alarms.
 */
export async function runDeferred(
  services: Services,
  job: DeferredJob,
): Promise<'answered' | 'failed' | 'dropped'> {
  // Real time, not services.now (the sandbox's business date).
  if (Date.now() - job.at > JOB_LIFETIME_MS) {
    services.log.warn(`dropped a ${job.kind} job`, {
      queuedMinutes: Math.round((Date.now() - job.at) / 60_000),
    });
    return 'dropped';
  }
  const teamId = job.kind === 'slack-command' ? job.team_id : job.teamId;
  let client: webApi.WebClient | undefined;
  try {
    client = await slackClient(services, teamId);
    switch (job.kind) {
      case 'slack-command': {
        const reply = await answerCommand(services, job, whoIsThrough(client));
        await post(job.responseUrl, { ...reply, replace_original: true });
        break;
      }
      case 'slack-card': {
        const card = await answerCustomer(services, job.teamId, job.key, job.shared);
        await post(job.responseUrl, job.shared ? sharedCard(card) : { ...card, replace_original: true });
        break;
      }
      case 'slack-home':
        await publish(
          client,
          job.userId,
          await homeFor(services, job.teamId, job.userId, whoIsThrough(client)),
        );
        break;
    }
    return 'answered';
  } catch (error) {
    services.log.error(`deferred ${job.kind} failed`, errorFields(error));
    await apologise(services, client, job).catch((again) =>
      services.log.error(`could not tell the user that ${job.kind} failed`, errorFields(again)),
    );
    return 'failed';
  }
}

/** A card posted to the channel by the share button. */
export const sharedCard = (card: SlackMessage) => ({
  ...card,
  response_type: 'in_channel' as const,
  replace_original: false,
});

async function apologise(
  services: Services,
  client: webApi.WebClient | undefined,
  job: DeferredJob,
): Promise<void> {
  const teamId = job.kind === 'slack-command' ? job.team_id : job.teamId;
  const t = slackText(await teamLocale(services, teamId).catch(() => 'en' as const));
  if (job.kind === 'slack-home') {
    if (client) await publish(client, job.userId, homeNotice(t.failed));
  } else await post(job.responseUrl, { ...plain(t.failed), replace_original: job.kind === 'slack-command' });
}
