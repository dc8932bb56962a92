import { createOriginSecrets } from '../adapters/secrets/origin-secret';
import type { OriginVerifyConfig } from '../config';
import { clients } from './clients';

/** The origin-verify authorizer's dependency: the CloudFront header's secret, cached a few minutes. */
export const originVerifyDeps = (config: OriginVerifyConfig) =>
  createOriginSecrets(clients.secrets(), config.ORIGIN_SECRET_ARN);
