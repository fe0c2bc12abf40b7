/**
 * The AWS side of Tierwise, one stack per stage (`Tierwise-dev`, `Tierwise-prod`): one DynamoDB table
 * (single-table design, on demand, TTL for tidying up), one Lambda on Node 22 behind a Function URL
 * (Slack signs every request; the config API checks Google ID tokens), the alarms that say when it is
 * failing, slow or throttled, and nothing secret: the function reads its secrets from SSM at run time.
 */

import {
  type App,
  ArnFormat,
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  FunctionUrlAuthType,
  Function as LambdaFunction,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS } from '../lambda/log';
import { parameterPrefix, SECRET_PARAMETERS } from '../lambda/parameters';
import { type StageConfig, stageConfig } from './config';
import { DigestSchedule } from './digest-schedule';

export interface TierwiseStackProps extends StackProps {
  /** Folder with the built Lambda bundle (dist/lambda). */
  lambdaCode: string;
  config: StageConfig;
}

/**
 * Exactly the DynamoDB actions the function's code sends (test/infra/stack.test.ts checks this list
 * against the commands in lambda/): no Scan, no DescribeTable, no streams.
 */
export const DYNAMODB_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchWriteItem',
];

/** Slack's 3-second limit, with room for the network between Slack and the Function URL. */
export const SLOW_SLACK_ANSWER_MS = 2_500;

/** A response_url works for 30 minutes: a deferred answer older than this is dropped, not retried. */
export const DEFERRED_MAX_AGE = Duration.minutes(20);

export class TierwiseStack extends Stack {
  readonly table: Table;
  readonly handler: LambdaFunction;
  readonly alarmActions: IAlarmAction[];

