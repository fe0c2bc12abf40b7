/**
 * The Bolt app: routing only. Each listener hands its I/O (ack, respond, client) to a function in
 * answers.ts and sends back what comes out. Every listener answers: work that may outlast Slack's
 * 3 seconds is deferred (deferred.ts), and an exception becomes a short apology and a log line.
 */

import { App, AwsLambdaReceiver } from '@slack/bolt';
import type { Locale } from '../../shared';
import { needsDeferral } from '../live-book';
import { boltLogger, errorFields } from '../log';
import type { Services } from '../services';
import { answerCommand, answerCustomer, homeFor, teamLocale } from './answers';
import { parseTierCommand } from './command';
import { registerContactActions } from './contact-actions';
import { type DeferredJob, sharedCard } from './deferred';
import { whoIsThrough } from './people';
import { type SlackText, slackText } from './text';
import { homeNotice, plain } from './views';
import { slackClientOptions } from './web-api';

export interface SlackApp {
  app: App;
  receiver: AwsLambdaReceiver;
}

/** The team's sentences, in English when even the language cannot be read (DynamoDB down). */
const textFor = async (services: Services, teamId: string): Promise<SlackText> =>
  slackText(await teamLocale(services, teamId).catch((): Locale => 'en'));

/**
 * Runs a listener's work; if it throws, logs and tells the user through `apologise`. An apology that
 * fails too is only logged: there is no one left to tell.
 */
async function answering(
  services: Services,
  what: string,
  work: () => Promise<void>,
  apologise: () => Promise<unknown>,
) {
  try {
    await work();
  } catch (error) {
    services.log.error(`${what} failed`, errorFields(error));
    await apologise().catch((again) =>
      services.log.error(`${what}: the apology failed too`, errorFields(again)),
    );
  }
}

/**
 * Starts a deferred job; false when it cannot be started (the asynchronous invocation was refused),
 * so the caller says so at once instead of promising an answer that will never come.
 */
async function deferred(services: Services, job: DeferredJob): Promise<boolean> {
  try {
    await services.defer(job);
    return true;
  } catch (error) {
    services.log.error(`could not start the deferred ${job.kind}`, errorFields(error));
    return false;
  }
}

export function createSlackApp(services: Services): SlackApp {
  const { env } = services;
  const logger = boltLogger(services.log);
  // The router in front (slack/route.ts) has verified the signature and refused replays already.
  const receiver = new AwsLambdaReceiver({ signingSecret: '', signatureVerification: false, logger });
  const app = new App({
    // The workspace's bot token: its installation (OAuth mode) or the single token. No auth.test call.
    authorize: services.slackAuthorize,
    receiver,
    logger,
    clientOptions: slackClientOptions(env),
  });

  app.command('/tier', async ({ command, ack, respond, client }) => {
    let acked = false;
    const reply: typeof ack = async (message) => {
      acked = true;
      await ack(message);
    };
    await answering(
      services,
      '/tier',
      async () => {
        const asked = parseTierCommand(command.text);
        const heavy =
          asked.kind !== 'help' && asked.kind !== 'link' && (await deferIfHeavy(services, command.team_id));
        if (heavy) {
          const t = await textFor(services, command.team_id);
          const started = await deferred(services, {
            kind: 'slack-command',
            team_id: command.team_id,
            user_id: command.user_id,
            user_name: command.user_name,
            text: command.text,
            responseUrl: command.response_url,
            at: Date.now(),
          });
          await reply(plain(started ? t.working : t.notStarted));
          return;
        }
        await reply(await answerCommand(services, command, whoIsThrough(client)));
      },
      async () => {
        const { failed } = await textFor(services, command.team_id);
        await (acked ? respond({ ...plain(failed), replace_original: false }) : reply(plain(failed)));
      },
    );
  });

  /** Pick (open a customer's card in place of the chooser) and share (post the card to the channel). */
  const cardAction = (shared: boolean) =>
    (async ({ ack, body, action, respond, client }) => {
      await ack();
      const teamId = body.team?.id ?? '';
      const key = 'value' in action ? String(action.value) : '';
      await answering(
        services,
        shared ? 'share' : 'pick',
        async () => {
          if (await deferIfHeavy(services, teamId)) {
            const responseUrl = 'response_url' in body ? String(body.response_url) : '';
            const started = await deferred(services, {
              kind: 'slack-card',
              teamId,
              key,
              shared,
              responseUrl,
              at: Date.now(),
            });
            const t = await textFor(services, teamId);
            await respond({ ...plain(started ? t.working : t.notStarted), replace_original: false });
            return;
          }
          const sharer = shared ? (await whoIsThrough(client)(teamId, body.user.id))[0] : undefined;
          const card = await answerCustomer(services, teamId, key, shared, sharer);
          await respond(shared ? sharedCard(card) : card);
        },
        async () => respond({ ...plain((await textFor(services, teamId)).failed), replace_original: false }),
      );
    }) satisfies Parameters<typeof app.action>[1];

  app.action(/^tier_pick_\d+$/, cardAction(false));
  app.action('tier_share', cardAction(true));

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    let failure: unknown;
    await answering(
      services,
      'app_home_opened',
      async () => {
        if (await deferIfHeavy(services, teamId)) {
          const t = await textFor(services, teamId);
          const started = await deferred(services, {
            kind: 'slack-home',
            teamId,
            userId: event.user,
            at: Date.now(),
          });
          await client.views.publish({
            user_id: event.user,
            view: homeNotice(started ? t.working : t.notStarted),
          });
          return;
        }
        const view = await homeFor(services, teamId, event.user, whoIsThrough(client));
        await client.views.publish({ user_id: event.user, view });
      },
      async () => {
        failure = new Error('app_home_opened failed');
        await client.views.publish({
          user_id: event.user,
          view: homeNotice((await textFor(services, teamId)).failed),
        });
      },
    );
    // A failed event is reported to Slack as failed (HTTP 500), so the router forgets its event id and
    // Slack's retry is processed rather than deduplicated into silence.
    if (failure) throw failure;
  });

  registerContactActions(app, services);
  return { app, receiver };
}

async function deferIfHeavy(services: Services, teamId: string): Promise<boolean> {
  const org = await services.orgs.linkedOrg(teamId);
  return org !== null && (await needsDeferral(services, org));
}
