import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createSubscriptionRepository } from '../adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../adapters/dynamodb/suppression-list';
import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { createSesMailer } from '../adapters/ses/mailer';
import type { Clock } from '../clock';
import type { apiConfigSchema } from '../config';
import { subscriptionKeys } from './keys';
import type { SubscriptionDeps } from './ports';

/**
 * The public API's dependencies, built once per cold start. The signing key is read from Secrets
 * Manager on first use and kept.
 */
export const buildSubscriptionDeps = (parts: {
  config: z.infer<typeof apiConfigSchema>;
  dynamo: DynamoDBDocumentClient;
  ses: SESv2Client;
  secrets: Parameters<typeof createSecretKeyLoader>[0];
  clock: Clock;
}): SubscriptionDeps => {
  const { config } = parts;
  return {
    campaigns: createCampaignRepository(parts.dynamo, config.TABLE_NAME),
    subscriptions: createSubscriptionRepository(parts.dynamo, config.TABLE_NAME),
    suppressed: createSuppressionList(parts.dynamo, config.TABLE_NAME).has,
    mailer: createSesMailer(parts.ses, {
      from: config.SENDER_EMAIL,
      templatePrefix: config.SES_TEMPLATE_PREFIX,
      configurationSet: config.SES_CONFIGURATION_SET,
    }),
    keys: subscriptionKeys(createSecretKeyLoader(parts.secrets, config.TOKEN_SECRET_ARN)),
    clock: parts.clock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    retentionDays: config.SUBSCRIPTION_RETENTION_DAYS,
  };
};
