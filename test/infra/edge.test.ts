import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/cdk-app';

/** CloudFront, its WAF web ACL (us-east-1) and the origin check: per-client limits in AWS. */
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const build = (context: Record<string, unknown> = {}) =>
  buildTestApp({
    stackName: 'EsrEdge',
    senderEmail: 'reminders@example.org',
    ...context,
  });

describe('CDK: CloudFront, WAF and the origin check', () => {
  let service: Template;
  let edge: Template;
  let built: ReturnType<typeof build>;

  beforeAll(() => {
    built = build();
    service = Template.fromStack(built.stack);
    edge = Template.fromStack(built.edge);
  });

  const distribution = (template = service) => {
    const [found] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    return found?.Properties.DistributionConfig;
  };

  it('creates the WAF web ACL for CloudFront in us-east-1, its own stack', () => {
    expect(built.edge.region).toBe('us-east-1');
    expect(built.stack.region).toBe('eu-west-2');
    edge.resourceCountIs('AWS::WAFv2::WebACL', 1);
    edge.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    service.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('limits POSTs to sign-up and unsubscribe per IP address, and every request per IP', () => {
    const [acl] = Object.values(edge.findResources('AWS::WAFv2::WebACL'));
    const rules = acl?.Properties.Rules as {
      Name: string;
      Statement: { RateBasedStatement?: { ScopeDownStatement?: unknown } & Record<string, unknown> };
      Action?: unknown;
    }[];
    const rate = (name: string) => rules.find((rule) => rule.Name === name)?.Statement.RateBasedStatement;

    const signUp = rate('SignUpPostsPerIp');
    expect(signUp).toMatchObject({ Limit: 100, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
    expect(JSON.stringify(signUp?.ScopeDownStatement)).toContain('"SearchString":"POST"');
    expect(JSON.stringify(signUp?.ScopeDownStatement)).toContain('"SearchString":"/subscriptions"');
    const unsubscribe = rate('UnsubscribePostsPerIp');
    expect(unsubscribe).toMatchObject({ Limit: 1000, AggregateKeyType: 'IP' });
    expect(JSON.stringify(unsubscribe?.ScopeDownStatement)).toContain('"SearchString":"/unsubscribe"');
    expect(rate('RequestsPerIp')).toMatchObject({ Limit: 2000, AggregateKeyType: 'IP' });
    expect(
      rules.filter((rule) => rule.Statement.RateBasedStatement).every((r) => 'Block' in (r.Action as object)),
    ).toBe(true);
  });

  it('applies the AWS managed common rule set, and serves no /admin through CloudFront', () => {
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      // In priority order: the admin block first, the managed rules last.
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AdminNotThroughCloudFront',
          Action: { Block: {} },
          Statement: {
            ByteMatchStatement: Match.objectLike({
              SearchString: '/admin',
              PositionalConstraint: 'STARTS_WITH',
            }),
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
            }),
          },
          OverrideAction: { None: {} },
        }),
      ]),
    });
  });

  it('keeps the common rule set’s 8 KB body limit everywhere but the console’s CSV upload', () => {
    interface WafStatement {
      ManagedRuleGroupStatement: { RuleActionOverrides: unknown[] };
      AndStatement: { Statements: WafStatement[] };
      LabelMatchStatement: { Key: string };
      NotStatement: { Statement: WafStatement };
      RegexMatchStatement: { RegexString: string };
    }
    const [acl] = Object.values(edge.findResources('AWS::WAFv2::WebACL')) as {
      Properties: { Rules: { Name: string; Priority: number; Statement: WafStatement }[] };
    }[];
    const rules = acl?.Properties.Rules ?? [];
    const common = rules.find((rule) => rule.Name === 'AwsCommonRuleSet');
    expect(common?.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toContainEqual({
      Name: 'SizeRestrictions_BODY',
      ActionToUse: { Count: {} },
    });
    const large = rules.find((rule) => rule.Name === 'LargeBodyOnlyForImportUpload');
    expect(large?.Priority).toBeGreaterThan(common?.Priority ?? Number.POSITIVE_INFINITY);
    const [label, notUpload] = (large?.Statement.AndStatement.Statements ?? []) as WafStatement[];
    expect(label?.LabelMatchStatement.Key).toBe('awswaf:managed:aws:core-rule-set:SizeRestrictions_Body');
    const pattern = new RegExp(notUpload?.NotStatement.Statement.RegexMatchStatement.RegexString ?? '$^');
    expect(pattern.test('/console/campaigns/abcdefghijklmnop/import')).toBe(true);
    for (const path of ['/subscriptions', '/console/sign-in', '/console/campaigns/abcdefghijklmnop/import/x'])
      expect(pattern.test(path), path).toBe(false);
  });

  it('puts CloudFront, with that web ACL, in front of the API, caching nothing dynamic and forwarding what the handlers read', () => {
    const config = distribution();

    expect(JSON.stringify(config.WebACLId)).toContain('WebAclArn');
    expect(config.DefaultCacheBehavior).toMatchObject({
      // CachingDisabled and AllViewerExceptHostHeader (query strings, every header but Host, cookies).
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(
      expect.arrayContaining(['GET', 'HEAD', 'POST']),
    );
    const [origin] = config.Origins;
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.eu-west-2.');
    expect(origin.OriginCustomHeaders).toEqual([
      {
        HeaderName: 'x-origin-verify',
        HeaderValue: {
          'Fn::Join': [
            '',
            [
              '{{resolve:secretsmanager:',
              { Ref: expect.stringMatching(/^OriginVerifySecret/) },
              ':SecretString:::}}',
            ],
          ],
        },
      },
    ]);
  });

  it('lets public routes run only with CloudFront’s origin header (a Lambda authorizer reading the secret)', () => {
    const routes = Object.values(service.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    const publicRoutes = routes.filter((route) => !String(route.RouteKey).includes('/admin/'));

    expect(publicRoutes.length).toBeGreaterThan(5);
    expect(publicRoutes.every((route) => route.AuthorizationType === 'CUSTOM')).toBe(true);
    service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.x-origin-verify'],
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 300,
    });
    const authorizerPolicy = Object.entries(service.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.startsWith('OriginVerifyAuthorizerRole'),
    )?.[1];
    expect(JSON.stringify(authorizerPolicy?.Properties.PolicyDocument.Statement)).toContain(
      'secretsmanager:GetSecretValue',
    );
  });

  it('links emails to the CloudFront address by default', () => {
    const apiEnv = Object.values(service.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Environment?.Variables?.SES_TEMPLATE_PREFIX !== undefined,
    )?.Properties.Environment.Variables;
    expect(JSON.stringify(apiEnv?.PUBLIC_BASE_URL)).toContain('DomainName');
  });

  it('serves a custom domain with a us-east-1 certificate over TLS 1.2, and links emails to it', () => {
    const custom = build({
      stackName: 'EsrDomain',
      domainName: 'reminders.example.gov.uk',
      certificateArn: CERTIFICATE,
    });
    const template = Template.fromStack(custom.stack);
    const config = distribution(template);

    expect(config.Aliases).toEqual(['reminders.example.gov.uk']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    const urls = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.Environment?.Variables?.PUBLIC_BASE_URL)
      .filter(Boolean);
    expect(urls).toEqual(Array(5).fill('https://reminders.example.gov.uk'));
    expect(() => custom.app.synth()).not.toThrow();
  });

  it('refuses a domain without its certificate, and a certificate outside us-east-1', () => {
    expect(() => build({ domainName: 'reminders.example.gov.uk' })).toThrow(
      /domainName and -c certificateArn go together/,
    );
    expect(() =>
      build({
        domainName: 'reminders.example.gov.uk',
        certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-2'),
      }),
    ).toThrow(/certificateArn: an ACM certificate ARN in us-east-1/);
  });

  it('puts an international publicBaseUrl in punycode', () => {
    const idn = build({
      stackName: 'EsrIdn',
      publicBaseUrl: 'https://atgoffa.cymru-ddiogel.bücher.example/',
    });
    const urls = Object.values(Template.fromStack(idn.stack).findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.Environment?.Variables?.PUBLIC_BASE_URL)
      .filter(Boolean);
    expect(new Set(urls)).toEqual(new Set(['https://atgoffa.cymru-ddiogel.xn--bcher-kva.example']));
  });

  it('synthesises a long stack name with a custom domain with no unacknowledged cdk-nag finding', () => {
    const app = build({
      stackName: 'ElectionSecurityReminders-Staging',
      domainName: 'reminders.example.gov.uk',
      certificateArn: CERTIFICATE,
    }).app;
    expect(() => app.synth()).not.toThrow();
  });
});
