import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONFIRMATION_CONSUMER } from '../../functions/lib/subscriptions/confirmation-request';
import { CONFIRM_TEMPLATE } from '../../functions/lib/templates/names';
import { deadLetterQueueWithAlarm } from './dead-letter-queue';
import { EsrFunction } from './esr-function';
import { sesArn } from './ses-arn';

export interface ConfirmationEmailsProps {
  table: ITable;
  /** The public API, which records each sign-up and enqueues its ids here. */
  api: EsrFunction;
  tokenSecret: ISecret;
  logRetention: RetentionDays;
  /** The verified SES identity (address or domain) and the address mail comes from. */
  identity: string;
  senderEmail: string;
  templatePrefix: string;
  configurationSetName: string;
  publicBaseUrl: string;
}

/** One invocation: up to 10 messages, each a few reads, one write and one SES call. */
const CONFIRMATION_TIMEOUT = Duration.seconds(30);

/**
 * Confirmation emails off the request path: the public API enqueues a sign-up's ids (address hash,
 * campaign, nonce) on the confirmation queue; a small function reads the address from the table and
 * sends the email. The queue has a dead-letter queue with an alarm; the function may read only the
 * items it judges by, write only the confirmation allowance, and send only the confirmation template.
 */
export class ConfirmationEmails extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly sender: EsrFunction;

  constructor(scope: Construct, id: string, props: ConfirmationEmailsProps) {
    super(scope, id);

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = deadLetterQueueWithAlarm(
      this,
      'DeadLetterQueue',
      {
        retention: Duration.days(14),
        whyNoDeadLetterQueue:
          'This queue is the dead-letter queue of the confirmation queue; it needs none of its own.',
        alarmId: 'DeadLetterAlarm',
        alarmDescription:
          'Confirmation emails exhausted their retries: people who signed up may have no link. Inspect the confirmation DLQ.',
      },
    ));
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the function timeout, as Lambda recommends for SQS event sources.
      visibilityTimeout: Duration.seconds(CONFIRMATION_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: CONFIRMATION_CONSUMER.maxReceiveCount,
      },
    });

    this.sender = new EsrFunction(this, 'Sender', {
      entry: 'confirmation-email',
      description: 'Sends the confirmation email of each queued sign-up',
      logRetention: props.logRetention,
      timeout: CONFIRMATION_TIMEOUT,
      environment: {
        TABLE_NAME: props.table.tableName,
        TOKEN_SECRET_ARN: props.tokenSecret.secretArn,
        SENDER_EMAIL: props.senderEmail,
        SES_TEMPLATE_PREFIX: props.templatePrefix,
        SES_CONFIGURATION_SET: props.configurationSetName,
        PUBLIC_BASE_URL: props.publicBaseUrl,
      },
    });
    this.sender.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: CONFIRMATION_CONSUMER.batchSize,
        maxConcurrency: CONFIRMATION_CONSUMER.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // Reads the subscription, the suppression and the campaign by key; writes only the confirmation
    // allowance (an item under the address's SUB# partition). No query, no delete.
    this.sender.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'SUPPRESSED#*', 'CAMPAIGN#*'] },
        },
      }),
    );
    this.sender.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } },
      }),
    );
    this.sender.grantSecretRead(props.tokenSecret);
    this.sender.role.addToPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          sesArn(this, 'identity', props.identity),
          sesArn(this, 'template', `${props.templatePrefix}${CONFIRM_TEMPLATE}`),
          sesArn(this, 'configuration-set', props.configurationSetName),
        ],
      }),
    );

    // The public API only enqueues.
    props.api.role.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    props.api.addEnvironment({ CONFIRMATION_QUEUE_URL: this.queue.queueUrl });
  }
}
