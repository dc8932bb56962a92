import { readFileSync, rmSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/cdk-app';

/** The campaign construct: schedule group, the scheduler's role, the DLQ and its alarm, the admin grants. */

const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
let built: ReturnType<typeof buildTestApp>;
let template: Template;

const resourcesOf = (type: string) =>
  template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;

/** The logical id of the one resource of that type whose id starts with the prefix. */
const logicalId = (type: string, prefix: string) => {
  const ids = Object.keys(resourcesOf(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};

/** The statements of the inline policy attached to the role. */
const statementsOf = (roleId: string) =>
  Object.values(resourcesOf('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement);

beforeAll(() => {
  // Skip esbuild bundling: the assertions are about resources and policies, not code.
  built = buildTestApp(cdkContext);
  template = Template.fromStack(built.stack);
});
afterAll(() => rmSync(built.outdir, { recursive: true, force: true }));

describe('Campaigns construct', () => {
  it('creates one schedule group for the stack', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });

  it('lets only scheduler.amazonaws.com for this account assume the scheduler role', () => {
    const roleId = logicalId('AWS::IAM::Role', 'CampaignsSchedulerRole');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    expect(resourcesOf('AWS::IAM::Role')[roleId]).toBeDefined();
  });

  it('gives the scheduler role exactly two permissions: invoke dispatch, send to the DLQ', () => {
    const roleId = logicalId('AWS::IAM::Role', 'CampaignsSchedulerRole');
    const dispatchId = logicalId('AWS::Lambda::Function', 'CampaignsDispatchFunction');
    const dlqId = logicalId('AWS::SQS::Queue', 'CampaignsScheduleDlq');

    expect(statementsOf(roleId)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [dispatchId, 'Arn'] } },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    ]);
    expect(resourcesOf('AWS::IAM::Role')[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('keeps the DLQ encrypted, TLS-only for 14 days, with an alarm at one visible message', () => {
    const dlqId = logicalId('AWS::SQS::Queue', 'CampaignsScheduleDlq');
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
  });

  it('lets the admin function manage schedules only in the group and pass only the scheduler role', () => {
    const adminRoleId = logicalId('AWS::IAM::Role', 'AdminApiRole');
    const schedulerRoleId = logicalId('AWS::IAM::Role', 'CampaignsSchedulerRole');
    const group = Object.values(resourcesOf('AWS::Scheduler::ScheduleGroup'))[0]?.Properties.Name as string;
    const statements = statementsOf(adminRoleId) as { Action: string | string[]; Resource: unknown }[];

    const schedulerStatements = statements.filter((s) => JSON.stringify(s.Action).includes('scheduler:'));
    expect(schedulerStatements).toEqual([
      {
        Action: [
          'scheduler:CreateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
          'scheduler:UpdateSchedule',
        ],
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':scheduler:eu-west-2:',
              { Ref: 'AWS::AccountId' },
              `:schedule/${group}/*`,
            ],
          ],
        },
      },
    ]);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('iam:'))).toEqual([
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [schedulerRoleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('drops a dispatch invocation older than an hour to the DLQ instead of sending the reminder hours late', () => {
    const dispatchId = logicalId('AWS::Lambda::Function', 'CampaignsDispatchFunction');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: dispatchId },
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('lets the admin function write campaign items, admins, audit entries and import jobs, delete only for erasure, and never batch write', () => {
    const adminRoleId = logicalId('AWS::IAM::Role', 'AdminApiRole');
    const statements = statementsOf(adminRoleId) as { Action: string | string[]; Condition?: unknown }[];
    const table = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    const actions = table.flatMap((s) => [s.Action].flat());

    // Deleting is for erasing one address's items (subject rights): never a campaign.
    const deletes = table.filter((s) => [s.Action].flat().includes('dynamodb:DeleteItem'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'SUPPRESSED#*', 'DELIVERY#*'] },
    });
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    expect(actions).not.toContain('dynamodb:Scan');
    // Campaign items, and besides them only the console's stored admins and the audit log.
    const items = table.filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
    expect(items.map((s) => s.Condition)).toEqual(
      [['CAMPAIGN#*', 'AUDIT#*'], ['ADMINS'], ['AUDIT#*'], ['IMPORT#*']].map((keys) => ({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys },
      })),
    );
  });

  it('lets the admin function render the urgent-alert template for previews, and send nothing', () => {
    const adminRoleId = logicalId('AWS::IAM::Role', 'AdminApiRole');
    const statements = statementsOf(adminRoleId) as { Action: string | string[]; Resource: unknown }[];
    const ses = statements.filter((s) => JSON.stringify(s.Action).includes('ses:'));

    expect(ses.map((s) => s.Action)).toEqual(['ses:TestRenderEmailTemplate']);
    expect(JSON.stringify(ses[0]?.Resource)).toContain('urgent-alert');
  });

  it('keeps audit entries two years by default', () => {
    const adminFunctionId = logicalId('AWS::Lambda::Function', 'AdminApiFunction');
    const fn = resourcesOf('AWS::Lambda::Function')[adminFunctionId];
    const env =
      (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(env.AUDIT_RETENTION_DAYS).toBe('730');
  });

  it('tells the admin function where to schedule', () => {
    const adminFunctionId = logicalId('AWS::Lambda::Function', 'AdminApiFunction');
    const fn = resourcesOf('AWS::Lambda::Function')[adminFunctionId];
    const env =
      (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};

    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'SCHEDULE_GROUP',
        'SCHEDULER_ROLE_ARN',
        'DISPATCH_FUNCTION_ARN',
        'SCHEDULE_DLQ_ARN',
      ]),
    );
    expect(env.DISPATCH_FUNCTION_ARN).toEqual({
      'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'CampaignsDispatchFunction'), 'Arn'],
    });
  });

  it('routes the public timeline feed', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /campaigns/{id}/timeline.ics',
    });
  });

  it('synthesises with cdk-nag AwsSolutions checks passing', () => {
    expect(Stack.of(built.stack).stackName).toBe(cdkContext.stackName);
    expect(() => built.app.synth()).not.toThrow();
  });
});
