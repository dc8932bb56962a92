import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

describe('CDK: imports as queued jobs', () => {
  let template: Template;

  beforeAll(() => {
    const { stack } = buildApp({
      outdir: mkdtempSync(join(tmpdir(), 'esr-cdk-import-')),
      context: {
        'aws:cdk:bundling-stacks': [],
        allowApiHostLinks: true,
        stackName: 'EsrImport',
        senderEmail: 'reminders@example.org',
      },
    });
    template = Template.fromStack(stack);
  });

  const policyOf = (prefix: string) => {
    const policies = template.findResources('AWS::IAM::Policy');
    const found = Object.entries(policies).find(([id]) => id.startsWith(prefix));
    if (!found) throw new Error(`no policy ${prefix}`);
    return found[1].Properties.PolicyDocument.Statement as Statement[];
  };
  const actionsOf = (statement: Statement) => [statement.Action].flat();

  it('has an import queue with SSE, a dead-letter queue after 5 receives, and an alarm on the DLQ', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 720,
      RedrivePolicy: {
        maxReceiveCount: 5,
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImportsDeadLetterQueue'), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('An import job failed'),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('consumes it one job at a time per instance, at most two at once, with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImportsQueue'), 'Arn'] },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 120,
      Environment: {
        Variables: Match.objectLike({
          IMPORT_QUEUE_URL: { Ref: Match.stringLikeRegexp('^ImportsQueue') },
          CONFIRMATION_QUEUE_URL: { Ref: Match.stringLikeRegexp('^ConfirmationEmailsQueue') },
        }),
      },
    });
  });

  it('scopes the worker to IMPORT# and SUB# items, reads of suppressions, erasure markers and campaigns, and the two queues', () => {
    const statements = policyOf('ImportsWorkerRole');
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo.map((s) => [actionsOf(s).sort(), s.Condition])).toEqual([
      [
        [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IMPORT#*'] } },
      ],
      [
        ['dynamodb:GetItem', 'dynamodb:PutItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } },
      ],
      [
        ['dynamodb:GetItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUPPRESSED#*', 'ERASED#*', 'CAMPAIGN#*'] } },
      ],
    ]);
    const send = statements.find((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(JSON.stringify(send?.Resource)).toMatch(/ImportsQueue.*ConfirmationEmailsQueue/);
    // It sends no email itself: the confirmation worker does.
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('ses:'))).toEqual(['ses:GetAccount']);
  });

  it('lets the admin API create and read IMPORT# items and queue the job', () => {
    const statements = policyOf('AdminApiRole');
    const imports = statements.find((s) => JSON.stringify(s.Condition ?? {}).includes('IMPORT#'));
    expect(actionsOf(imports as Statement).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    const sqs = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:'));
    expect(sqs).toHaveLength(1);
    expect(sqs[0]?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ImportsQueue/), 'Arn'] });
  });
});
