import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CAMPAIGN_CONSOLE_BUNDLE_FILES } from '../../functions/lib/console/campaign/render';
import { PEOPLE_CONSOLE_BUNDLE_FILES } from '../../functions/lib/console/people/render';
import { CONSOLE_BUNDLE_FILES } from '../../functions/lib/console/render';
import { SIGN_IN_CONSUMER } from '../../functions/lib/console/sign-in-worker';
import { CONSOLE_GATEWAY_ROUTES } from '../../functions/lib/http/api-routes';
import { TABLE_KEYS } from '../../functions/lib/storage/table';
import { deadLetterQueueWithAlarm } from './dead-letter-queue';
import { EsrFunction } from './esr-function';
import type { EsrHttpApi } from './http-api';
import { nagRegion, sesArn } from './ses-arn';

export interface ConsoleProps {
  table: ITable;
  http: EsrHttpApi;
  tokenSecret: ISecret;
  logRetention: RetentionDays;
  /** The allow-list from the CDK context `admins` (validated at synth). */
  admins: string;
  /** The verified SES identity (domain), the From address and the configuration set. */
  identity: string;
  senderEmail: string;
  configurationSetName: string;
  publicBaseUrl: string;
  /** The SES template name prefix: the campaign pages preview reminders from SES's own templates. */
  templatePrefix: string;
}

const SIGN_IN_TIMEOUT = Duration.seconds(30);

/**
 * The admin console: its function (pages, sessions, the allow-list) on `/console/*`, served through
 * CloudFront and WAF like the public pages, and the sign-in email worker behind a queue, so the
 * sign-in form does the same work for every address. Each function has its own role with only the
 * keys it touches: sessions, sign-in links and the throttle under `CONSOLE#`, stored admins under
 * `ADMINS`, the audit log under `AUDIT#` (and gsi1), campaigns read-only, subscribers only as counts.
 */
export class Console extends Construct {
  readonly fn: EsrFunction;
  readonly signInSender: EsrFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);
    const { table } = props;

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = deadLetterQueueWithAlarm(
      this,
      'SignInDeadLetterQueue',
      {
        retention: Duration.days(4),
        whyNoDeadLetterQueue:
          'This queue is the dead-letter queue of the sign-in queue; it needs none of its own.',
        alarmId: 'SignInDeadLetterAlarm',
        alarmDescription:
          'Console sign-in emails exhausted their retries: an admin may have no link. Inspect the sign-in DLQ.',
      },
    ));
    this.queue = new Queue(this, 'SignInQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SIGN_IN_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SIGN_IN_CONSUMER.maxReceiveCount },
    });

    const allow = (fn: EsrFunction, actions: string[], leadingKeys: string[]) =>
      fn.role.addToPolicy(
        new PolicyStatement({
          actions: actions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } },
        }),
      );

    this.fn = new EsrFunction(this, 'Function', {
      entry: 'console',
      description: 'Admin console pages (/console/*): sign-in, sessions, campaigns, audit log',
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: table.tableName,
        PUBLIC_BASE_URL: props.publicBaseUrl,
        TOKEN_SECRET_ARN: props.tokenSecret.secretArn,
        ESR_ADMINS: props.admins,
        SIGN_IN_QUEUE_URL: this.queue.queueUrl,
        SES_TEMPLATE_PREFIX: props.templatePrefix,
      },
      copyIntoBundle: [
        ...CONSOLE_BUNDLE_FILES,
        ...CAMPAIGN_CONSOLE_BUNDLE_FILES,
        ...PEOPLE_CONSOLE_BUNDLE_FILES,
      ],
    });
    allow(this.fn, ['GetItem', 'PutItem', 'UpdateItem'], ['CONSOLE#SESSION#*']);
    allow(this.fn, ['GetItem', 'UpdateItem'], ['CONSOLE#LINK#*']);
    allow(this.fn, ['GetItem', 'Query'], ['ADMINS']);
    allow(this.fn, ['PutItem', 'Query'], ['AUDIT#*']);
    // The campaign pages create drafts and propose changes through the campaign core (campaign items,
    // conditional writes, no delete) and read each step's delivery counts (Query on the campaign).
    allow(this.fn, ['GetItem', 'PutItem', 'UpdateItem', 'Query'], ['CAMPAIGN#*']);
    // Previews render the SES templates themselves (the scheduling grants come from Campaigns).
    this.fn.role.addToPolicy(
      new PolicyStatement({
        actions: ['ses:GetEmailTemplate'],
        resources: [sesArn(this, 'template', `${props.templatePrefix}*`)],
      }),
    );
    Validations.of(this.fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${nagRegion(this)}:<AWS::AccountId>:template/${props.templatePrefix}*]`,
      reason:
        "ses:GetEmailTemplate previews any reminder of a campaign; the wildcard covers this stack's own templates only (`<prefix>*`), which the stack itself creates.",
    });
    this.fn.grantIndexQuery(table, [TABLE_KEYS.gsi1.indexName]);
    // Subscribers as numbers only: a query of the audience index must ask for COUNT.
    this.fn.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${TABLE_KEYS.audience.indexName}`],
        conditions: {
          StringEquals: { 'dynamodb:Select': 'COUNT' },
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIENCE#*'] },
        },
      }),
    );
    this.fn.grantSecretRead(props.tokenSecret);
    this.fn.role.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    // The console's routes on the HTTP API: public (through CloudFront, origin-verify), the app checks the cookie.
    props.http.addPublicRoutes(this.fn, CONSOLE_GATEWAY_ROUTES);

    this.signInSender = new EsrFunction(this, 'SignInSender', {
      entry: 'console-sign-in-email',
      description: 'Emails a one-time console sign-in link to allow-listed admins',
      logRetention: props.logRetention,
      timeout: SIGN_IN_TIMEOUT,
      environment: {
        TABLE_NAME: table.tableName,
        PUBLIC_BASE_URL: props.publicBaseUrl,
        TOKEN_SECRET_ARN: props.tokenSecret.secretArn,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: props.configurationSetName,
        ESR_ADMINS: props.admins,
      },
      // The views render the email's HTML.
      copyIntoBundle: CONSOLE_BUNDLE_FILES,
    });
    this.signInSender.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: SIGN_IN_CONSUMER.batchSize,
        maxConcurrency: SIGN_IN_CONSUMER.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    allow(this.signInSender, ['GetItem', 'Query'], ['ADMINS']);
    allow(this.signInSender, ['GetItem', 'PutItem'], ['CONSOLE#THROTTLE#*']);
    allow(this.signInSender, ['PutItem'], ['CONSOLE#LINK#*', 'AUDIT#*']);
    this.signInSender.grantSecretRead(props.tokenSecret);
    this.signInSender.role.addToPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          sesArn(this, 'identity', props.identity),
          sesArn(this, 'configuration-set', props.configurationSetName),
        ],
      }),
    );
  }
}
