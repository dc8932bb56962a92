import { CfnOutput, Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../functions/lib/edge/origin-verify';
import { EsrFunction } from './esr-function';

/**
 * The secret CloudFront sends to the API as an origin header, and the HTTP API Lambda authorizer that
 * lets a public route run only when it is there (HTTP APIs have no resource policy and no WAF of their
 * own, so this is how the API accepts only requests that came through CloudFront and its WAF).
 */
export class OriginVerify extends Construct {
  readonly secret: Secret;
  readonly fn: EsrFunction;
  readonly authorizer: HttpLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: { logRetention: RetentionDays }) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'CloudFront → API origin-verify header value (election-security-reminders)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by the operator in two steps, without downtime (README "Rotating the origin secret"): put-secret-value makes a new AWSCURRENT while the authorizer still accepts AWSPREVIOUS, then a deploy with -c originSecretVersionId=<new VersionId> makes CloudFront send the new value. A Secrets Manager rotation function would have to rewrite the CloudFront distribution behind CloudFormation’s back.',
    });
    this.fn = new EsrFunction(this, 'Authorizer', {
      entry: 'origin-verify',
      description:
        'HTTP API authorizer: only requests through CloudFront (origin-verify header) reach the API',
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: { ORIGIN_SECRET_ARN: this.secret.secretArn },
    });
    this.fn.grantSecretRead(this.secret);
    this.authorizer = new HttpLambdaAuthorizer('OriginVerify', this.fn.fn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // No header: API Gateway answers 401 without invoking the function.
      identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
      resultsCacheTtl: Duration.minutes(5),
    });
  }
}

export interface PublicCdnProps {
  api: HttpApi;
  originVerify: OriginVerify;
  /** The AWS WAF web ACL (scope CLOUDFRONT, in us-east-1). */
  webAclArn: string;
  domainName?: string;
  /** An ACM certificate in us-east-1 covering `domainName`. */
  certificateArn?: string;
  /** The secret version CloudFront sends; its current version when unset. */
  originSecretVersionId?: string;
}

/**
 * CloudFront in front of the HTTP API, with the WAF web ACL. Nothing dynamic is cached (CachingDisabled)
 * and everything the handlers read is forwarded (every viewer header but Host, the query string,
 * cookies, the POST body of forms and of one-click unsubscribes); only /assets/* is cached.
 */
export class PublicCdn extends Construct {
  readonly distribution: Distribution;
  /** The public base URL: https://<domainName>, or the distribution's own domain. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PublicCdnProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const originSecret = SecretValue.secretsManager(props.originVerify.secret.secretArn, {
      ...(props.originSecretVersionId ? { versionId: props.originSecretVersionId } : {}),
    });
    const origin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      // CloudFront overwrites a viewer's header of the same name, so it cannot be forged through it.
      customHeaders: { [ORIGIN_VERIFY_HEADER]: originSecret.unsafeUnwrap() },
    });
    const certificate = props.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'election-security-reminders public API and pages',
      defaultBehavior: {
        origin,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      },
      additionalBehaviors: {
        // govuk-frontend's CSS, fonts and images: the same for everyone.
        '/assets/*': {
          origin,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        },
      },
      webAclId: props.webAclArn,
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(certificate && props.domainName
        ? {
            domainNames: [props.domainName],
            certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'No CloudFront access logs on purpose: they would keep every client IP address and every query string, and link tokens travel in query strings. API Gateway access logs (no IP, no query) and the WAF metrics cover operations.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: UK candidates, agents and officials may be abroad when they sign up or unsubscribe, and an unsubscribe must always work.',
    });
    if (!certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without -c domainName the distribution uses the *.cloudfront.net certificate, whose TLS policy CloudFront sets; with a custom domain the stack sets TLSv1.2_2021.',
      });
    }
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
    new CfnOutput(this, 'PublicUrl', {
      value: this.url,
      description: 'The public address (CloudFront): sign-up pages and links in emails',
    });
    if (props.domainName) {
      new CfnOutput(this, 'DnsTarget', {
        value: this.distribution.distributionDomainName,
        description: `Point ${props.domainName} here (CNAME, or a Route 53 alias)`,
      });
    }
  }
}
