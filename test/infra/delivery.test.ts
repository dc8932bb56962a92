import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/cdk-app';

describe('CDK: delivery', () => {
  let template: Template;

  beforeAll(() => {
    const { stack } = buildTestApp({ stackName: 'EsrDel', senderDomain: 'council.example.gov.uk' });
    template = Template.fromStack(stack);
  });

  const policyOf = (prefix: string) => {
    const policies = template.findResources('AWS::IAM::Policy');
    const found = Object.entries(policies).find(([id]) => id.startsWith(prefix));
    return (found?.[1].Properties.PolicyDocument.Statement ?? []) as {
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }[];
  };
  const actionsOf = (statement: { Action: string | string[] }) => [statement.Action].flat();

  it('has a send queue with a dead-letter queue, SSE, and an alarm on the DLQ', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Send batches exhausted'),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('consumes the send queue with bounded concurrency and partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('sends bounces and complaints from its configuration set to the feedback function through EventBridge', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'EsrDel-reminders' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: Match.anyValue(),
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        EventBridgeDestination: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received'],
      }),
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('scopes the sender’s SES permissions to the identity, this stack’s templates and configuration set', () => {
    const sends = policyOf('DeliverySendRole').filter((s) => actionsOf(s).includes('ses:SendBulkEmail'));
    const resources = JSON.stringify(sends[0]?.Resource);

    expect(sends).toHaveLength(1);
    expect(resources).toContain(':identity/council.example.gov.uk');
    expect(resources).toContain(':template/EsrDel-*');
    expect(resources).toMatch(/:configuration-set\/",\{"Ref":"DeliveryConfigurationSet/);
    expect(sends[0]?.Resource).toHaveLength(3);
  });

  it('lets only the sender read the account quota, and gives it no other account-wide SES action', () => {
    const wide = policyOf('DeliverySendRole').filter((s) => s.Resource === '*');

    // X-Ray's two tracing actions take no resource either (observability.test.ts); nothing else may.
    expect(wide.flatMap(actionsOf).sort()).toEqual([
      'ses:GetAccount',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('lets the sender touch only delivery and campaign items, and query only the audience index', () => {
    const statements = policyOf('DeliverySendRole').filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );

    const items = statements.filter((s) => actionsOf(s).includes('dynamodb:PutItem'));
    const queries = statements.filter((s) => actionsOf(s).includes('dynamodb:Query'));

    expect(statements).toHaveLength(2);
    expect(actionsOf(items[0] ?? { Action: [] }).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(items[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DELIVERY#*', 'CAMPAIGN#*'] },
    });
    expect(actionsOf(queries[0] ?? { Action: [] })).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(queries[0]?.Resource)).toContain('/index/audience');
  });

  it('lets dispatch read and update campaign items only', () => {
    const items = policyOf('CampaignsDispatchRole').filter((s) => actionsOf(s).includes('dynamodb:GetItem'));

    expect(items).toHaveLength(1);
    expect(actionsOf(items[0] ?? { Action: [] }).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(items[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CAMPAIGN#*'] },
    });
  });

  it('lets dispatch query the audience index for ids only, never addresses or names', () => {
    const queries = policyOf('CampaignsDispatchRole').filter((s) =>
      JSON.stringify(s.Resource).includes('/index/audience'),
    );

    expect(queries).toHaveLength(1);
    expect(actionsOf(queries[0] ?? { Action: [] })).toEqual(['dynamodb:Query']);
    expect(queries[0]?.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'audiencePk', 'audienceSk'] },
      StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    });
  });

  it('gives dispatch the send queue and the sender the queue for retries', () => {
    const dispatch = JSON.stringify(policyOf('CampaignsDispatchRole'));
    const send = JSON.stringify(policyOf('DeliverySendRole'));

    expect(dispatch).toContain('sqs:SendMessage');
    expect(send).toContain('sqs:SendMessage');
    expect(send).toContain('sqs:ReceiveMessage');
  });
});
