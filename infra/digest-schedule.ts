/**
 * The weekly digest's clock: EventBridge Scheduler invokes the function every hour with
 * `{ "digest": true }`; the function itself decides, per organisation and in its time zone, whether the
 * digest day and hour have come (lambda/slack/digest.ts), so one schedule serves every time zone.
 */

import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';

export class DigestSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: { handler: IFunction }) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Hourly', {
      description: 'Tierwise weekly digests: each organisation is checked at its own local hour',
      schedule: ScheduleExpression.rate(Duration.hours(1)),
      target: new LambdaInvoke(props.handler, {
        input: ScheduleTargetInput.fromObject({ digest: true }),
        // A digest claimed once per local date is never sent twice; a late retry is still welcome.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(50),
      }),
    });
  }
}
