import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface EdgeStackProps extends StackProps {
  /** Requests per IP address per 5 minutes: sign-up POSTs, unsubscribe POSTs, any request. */
  signUpRateLimit: number;
  unsubscribeRateLimit: number;
  ipRateLimit: number;
}

/** The sign-up and confirmation POSTs (the journey's forms), and the admin console's sign-in forms. */
const SIGN_UP_PATHS = ['/subscriptions', '/console/sign-in'];
/** One-click unsubscribes come from mail providers' servers, many people behind one address: a looser limit. */
const UNSUBSCRIBE_PATHS = ['/unsubscribe'];

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  // Sampled requests keep client IPs and full URIs (with link tokens) for hours: off, for privacy.
  sampledRequestsEnabled: false,
});

const pathStartsWith = (path: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: path,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

const anyOf = (statements: CfnWebACL.StatementProperty[]): CfnWebACL.StatementProperty =>
  statements.length === 1 ? (statements[0] as CfnWebACL.StatementProperty) : { orStatement: { statements } };

/** A POST to one of the paths (the scope of a rate-based rule). */
const postTo = (paths: string[]): CfnWebACL.StatementProperty => ({
  andStatement: {
    statements: [
      {
        byteMatchStatement: {
          fieldToMatch: { method: {} },
          positionalConstraint: 'EXACTLY',
          searchString: 'POST',
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
      anyOf(paths.map(pathStartsWith)),
    ],
  },
});

const ratePerIp = (
  name: string,
  priority: number,
  limit: number,
  scopeDownStatement?: CfnWebACL.StatementProperty,
): CfnWebACL.RuleProperty => ({
  name,
  priority,
  action: { block: {} },
  statement: {
    rateBasedStatement: {
      limit,
      aggregateKeyType: 'IP',
      evaluationWindowSec: 300,
      ...(scopeDownStatement ? { scopeDownStatement } : {}),
    },
  },
  visibilityConfig: visibility(name),
});

/**
 * CloudFront's AWS WAF web ACL. WAF for CloudFront must live in us-east-1, so this is a stack of its
 * own there; the service's stack takes the ACL's ARN through a CDK cross-region reference (an SSM
 * parameter the CDK writes into the service's region). Rules: the admin API is not served through
 * CloudFront (it is IAM-authorised on the API's own URL); per-IP rate limits on the sign-up POSTs,
 * the unsubscribe POSTs and on everything; then AWS's common rule set.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'election-security-reminders: per-IP rate limits and AWS common rules in front of the API',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('EsrWebAcl'),
      rules: [
        {
          name: 'AdminNotThroughCloudFront',
          priority: 0,
          action: { block: {} },
          statement: pathStartsWith('/admin'),
          visibilityConfig: visibility('AdminNotThroughCloudFront'),
        },
        ratePerIp('SignUpPostsPerIp', 1, props.signUpRateLimit, postTo(SIGN_UP_PATHS)),
        ratePerIp('UnsubscribePostsPerIp', 2, props.unsubscribeRateLimit, postTo(UNSUBSCRIBE_PATHS)),
        ratePerIp('RequestsPerIp', 3, props.ipRateLimit),
        {
          name: 'AwsCommonRuleSet',
          priority: 4,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: [
                // Mail providers' one-click unsubscribe POSTs need not carry a User-Agent: count, don't block.
                { name: 'NoUserAgent_HEADER', actionToUse: { count: {} } },
                // Bodies over 8 KB: only labelled here; the next rule blocks them except a console CSV upload.
                { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
              ],
            },
          },
          visibilityConfig: visibility('AwsCommonRuleSet'),
        },
        {
          // The common rule set's 8 KB body limit, kept for every path but the console's staff import
          // upload (a CSV of up to 4 MB; the console function checks its session, CSRF token and size).
          name: 'LargeBodyOnlyForImportUpload',
          priority: 5,
          action: { block: {} },
          statement: {
            andStatement: {
              statements: [
                {
                  labelMatchStatement: {
                    scope: 'LABEL',
                    key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
                  },
                },
                {
                  notStatement: {
                    statement: {
                      regexMatchStatement: {
                        regexString: '^/console/campaigns/[a-z2-7]{16}/import$',
                        fieldToMatch: { uriPath: {} },
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                  },
                },
              ],
            },
          },
          visibilityConfig: visibility('LargeBodyOnlyForImportUpload'),
        },
      ],
    });
  }
}
