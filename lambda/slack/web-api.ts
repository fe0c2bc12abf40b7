/** How every Slack Web API client here calls Slack. */

import type { webApi } from '@slack/bolt';
import type { Env } from '../env';

/**
 * One attempt, bounded in time. The WebClient's default retries a failing call for about 30 minutes and
 * waits out rate limits, so an unreachable or failing Slack API would hold a listener far past Slack's
 * 3-second deadline (and a deferred job past its Lambda timeout); a failed call falls back instead
 * (`users.info` → the handle Slack sent) or ends in an apology. Points at a local fake in tests.
 */
export function slackClientOptions(env: Pick<Env, 'slackApiUrl'>): webApi.WebClientOptions {
  return {
    timeout: 2_000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
  };
}
