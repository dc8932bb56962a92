import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueueWithAlarm } from './dead-letter-queue';
import { EsrFunction } from './esr-function';
import { nagRegion } from './ses-arn';

export interface CampaignsProps {
  table: ITable;
  /** The admin API function: it creates, updates and deletes the schedules. */
  admin: EsrFunction;
  logRetention: RetentionDays;
}

/**
 * Campaign scheduling: one EventBridge Scheduler one-time schedule per pending campaign step, in the
 * stack's own schedule group, invoking the dispatch function as a dedicated role. A firing that keeps
 * failing lands in an encrypted dead-letter queue, and one message there raises an alarm.
 */
export class Campaigns extends Construct {
  readonly dispatch: EsrFunction;
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: Role;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: CampaignsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.dispatch = new EsrFunction(this, 'Dispatch', {
      entry: 'dispatch',
      description: 'Schedule target: accepts a due campaign step and fans it out to the send queue',
      logRetention: props.logRetention,
      environment: { TABLE_NAME: props.table.tableName },
      // Fan-out pages through the whole audience: 10,000 recipients take a few seconds, not minutes.
      timeout: Duration.minutes(5),
    });
    // GetItem for the campaign and the step's delivery counts, UpdateItem for the conditional step and
    // cursor writes: both under CAMPAIGN#. (Delivery adds Query on the audience index.)
    this.dispatch.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CAMPAIGN#*'] } },
      }),
    );

    // Deleting the stack deletes the group and with it every schedule: nothing fires into a void.
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', { removalPolicy: RemovalPolicy.DESTROY });

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = deadLetterQueueWithAlarm(
      this,
      'ScheduleDlq',
      {
        retention: Duration.days(14),
        whyNoDeadLetterQueue:
          'This queue is itself the dead-letter queue of the EventBridge Scheduler targets; a DLQ of a DLQ would hide failures.',
        alarmId: 'ScheduleDlqAlarm',
        alarmDescription:
          'A campaign reminder schedule could not invoke dispatch after its retries. Inspect the message (ids only) and re-run the step.',
        statistic: 'Maximum',
      },
    ));
    // Scheduler invokes dispatch asynchronously: its own DLQ catches failed invocations only, so a
    // firing whose dispatch keeps throwing goes to the same queue (and alarm) once Lambda's retries end.
    // Lambda would keep an async event up to 6 hours: a reminder more than an hour late is dropped to
    // the DLQ (and its alarm) instead, matching the schedules' own retry policy (an hour, 5 retries).
    this.dispatch.fn.configureAsyncInvoke({
      onFailure: new SqsDestination(this.deadLetterQueue),
      maxEventAge: Duration.hours(1),
      retryAttempts: 2,
    });

    // Scheduler assumes this role for this account's schedules only (confused-deputy guard).
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description:
        'EventBridge Scheduler: invokes the dispatch function and dead-letters to its queue, nothing else',
    });
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.dispatch.fn.functionArn] }),
    );
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );

    this.grantScheduling(props.admin);
  }

  /**
   * Lets a function schedule campaign steps (the admin API; the console's campaign pages, which go
   * through the same core): manage schedules in this group only, hand Scheduler this role only.
   */
  grantScheduling(fn: EsrFunction): void {
    const stack = Stack.of(this);
    const schedulesInGroup = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
    });
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [schedulesInGroup],
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(fn.role).acknowledge({
      // The L2 group's generated name is a plain string at synth, so the finding names it literally.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${nagRegion(this)}:<AWS::AccountId>:schedule/${this.scheduleGroup.scheduleGroupName}/*]`,
      reason:
        'Schedule names are per campaign step (esr-<campaignId>-<stepKey>) and unknown at deploy; the wildcard is limited to this stack’s schedule group in this account and region.',
    });
    fn.addEnvironment({
      SCHEDULE_GROUP: this.scheduleGroup.scheduleGroupName,
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      DISPATCH_FUNCTION_ARN: this.dispatch.fn.functionArn,
      SCHEDULE_DLQ_ARN: this.deadLetterQueue.queueArn,
    });
  }
}
