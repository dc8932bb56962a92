import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { originVerifyConfigSchema, parseConfig } from './lib/config';
import { cameThroughCloudFront } from './lib/edge/origin-verify';
import { originVerifyDeps } from './lib/root/origin-verify';
import { tracer } from './lib/tracer';

const secrets = originVerifyDeps(parseConfig(originVerifyConfigSchema));

/**
 * HTTP API Lambda authorizer (simple responses) on every public route: only requests that came
 * through CloudFront, and so through its WAF web ACL, reach the API. API Gateway caches the answer
 * per header value for a few minutes.
 */
export const handler = middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult>()
  .use(captureLambdaHandler(tracer))
  .handler(async (event) => ({ isAuthorized: await cameThroughCloudFront(secrets, event.headers) }));
