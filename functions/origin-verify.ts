import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { z } from 'zod';
import { createOriginSecrets } from './lib/adapters/secrets/origin-secret';
import { secretsClient } from './lib/adapters/secrets/token-key';
import { parseConfig } from './lib/config';
import { cameThroughCloudFront } from './lib/edge/origin-verify';

const config = parseConfig(
  z.object({
    ORIGIN_SECRET_ARN: z
      .string()
      .regex(/^arn:aws[\w-]*:secretsmanager:/, 'ORIGIN_SECRET_ARN must be a Secrets Manager secret ARN'),
  }),
);
const secrets = createOriginSecrets(secretsClient, config.ORIGIN_SECRET_ARN);

/**
 * HTTP API Lambda authorizer (simple responses) on every public route: only requests that came
 * through CloudFront, and so through its WAF web ACL, reach the API. API Gateway caches the answer
 * per header value for a few minutes.
 */
export const handler = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerResult> => ({
  isAuthorized: await cameThroughCloudFront(secrets, event.headers),
});
