import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IMPORT_CONSUMER } from '../../functions/lib/imports/records';
import { deadLetterQueueWithAlarm } from './dead-letter-queue';
import { EsrFunction } from './esr-function';

export interface ImportsProps {
  table: ITable;
  /** The admin API, which creates import jobs and queues their ids here. */
  admin: EsrFunction;
  /** The confirmation queue the invitations go to (its worker sends them). */
  confirmationQueue: Queue;
  tokenSecret: ISecret;
  logRetention: RetentionDays;
}

/**
 * A worker invocation: it stops taking rows 15 s before its end and hands the job on through the
 * queue. Its hold on a job (IMPORT_LEASE_SECONDS, 150 s) outlasts the invocation, and the message's
 * visibility timeout (six times this) outlasts the hold, so a job whose worker died is taken over
 * when its message comes back.
 */
const IMPORT_TIMEOUT = Duration.seconds(120);

/**
 * Staff imports as jobs: the admin API stores the checked rows in chunk items and queues the job's id;
 * the import function writes each row's pending sign-up (source `import`) and puts its invitation (ids
 * only) on the confirmation queue, at a share of the SES account's rate. The queue has a dead-letter
 * queue with an alarm. The function reads and writes only `IMPORT#` items and the addresses' `SUB#`
 * items, reads `SUPPRESSED#`, `ERASED#` and `CAMPAIGN#` items, and sends to the two queues.
 */
export class Imports extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly worker: EsrFunction;
  private readonly table: ITable;

  constructor(scope: Construct, id: string, props: ImportsProps) {
    super(scope, id);
    this.table = props.table;

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = deadLetterQueueWithAlarm(
      this,
      'DeadLetterQueue',
      {
        retention: Duration.days(14),
        whyNoDeadLetterQueue:
          'This queue is the dead-letter queue of the import queue; it needs none of its own.',
        alarmId: 'DeadLetterAlarm',
        alarmDescription:
          'An import job failed five times: its invitations stopped part way. Inspect the import DLQ and the job (GET /admin/imports/{jobId}); re-importing the same file invites nobody twice.',
      },
    ));
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(IMPORT_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: IMPORT_CONSUMER.maxReceiveCount },
    });

    this.worker = new EsrFunction(this, 'Worker', {
      entry: 'import',
      description:
        'Works on import jobs: writes sign-ups and queues their invitations at a share of the SES rate',
      logRetention: props.logRetention,
      timeout: IMPORT_TIMEOUT,
      environment: {
        TABLE_NAME: props.table.tableName,
        TOKEN_SECRET_ARN: props.tokenSecret.secretArn,
        IMPORT_QUEUE_URL: this.queue.queueUrl,
        CONFIRMATION_QUEUE_URL: props.confirmationQueue.queueUrl,
      },
    });
    this.worker.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: IMPORT_CONSUMER.batchSize,
        maxConcurrency: IMPORT_CONSUMER.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // Jobs: read, update, delete used chunks. Sign-ups: read and write (a conditional put). No query
    // beyond the job's own items, no batch write.
    this.worker.role.addToPolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
        ],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IMPORT#*'] } },
      }),
    );
    this.worker.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } },
      }),
    );
    this.worker.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUPPRESSED#*', 'ERASED#*', 'CAMPAIGN#*'] },
        },
      }),
    );
    this.worker.grantSecretRead(props.tokenSecret);
    // The account's send rate, to pace invitations to a share of it.
    this.worker.role.addToPolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(this.worker.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetAccount (the account send quota) supports no resource-level permissions; it reads no mail or data.',
    });
    this.worker.role.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn, props.confirmationQueue.queueArn],
      }),
    );
    // The confirmation queue's backlog: the job goes no faster than the confirmation worker sends.
    this.worker.role.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:GetQueueAttributes'],
        resources: [props.confirmationQueue.queueArn],
      }),
    );

    this.grantJobCreation(props.admin);
  }

  /**
   * Lets a function create jobs and follow them (the admin API, the console's import pages):
   * IMPORT# items only (put; read the job and its report) and sending to the import queue.
   */
  grantJobCreation(fn: EsrFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IMPORT#*'] } },
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    fn.addEnvironment({ IMPORT_QUEUE_URL: this.queue.queueUrl });
  }
}
