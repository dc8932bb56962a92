import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/cdk-app';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

describe('CDK: confirmation emails off the request path', () => {
  let template: Template;

  beforeAll(() => {
    const { stack } = buildTestApp({ stackName: 'EsrConf', senderEmail: 'reminders@example.org' });
    template = Template.fromStack(stack);
  });

  const policyOf = (prefix: string) => {
    const policies = template.findResources('AWS::IAM::Policy');
    const found = Object.entries(policies).find(([id]) => id.startsWith(prefix));
    if (!found) throw new Error(`no policy ${prefix}`);
    return found[1].Properties.PolicyDocument.Statement as Statement[];
  };
  const actionsOf = (statement: Statement) => [statement.Action].flat();
  const senderStatements = () => policyOf('ConfirmationEmailsSenderRole');

  it('has a confirmation queue with SSE, a dead-letter queue after 5 receives, and an alarm on the DLQ', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: {
        maxReceiveCount: 5,
        deadLetterTargetArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^ConfirmationEmailsDeadLetterQueue'), 'Arn'],
        },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Confirmation emails exhausted'),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('consumes it with one function, bounded concurrency and partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConfirmationEmailsQueue'), 'Arn'] },
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the public API only send to the queue, and tells it where the queue is', () => {
    const sqs = policyOf('PublicApiRole').filter((s) => JSON.stringify(s.Action).includes('sqs:'));
    expect(sqs).toHaveLength(1);
    expect(sqs[0]?.Action).toBe('sqs:SendMessage');
    expect(sqs[0]?.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ConfirmationEmailsQueue/), 'Arn'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          CONFIRMATION_QUEUE_URL: { Ref: Match.stringLikeRegexp('^ConfirmationEmailsQueue') },
        }),
      },
    });
  });

  it('lets the sender read subscriptions, suppressions and campaigns by key and write only SUB# items', () => {
    const dynamo = senderStatements().filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));

    expect(dynamo.map((s) => [actionsOf(s), s.Condition])).toEqual([
      [
        ['dynamodb:GetItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'SUPPRESSED#*', 'CAMPAIGN#*'] } },
      ],
      [['dynamodb:PutItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } }],
    ]);
  });

  it('lets the sender send only the confirmation template, from the identity, through the configuration set', () => {
    const ses = senderStatements().filter((s) => JSON.stringify(s.Action).includes('ses:'));

    expect(ses).toHaveLength(1);
    expect(ses[0]?.Action).toBe('ses:SendEmail');
    const resources = JSON.stringify(ses[0]?.Resource);
    // The sending identity is the sender's domain (DKIM-signed), not the single address.
    expect(resources).toContain(':identity/example.org');
    expect(resources).toContain(':template/EsrConf-confirm-subscription');
    expect(resources).not.toContain('*');
    expect(resources).toContain(':configuration-set/EsrConf-reminders');
  });

  it('gives the sender the token secret and the queue, and nothing else', () => {
    const actions = senderStatements().flatMap(actionsOf).sort();

    expect(
      // DynamoDB, SES and logs are checked above; X-Ray tracing in observability.test.ts.
      actions.filter((a) => !/^(dynamodb|ses|logs|xray):/.test(a)),
    ).toEqual([
      'secretsmanager:GetSecretValue',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
  });
});
