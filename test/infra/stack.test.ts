import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect, it } from 'vitest';
import { TierwiseStack } from '../../infra/stack';
import { ROOT } from '../helpers/cli';

const template = Template.fromStack(
  new TierwiseStack(new App(), 'Test', {
    lambdaCode: `${ROOT}dist/lambda`,
    slackSigningSecret: 'secret',
    slackBotToken: 'xoxb',
    googleClientIds: 'client.apps.googleusercontent.com',
  }),
);

it('declares the single table: pk/sk strings, on demand, TTL on ttl', () => {
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
  });
});

it('runs the bundle on Node 22 with the table and Slack settings in its environment', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Environment: {
      Variables: Match.objectLike({
        TABLE_NAME: Match.anyValue(),
        GOOGLE_CLIENT_IDS: 'client.apps.googleusercontent.com',
      }),
    },
  });
  const env = JSON.stringify(template.findResources('AWS::Lambda::Function'));
  expect(env).not.toContain('TIERWISE_SANDBOX');
});

it('exposes a Function URL and grants only data access to the table', () => {
  template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  expect(policies).toContain('dynamodb:PutItem');
  expect(policies).not.toContain('dynamodb:DeleteTable');
  expect(policies).not.toContain('"dynamodb:*"');
});