  constructor(scope: Construct, id: string, props: TierwiseStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prod = config.stage === 'prod';
    const name = `tierwise-${config.stage}`;

    this.table = new Table(this, 'Table', {
      tableName: name,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: prod },
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Deferred Slack jobs that never ran to the end: kept for a look, then gone (they hold the
    // command's text and a response_url, which is dead after 30 minutes anyway).
    const deferredFailures = new Queue(this, 'DeferredFailures', {
      queueName: `${name}-deferred-failures`,
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    // A fixed name lets the function be granted to invoke itself without a dependency cycle.
    const functionName = `${name}-handler`;
    this.handler = new LambdaFunction(this, 'Handler', {
      functionName,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      // The build's bundle; its source map and esbuild metafile only when asked for.
      code: Code.fromAsset(props.lambdaCode, {
        exclude: config.sourceMap ? ['meta.json'] : ['*.map', 'meta.json'],
      }),
      memorySize: 1024,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: config.reservedConcurrency ?? undefined,
      logGroup: new LogGroup(this, 'Logs', {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: prod ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK,
        removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
      // Names only: the secrets are read from SSM at run time.
      environment: {
        TABLE_NAME: this.table.tableName,
        TIERWISE_STAGE: config.stage,
        TIERWISE_PARAMETER_PREFIX: parameterPrefix(config.stage),
        LOG_LEVEL: config.logLevel,
        ...(config.sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
      // A deferred job answers or apologises itself and never throws (slack/deferred.ts): a retry
      // would only post twice. What never ran (a timeout, a crash, too old) goes to the queue.
      onFailure: new SqsDestination(deferredFailures),
      maxEventAge: DEFERRED_MAX_AGE,
      retryAttempts: 0,
    });
    const fn = this.handler;

    fn.addToRolePolicy(new PolicyStatement({ actions: DYNAMODB_ACTIONS, resources: [this.table.tableArn] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameters'],
        resources: Object.values(SECRET_PARAMETERS).map(({ parameter }) =>
          this.formatArn({
            service: 'ssm',
            resource: 'parameter',
            // formatArn adds the slash between "parameter" and the name.
            resourceName: `${parameterPrefix(config.stage)}${parameter}`.slice(1),
          }),
        ),
      }),
    );
    if (config.secretsKeyArn) {
      // The AWS-managed aws/ssm key lets every principal of the account decrypt; a customer key does not.
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['kms:Decrypt'], resources: [config.secretsKeyArn] }),
      );
    }
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

    this.alarmActions = this.alarmTargets(config);
    this.alarms(config.stage, deferredFailures);
    // Scheduled work (EventBridge Scheduler invoking this.handler, e.g. a weekly digest) goes here.
    new DigestSchedule(this, 'Digest', { handler: fn });

    const url = fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('Stage', config.stage, 'Deployed stage');
    output('FunctionUrl', url.url, 'The Function URL (Apps Script urlFetchWhitelist, sidebar server)');
    output('SlackRequestUrl', Fn.join('', [url.url, 'slack/events']), 'Slack request URL (manifest)');
    output('SlackInstallUrl', Fn.join('', [url.url, 'slack/install']), 'Install in a workspace (OAuth mode)');
    output(
      'SlackRedirectUrl',
      Fn.join('', [url.url, 'slack/oauth_redirect']),
      'OAuth redirect URL (manifest)',
    );
    output('TableName', this.table.tableName, 'DynamoDB table');
    output('ParameterPrefix', parameterPrefix(config.stage), 'SSM path of the secrets');
  }

  private alarmTargets(config: StageConfig): IAlarmAction[] {
    const topics = [];
    if (config.alarmTopicArn) topics.push(Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn));
    if (config.alarmEmail) {
      const topic = new Topic(this, 'Alarms', { topicName: `tierwise-${config.stage}-alarms` });
      topic.addSubscription(new EmailSubscription(config.alarmEmail));
      topics.push(topic);
    }
    return topics.map((topic) => new SnsAction(topic));
  }

  private alarms(stage: string, deferredFailures: Queue): void {
    const fn = this.handler;
    const name = `tierwise-${stage}`;
    const fiveMinutes = Duration.minutes(5);
    const emitted = (metricName: string, statistic: string, kind?: string) =>
      new Metric({
        namespace: METRICS.namespace,
        metricName,
        statistic,
        period: fiveMinutes,
        dimensionsMap: kind ? { stage, kind } : { stage },
      });
    const alarm = (id: string, description: string, metric: Metric | MathExpression, threshold: number) => {
      const created = new Alarm(this, `${id}Alarm`, {
        alarmName: `${name}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      for (const action of this.alarmActions) created.addAlarmAction(action);
    };

    alarm('Errors', 'The function threw (Lambda Errors)', fn.metricErrors({ period: fiveMinutes }), 1);
    alarm(
      'Faults',
      'Requests answered with a 5xx (the request log lines say which and why)',
      emitted(METRICS.fault, 'Sum'),
      1,
    );
    alarm(
      'Throttles',
      'Invocations refused: reserved concurrency reached',
      fn.metricThrottles({ period: fiveMinutes }),
      1,
    );
    alarm(
      'SlowSlackAnswers',
      `p99 of Slack answers at or above ${SLOW_SLACK_ANSWER_MS} ms: Slack gives up at 3 s`,
      emitted(METRICS.latency, 'p99', 'slack'),
      SLOW_SLACK_ANSWER_MS,
    );
    alarm(
      'TableThrottles',
      'DynamoDB throttled reads or writes',
      new MathExpression({
        expression: 'FILL(reads, 0) + FILL(writes, 0)',
        usingMetrics: {
          reads: this.table.metric('ReadThrottleEvents', { statistic: 'Sum', period: fiveMinutes }),
          writes: this.table.metric('WriteThrottleEvents', { statistic: 'Sum', period: fiveMinutes }),
        },
        period: fiveMinutes,
      }),
      1,
    );
    alarm(
      'DeferredFailures',
      'A deferred Slack answer failed (the user got an apology; the log line says why)',
      emitted(METRICS.fault, 'Sum', 'deferred'),
      1,
    );
    alarm(
      'DeferredLost',
      'A deferred Slack answer never ran to the end: timed out, crashed or too old (see the queue)',
      deferredFailures.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      1,
    );
  }
}

/** The app as `cdk` runs it (infra/app.ts), the stage and settings from context; tests pass their own App. */
export function tierwiseApp(app: App, lambdaCode = 'dist/lambda'): TierwiseStack {
  const config = stageConfig((key) => app.node.tryGetContext(key));
  return new TierwiseStack(app, `Tierwise-${config.stage}`, {
    lambdaCode,
    config,
    description: `Tierwise (${config.stage}): Slack bot and config API`,
    tags: { project: 'tierwise', stage: config.stage },
  });
}
