/**
 * `npx cdk deploy` entry (see cdk.json). Secrets come from the environment at deploy time:
 * SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, GOOGLE_CLIENT_IDS (and optionally SLACK_BOT_ID, SLACK_BOT_USER_ID).
 */

import { App } from 'aws-cdk-lib';
import { TierwiseStack } from './stack';

const app = new App();
const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} before deploying (see README, "Deploy to AWS")`);
  return value;
};
new TierwiseStack(app, 'Tierwise', {
  lambdaCode: 'dist/lambda',
  slackSigningSecret: need('SLACK_SIGNING_SECRET'),
  slackBotToken: need('SLACK_BOT_TOKEN'),
  slackBotId: process.env.SLACK_BOT_ID,
  slackBotUserId: process.env.SLACK_BOT_USER_ID,
  googleClientIds: need('GOOGLE_CLIENT_IDS'),
});
