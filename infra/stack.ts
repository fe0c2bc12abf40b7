/**
 * The AWS side of Tierwise: one DynamoDB table (single-table design, on demand, TTL for tidying up),
 * one Lambda on Node 22 behind a Function URL (Slack signs every request; the config API checks Google
 * ID tokens), with least-privilege grants. The function is the bundle `npm run build` makes.
 */

import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  FunctionUrlAuthType,
  Function as LambdaFunction,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface TierwiseStackProps extends StackProps {
  /** Folder with the built Lambda bundle (dist/lambda). */
  lambdaCode: string;
  slackSigningSecret: string;
  slackBotToken: string;
  slackBotId?: string;
  slackBotUserId?: string;
  /** OAuth client id(s) of the Apps Script project, comma-separated. */
  googleClientIds: string;
}

export class TierwiseStack extends Stack {
  constructor(scope: Construct, id: string, props: TierwiseStackProps) {
    super(scope, id, props);

    const table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A fixed name lets the function be granted to invoke itself without a dependency cycle.
    const functionName = `${this.stackName}-handler`;
    const fn = new LambdaFunction(this, 'Handler', {
      functionName,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(props.lambdaCode),
      memorySize: 1024,
      timeout: Duration.seconds(30),
      logGroup: new LogGroup(this, 'Logs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      environment: {
        TABLE_NAME: table.tableName,
        SLACK_SIGNING_SECRET: props.slackSigningSecret,
        SLACK_BOT_TOKEN: props.slackBotToken,
        ...(props.slackBotId ? { SLACK_BOT_ID: props.slackBotId } : {}),
        ...(props.slackBotUserId ? { SLACK_BOT_USER_ID: props.slackBotUserId } : {}),
        GOOGLE_CLIENT_IDS: props.googleClientIds,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    table.grantReadWriteData(fn);
    // Slow Slack answers continue in an asynchronous invocation of the same function.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [
          this.formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: functionName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    const url = fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    new CfnOutput(this, 'FunctionUrl', {
      value: url.url,
      description: 'Slack request URL: <this>slack/events; config API: <this>api/',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }
}
