import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sesName, sesNamePrefix } from '../../infra/ses-names';
import { buildTestApp } from '../support/cdk-app';

describe('CDK app', () => {
  let template: Template;
  let stack: Stack;

  beforeAll(() => {
    const built = buildTestApp({
      stackName: 'EsrTest',
      senderEmail: 'reminders@example.org',
    });
    stack = built.stack;
    template = Template.fromStack(stack);
  });

  it('synthesises with zero unacknowledged cdk-nag AwsSolutions findings', () => {
    const { app } = buildTestApp({ stackName: 'EsrNag', senderEmail: 'a@example.org' }, { bundle: true });

    expect(() => app.synth()).not.toThrow();
    // It bundles every function (nine entries, the console's two among them): more than the default minute on a busy machine.
  }, 180_000);

  it('fails the synth when a cdk-nag finding is added', () => {
    const { app, stack: nagged } = buildTestApp({
      stackName: 'EsrNagFail',
      senderEmail: 'a@example.org',
    });
    // A queue with neither a dead-letter queue nor SSL enforcement: AwsSolutions-SQS3 and SQS4.
    new Queue(nagged, 'CarelessQueue');

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });

  it('has one on-demand table with point-in-time recovery, deletion protection and a TTL attribute', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });

  it('runs every function on Node.js 22, ARM64, with its own log group and retention', () => {
    // Ours, not the CDK's own cross-region reference reader (a provider the CDK keeps current).
    const functions = Object.fromEntries(
      Object.entries(template.findResources('AWS::Lambda::Function')).filter(
        ([id]) => !id.startsWith('CustomCrossRegion'),
      ),
    );
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(2);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('routes GET /health and GET /campaigns publicly (through CloudFront) and /admin/* behind IAM authorisation', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /health',
      AuthorizationType: 'CUSTOM',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /campaigns',
      AuthorizationType: 'CUSTOM',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /timetable',
      AuthorizationType: 'CUSTOM',
    });
    // Every public GET answers HEAD too, through the same origin check.
    for (const path of ['/', '/campaigns/{id}/reminders/{stepKey}', '/privacy']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `HEAD ${path}`,
        AuthorizationType: 'CUSTOM',
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'ANY /admin/{proxy+}',
      AuthorizationType: 'AWS_IAM',
    });
  });

  it('throttles the API stage and writes access logs without IP addresses', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: { Format: Match.not(Match.stringLikeRegexp('sourceIp')) },
    });
  });

  it('gives the public API no Scan, no table management, and deletes only to erase one address', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const publicPolicy = Object.entries(policies).find(([id]) => id.startsWith('PublicApiRole'));
    const statements = publicPolicy?.[1].Properties.PolicyDocument.Statement as {
      Action: string | string[];
      Condition?: unknown;
    }[];
    const actions = JSON.stringify(statements);

    expect(actions).toContain('dynamodb:Query');
    expect(actions).not.toContain('dynamodb:Scan');
    // "Delete your details" on the manage page: that address's items, never a campaign.
    expect(
      statements.filter((s) => [s.Action].flat().includes('dynamodb:DeleteItem')).map((s) => s.Condition),
    ).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'SUPPRESSED#*', 'DELIVERY#*'] } },
    ]);
    expect(actions).not.toMatch(/dynamodb:(CreateTable|DeleteTable|UpdateTable|BatchWriteItem)/);
  });

  it('names the SES templates per stack so two stacks in one account do not collide', () => {
    template.hasResourceProperties('AWS::SES::Template', {
      Template: Match.objectLike({ TemplateName: 'EsrTest-confirm-subscription' }),
    });
  });

  it('keeps every SES template and configuration-set name within 64 characters for a long stack name, and the sender and API use those names', () => {
    const named = (stackName: string) => {
      const built = buildTestApp({ stackName, senderEmail: 'reminders@example.org' });
      const t = Template.fromStack(built.stack);
      const templates = Object.values(t.findResources('AWS::SES::Template')).map(
        (r) => r.Properties.Template.TemplateName as string,
      );
      const [configurationSet] = Object.values(t.findResources('AWS::SES::ConfigurationSet')).map(
        (r) => r.Properties.Name as string,
      );
      const prefixes = Object.values(t.findResources('AWS::Lambda::Function'))
        .map((r) => r.Properties.Environment?.Variables?.SES_TEMPLATE_PREFIX)
        .filter((p): p is string => typeof p === 'string');
      return { templates, configurationSet: String(configurationSet), prefixes };
    };
    const staging = named('ElectionSecurityReminders-Staging');
    const staging2 = named('ElectionSecurityReminders-Staging2');

    for (const name of [...staging.templates, staging.configurationSet]) {
      expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    }
    // The api, the sender, the confirmation worker, the admin API (alert previews) and the console
    // (reminder previews) all add the prefix the templates were created with.
    expect(staging.prefixes).toHaveLength(5);
    const [prefix] = staging.prefixes;
    expect(new Set(staging.prefixes).size).toBe(1);
    expect(staging.templates.every((name) => name.startsWith(String(prefix)))).toBe(true);
    expect(staging.templates).toContain(`${prefix}confirm-subscription`);
    expect(staging.configurationSet).toBe(`${prefix}reminders`);
    // Two long names that share their start still get their own names.
    expect(staging2.templates.some((name) => staging.templates.includes(name))).toBe(false);
  });

  it('keeps the default stack’s SES names as they were (<stackName>-<name>)', () => {
    expect(sesNamePrefix('ElectionSecurityReminders')).toBe('ElectionSecurityReminders-');
    expect(() => sesName('ElectionSecurityReminders-', 'a'.repeat(39))).toThrow(/at most 38 characters/);
  });

  it('refuses to synthesise without a sender identity', () => {
    expect(() => buildTestApp({ stackName: 'NoSender', senderEmail: '' })).toThrow(/senderEmail/);
  });
});
