import { CfnOutput, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ADMIN_API_PROXY } from '../../functions/lib/http/api-routes';
import type { EsrFunction } from './esr-function';

export interface HttpApiProps {
  logRetention: RetentionDays;
  rateLimit: number;
  burstLimit: number;
  /** The authorizer of every public route: only requests through CloudFront (origin-verify header). */
  publicAuthorizer?: IHttpRouteAuthorizer;
}

/**
 * The HTTP API (payload 2.0). Public routes are listed one by one (as functions/lib/http/api-routes.ts
 * declares them); `/admin/*` goes to the admin function behind IAM (SigV4) authorisation. The stage
 * throttles every route and writes access logs without IP addresses or query strings (a token in a
 * link must never reach a log).
 */
export class EsrHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly publicAuthorizer?: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.publicAuthorizer = props.publicAuthorizer;
    this.api = new HttpApi(this, 'Api', {
      createDefaultStage: false,
      description: 'election-security-reminders',
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint, description: 'The HTTP API base URL' });
  }

  /**
   * Public routes: anyone may call them through CloudFront (the origin-verify authorizer, when given);
   * without one, nag's authorisation rule is acknowledged per route.
   */
  addPublicRoutes(fn: EsrFunction, routes: readonly { method: `${HttpMethod}`; path: string }[]): void {
    const integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn.fn);
    // Every GET answers HEAD too (the handlers serve it: withHeadAndMethodNotAllowed), as HTTP says a page should.
    const listed = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const withHead = routes.flatMap((route) =>
      route.method === HttpMethod.GET && !listed.has(`${HttpMethod.HEAD} ${route.path}`)
        ? [route, { method: HttpMethod.HEAD, path: route.path }]
        : [route],
    );
    for (const route of withHead) {
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        ...(this.publicAuthorizer ? { authorizer: this.publicAuthorizer } : {}),
      });
      if (created && !this.publicAuthorizer) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (health, open campaigns, sign-up and one-click unsubscribe); the stage throttles it.`,
        });
      }
    }
  }

  /** Admin routes: IAM (SigV4) authorisation, so only principals granted execute-api:Invoke can call them. */
  addAdminRoutes(fn: EsrFunction): void {
    const integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn.fn);
    this.api.addRoutes({
      path: ADMIN_API_PROXY.path,
      methods: [ADMIN_API_PROXY.method as HttpMethod],
      integration,
      authorizer: new HttpIamAuthorizer(),
    });
  }
}
