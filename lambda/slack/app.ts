/**
 * The Bolt app: routing only. Each listener hands its I/O (ack, respond, client) to a function in
 * answers.ts and sends back what comes out.
 */

import { App, AwsLambdaReceiver } from '@slack/bolt';
import { needsDeferral } from '../live-book';
import type { Services } from '../services';
import { answerCommand, answerCustomer, homeFor, teamLocale } from './answers';
import { parseTierCommand } from './command';
import { slackText } from './text';
import { plain } from './views';

export interface SlackApp {
  app: App;
  receiver: AwsLambdaReceiver;
}

export function createSlackApp(services: Services): SlackApp {
  const { env } = services;
  const receiver = new AwsLambdaReceiver({ signingSecret: env.slackSigningSecret });
  const app = new App({
    token: env.slackBotToken,
    receiver,
    // Known ids spare a call to auth.test on every cold start.
    botId: env.slackBotId ?? 'B00000000',
    botUserId: env.slackBotUserId ?? 'U00000000',
    ...(env.slackApiUrl ? { clientOptions: { slackApiUrl: env.slackApiUrl } } : {}),
  });

  app.command('/tier', async ({ command, ack }) => {
    const asked = parseTierCommand(command.text);
    const heavy =
      asked.kind !== 'help' && asked.kind !== 'link' && (await deferIfHeavy(services, command.team_id));
    if (heavy) {
      await ack(plain(slackText(await teamLocale(services, command.team_id)).working));
      await services.defer({
        kind: 'slack-command',
        teamId: command.team_id,
        text: command.text,
        userName: command.user_name,
        responseUrl: command.response_url,
      });
      return;
    }
    await ack(await answerCommand(services, command));
  });

  app.action(/^tier_pick_\d+$/, async ({ ack, body, action, respond }) => {
    await ack();
    const value = 'value' in action ? String(action.value) : '';
    await respond(await answerCustomer(services, body.team?.id ?? '', value, false));
  });

  app.action('tier_share', async ({ ack, body, action, respond }) => {
    await ack();
    const value = 'value' in action ? String(action.value) : '';
    const card = await answerCustomer(services, body.team?.id ?? '', value, true);
    await respond({ ...card, response_type: 'in_channel', replace_original: false });
  });

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const names = [event.user];
    try {
      const { user } = await client.users.info({ user: event.user });
      names.unshift(
        ...[user?.name, user?.real_name, user?.profile?.email, user?.profile?.display_name].filter(
          (n): n is string => !!n,
        ),
      );
    } catch {
      // Without users:read the home tab still works, matching owners by user id only.
    }
    await client.views.publish({ user_id: event.user, view: await homeFor(services, body.team_id, names) });
  });

  return { app, receiver };
}

async function deferIfHeavy(services: Services, teamId: string): Promise<boolean> {
  const org = await services.orgs.linkedOrg(teamId);
  return org !== null && (await needsDeferral(services, org));
}
