import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/cdk-app';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

describe('CDK: subscriber journey', () => {
  let template: Template;
  let apiStatements: Statement[];

  beforeAll(() => {
    const { stack } = buildTestApp({
      stackName: 'EsrSubs',
      senderEmail: 'reminders@example.org',
    });
    template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy');
    const apiPolicy = Object.entries(policies).find(([id]) => id.startsWith('PublicApiRole'));
    if (!apiPolicy) throw new Error('no policy for the public API role');
    apiStatements = apiPolicy[1].Properties.PolicyDocument.Statement as Statement[];
  });

  const statementsWith = (action: string) =>
    apiStatements.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action));

  it('routes every journey page and API publicly, one by one, through CloudFront only (origin-verify authorizer)', () => {
    for (const routeKey of [
      'GET /',
      'POST /subscriptions',
      'GET /subscriptions/confirm',
      'POST /subscriptions/confirm',
      'GET /unsubscribe',
      'POST /unsubscribe',
      'GET /assets/{proxy+}',
      'GET /manage',
      'POST /manage',
      'GET /manage/data',
      'GET /manage/delete',
      'POST /manage/delete',
      ...['/privacy', '/accessibility', '/contact'].flatMap((path) => [`GET ${path}`, `HEAD ${path}`]),
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'CUSTOM',
        AuthorizerId: Match.anyValue(),
      });
    }
    expect(
      Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey),
    ).not.toContain('ANY /{proxy+}');
  });

  it('creates a generated 64-character token secret', () => {
    // The token secret and CloudFront's origin-verify secret.
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });

  it('lets the public API read that one secret, and nothing else in Secrets Manager', () => {
    const reads = apiStatements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager'));
    expect(reads).toHaveLength(1);
    expect(reads[0]?.Action).toBe('secretsmanager:GetSecretValue');
    expect(reads[0]?.Resource).toEqual({ Ref: expect.stringMatching(/^SubscriptionsTokenSecret/) });
  });

  it('lets the public API send email only from the sender identity, with this stack’s templates and configuration set', () => {
    const sends = statementsWith('ses:SendEmail');
    expect(sends).toHaveLength(1);
    const resources = JSON.stringify(sends[0]?.Resource);
    // The sending identity is the sender's domain (DKIM-signed), not the single address.
    expect(resources).toContain(':identity/example.org');
    // Only the welcome email: confirmations are sent by their own worker.
    expect(resources).toContain(':template/EsrSubs-welcome');
    expect(resources).not.toContain(':template/EsrSubs-*');
    expect(resources).toContain(':configuration-set/EsrSubs-reminders');
    expect(sends[0]?.Resource).toHaveLength(3);
    // Only X-Ray's tracing actions, which take no resource, may name every resource.
    const tracing = (s: Statement) => JSON.stringify(s.Action).includes('xray:');
    expect(JSON.stringify(apiStatements.filter((s) => !tracing(s)))).not.toMatch(/"ses:\*"|"Resource":"\*"/);
  });

  it('lets the public API read subscription and campaign items, and for the manage page one address’s other items', () => {
    const reads = statementsWith('dynamodb:GetItem');

    expect(reads.map((s) => s.Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'CAMPAIGN#*'] } },
      // "See what we hold about you": the address's suppression, erasure marker and delivery records.
      {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': ['SUB#*', 'SUPPRESSED#*', 'ERASED#*', 'DELIVERY#*'],
        },
      },
    ]);
    expect(statementsWith('dynamodb:Scan')).toEqual([]);
  });

  it('lets the public API put subscription items only (keys starting SUB#), and delete only to erase', () => {
    const writes = statementsWith('dynamodb:PutItem');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] },
    });
    // "Delete your details": one address's items, and its entries in the call records; never a campaign.
    expect(statementsWith('dynamodb:DeleteItem').map((s) => s.Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'SUPPRESSED#*', 'DELIVERY#*'] } },
    ]);
    expect(statementsWith('dynamodb:UpdateItem').map((s) => s.Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } },
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DELIVERY#*', 'ERASED#*'] } },
    ]);
    expect(statementsWith('dynamodb:BatchWriteItem')).toEqual([]);
  });

  it('configures the public API for the journey', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TOKEN_SECRET_ARN: { Ref: Match.stringLikeRegexp('^SubscriptionsTokenSecret') },
          SENDER_EMAIL: 'reminders@example.org',
          SES_TEMPLATE_PREFIX: 'EsrSubs-',
          SUBSCRIPTION_RETENTION_DAYS: '30',
        }),
      },
    });
  });

  it('sends from reminders@<domain> when given a sender domain', () => {
    const { stack } = buildTestApp({
      stackName: 'EsrDomain',
      senderDomain: 'example.org',
    });
    const domainTemplate = Template.fromStack(stack);

    domainTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SENDER_EMAIL: 'reminders@example.org' }) },
    });
    expect(JSON.stringify(domainTemplate.toJSON())).toContain(':identity/example.org');
  });

  it('synthesises with cdk-nag clean, bundling the pages’ views and govuk-frontend files', () => {
    const { app, outdir: dir } = buildTestApp(
      { stackName: 'EsrSubsNag', senderEmail: 'a@example.org' },
      { bundle: true },
    );

    expect(() => app.synth()).not.toThrow();
    const bundles = readdirSync(dir).filter((name) => existsSync(join(dir, name, 'views', 'signup.njk')));
    expect(bundles).toHaveLength(1);
    const bundle = join(dir, bundles[0] as string);
    for (const file of [
      'index.mjs',
      'govuk-frontend/govuk/govuk-frontend.min.css',
      'govuk-frontend/govuk/components/button/macro.njk',
      'govuk-frontend/govuk/assets/images/favicon.svg',
      'locales/en-GB.json',
    ]) {
      expect(existsSync(join(bundle, file)), file).toBe(true);
    }
    // A system font stack: GDS Transport's files are not shipped.
    expect(existsSync(join(bundle, 'govuk-frontend/govuk/assets/fonts'))).toBe(false);
    // It bundles every function: more than the default minute on a busy machine.
  }, 180_000);
});
