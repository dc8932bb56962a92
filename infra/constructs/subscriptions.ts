import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { WELCOME_TEMPLATE } from '../../functions/lib/templates/names';
import type { EsrFunction } from './esr-function';
import { nagRegion, sesArn } from './ses-arn';

export interface SubscriptionsProps {
  /** The public API function that serves the journey. */
  api: EsrFunction;
  table: ITable;
  /** The verified SES identity: an address, or a domain (then we send from reminders@<domain>). */
  senderEmail?: string;
  senderDomain?: string;
  /** Prefix of this stack's SES templates (`<stackName>-`). */
  templatePrefix: string;
  retentionDays: number;
  configurationSet?: string;
}

/**
 * The subscriber journey: the token-signing secret, least-privilege grants for the public API
 * (read that one secret; send only from our identity with our templates; write only subscription
 * items) and configuration. Its routes are the public API's (functions/lib/subscriptions/route-table.ts).
 */
export class Subscriptions extends Construct {
  readonly secret: Secret;
  readonly senderEmail: string;
  /** The SES identity ARN's name part: the sender's domain. */
  readonly identity: string;

  constructor(scope: Construct, id: string, props: SubscriptionsProps) {
    super(scope, id);
    // The sending identity is always the domain (DKIM-signed, with its own MAIL FROM): an address
    // given as senderEmail sends under its domain's identity.
    const identity = props.senderDomain ?? props.senderEmail?.split('@')[1];
    if (!identity) throw new Error('Subscriptions needs senderEmail or senderDomain');
    this.senderEmail = props.senderEmail ?? `reminders@${props.senderDomain}`;
    this.identity = identity;

    this.secret = new Secret(this, 'TokenSecret', {
      description:
        'Signs confirm and unsubscribe links and keys the address hashes (election-security-reminders)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated on purpose: the secret signs unsubscribe links that must work for ever and keys the address hashes that subscriptions are stored under; rotating it would break every unsubscribe link already sent and orphan every subscription.',
    });

    const role = props.api.role;
    props.api.grantSecretRead(this.secret);

    const templates = sesArn(this, 'template', `${props.templatePrefix}*`);
    // The API sends only the welcome email (confirmations go through their own worker).
    const sendResources = [
      sesArn(this, 'identity', identity),
      sesArn(this, 'template', `${props.templatePrefix}${WELCOME_TEMPLATE}`),
    ];
    if (props.configurationSet) sendResources.push(sesArn(this, 'configuration-set', props.configurationSet));
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: sendResources,
      }),
    );
    // The web copy of a sent reminder is rendered from the template SES holds.
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:GetEmailTemplate'],
        resources: [templates],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${nagRegion(this)}:<AWS::AccountId>:template/${props.templatePrefix}*]`,
      reason:
        "ses:GetEmailTemplate reads any reminder for its public web copy; the wildcard covers this stack's own templates only (`<stackName>-*`), which the stack itself creates.",
    });

    // The public API writes subscription items only: every key it writes starts with SUB#.
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } },
      }),
    );

    props.api.addEnvironment({
      TOKEN_SECRET_ARN: this.secret.secretArn,
      SENDER_EMAIL: this.senderEmail,
      SES_TEMPLATE_PREFIX: props.templatePrefix,
      SUBSCRIPTION_RETENTION_DAYS: String(props.retentionDays),
      ...(props.configurationSet ? { SES_CONFIGURATION_SET: props.configurationSet } : {}),
    });
  }
}
