import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEND_CONSUMER } from '../../functions/lib/delivery/model';
import { TABLE_KEYS } from '../../functions/lib/storage/table';
import { deadLetterQueueWithAlarm } from './dead-letter-queue';
import { EsrFunction } from './esr-function';
import { nagRegion, sesArn } from './ses-arn';

export interface DeliveryProps {
  table: ITable;
  /** The schedule target that fans a due step out to the send queue. */
  dispatch: EsrFunction;
  tokenSecret: ISecret;
  logRetention: RetentionDays;
  /** The verified SES identity (address or domain) and the address mail comes from. */
  identity: string;
  senderEmail: string;
  templatePrefix: string;
  publicBaseUrl: string;
  /** Send consumers running at once; each takes its share of the account's send rate. */
  sendConcurrency: number;
  configurationSetName: string;
}

/** How long one send invocation may run: batches of up to 5 messages of 50 recipients, paced. */
const SEND_TIMEOUT = Duration.seconds(60);

/**
 * Delivery: the send queue (with its dead-letter queue and alarm), the send function consuming it
 * with bounded concurrency, the SES configuration set whose bounce and complaint events reach the
 * feedback function through EventBridge, and least-privilege grants for all of them.
 */
export class Delivery extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly sendQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly send: EsrFunction;
  readonly feedback: EsrFunction;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
    });
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = deadLetterQueueWithAlarm(
      this,
      'SendDeadLetterQueue',
      {
        retention: Duration.days(14),
        whyNoDeadLetterQueue:
          'This queue is the dead-letter queue of the send queue; it needs none of its own.',
        alarmId: 'SendDeadLetterAlarm',
        alarmDescription:
          'Send batches exhausted their retries: recipients may be unsent. Inspect the send DLQ.',
      },
    ));
    this.sendQueue = new Queue(this, 'SendQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the function timeout, as Lambda recommends for SQS event sources.
      visibilityTimeout: Duration.seconds(SEND_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SEND_CONSUMER.maxReceiveCount },
    });

    this.send = new EsrFunction(this, 'Send', {
      entry: 'send',
      description: 'Sends queued reminder batches with SES SendBulkEmail at the account rate',
      logRetention: props.logRetention,
      timeout: SEND_TIMEOUT,
      environment: {
        TABLE_NAME: props.table.tableName,
        SEND_QUEUE_URL: this.sendQueue.queueUrl,
        TOKEN_SECRET_ARN: props.tokenSecret.secretArn,
        SENDER_EMAIL: props.senderEmail,
        SES_TEMPLATE_PREFIX: props.templatePrefix,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        PUBLIC_BASE_URL: props.publicBaseUrl,
        SEND_CONCURRENCY: String(props.sendConcurrency),
        // Longer than a send invocation can run, so a live claim is never taken for a stale one.
        CLAIM_TIMEOUT_SECONDS: String(SEND_TIMEOUT.toSeconds() * 5),
      },
    });
    this.send.fn.addEventSource(
      new SqsEventSource(this.sendQueue, {
        batchSize: SEND_CONSUMER.batchSize,
        maxConcurrency: props.sendConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // The sender reads its campaign and writes claims, call records, counts and the step's status:
    // items under DELIVERY# and CAMPAIGN# only, and never deletes. Recipients come from the audience index.
    this.send.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DELIVERY#*', 'CAMPAIGN#*'] } },
      }),
    );
    this.send.grantIndexQuery(props.table, [TABLE_KEYS.audience.indexName]);
    this.sendQueue.grantSendMessages(this.send.role);
    this.send.grantSecretRead(props.tokenSecret);
    this.send.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendBulkEmail'],
        resources: [
          sesArn(this, 'identity', props.identity),
          sesArn(this, 'template', `${props.templatePrefix}*`),
          sesArn(this, 'configuration-set', this.configurationSet.configurationSetName),
        ],
      }),
    );
    this.send.role.addToPolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(this.send.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetAccount (the account send quota) supports no resource-level permissions; it reads no mail or data.',
    });
    Validations.of(this.send.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${nagRegion(this)}:<AWS::AccountId>:template/${props.templatePrefix}*]`,
      reason:
        "Bulk sends must name the template; the wildcard covers this stack's own templates (`<stackName>-*`).",
    });

    // Dispatch pages through the audience index and enqueues batches of ids: it may read the keys
    // (the id is the index's sort key) and nothing else, never an address or a name.
    const { partitionKey, sortKey, audience } = TABLE_KEYS;
    props.dispatch.grantIndexQuery(props.table, [audience.indexName], {
      onlyAttributes: [partitionKey, sortKey, audience.partitionKey, audience.sortKey],
    });
    this.sendQueue.grantSendMessages(props.dispatch.role);
    props.dispatch.addEnvironment({ SEND_QUEUE_URL: this.sendQueue.queueUrl });

    this.feedback = new EsrFunction(this, 'Feedback', {
      entry: 'ses-events',
      description: 'Suppresses addresses that bounce permanently or complain, for every campaign',
      logRetention: props.logRetention,
      environment: { TABLE_NAME: props.table.tableName, TOKEN_SECRET_ARN: props.tokenSecret.secretArn },
    });
    // Feedback reads an address's subscriptions (Query on its SUB# partition) and writes them and the
    // suppression item: nothing else in the table.
    this.feedback.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'SUPPRESSED#*'] } },
      }),
    );
    this.feedback.grantSecretRead(props.tokenSecret);
    // Holds SES events that could not be processed: they contain the bounced or complaining address,
    // so they are kept for 4 days only (long enough to act on the alarm over a weekend).
    const { queue: feedbackDeadLetters } = deadLetterQueueWithAlarm(this, 'FeedbackDeadLetterQueue', {
      retention: Duration.days(4),
      whyNoDeadLetterQueue:
        'This queue is the dead-letter queue of the feedback rule target; it needs none of its own.',
      alarmId: 'FeedbackDeadLetterAlarm',
      alarmDescription:
        'SES bounce or complaint events could not be processed: addresses may not be suppressed.',
    });
    // EventBridge invokes the function asynchronously: the rule's DLQ catches failed deliveries, and
    // this catches events the function itself kept failing on.
    this.feedback.fn.configureAsyncInvoke({
      onFailure: new SqsDestination(feedbackDeadLetters),
      retryAttempts: 2,
    });
    new Rule(this, 'BounceAndComplaintRule', {
      description: 'SES permanent bounces and complaints from this stack’s configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(this.feedback.fn, {
          deadLetterQueue: feedbackDeadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
}
