import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createSubscriptionRepository } from '../adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../adapters/dynamodb/suppression-list';
import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { createSesMailer } from '../adapters/ses/mailer';
import { createConfirmationQueue } from '../adapters/sqs/confirmation-queue';
import type { Clock } from '../clock';
import type { apiConfigSchema, confirmationEmailConfigSchema } from '../config';
import { subscriptionKeys } from './keys';
import type { ConfirmationDeps, SubscriptionDeps } from './ports';

type MailConfig = Pick<
  z.infer<typeof confirmationEmailConfigSchema>,
  'SENDER_EMAIL' | 'SES_TEMPLATE_PREFIX' | 'SES_CONFIGURATION_SET'
>;
const sesMailer = (ses: SESv2Client, config: MailConfig) =>
  createSesMailer(ses, {
    from: config.SENDER_EMAIL,
    templatePrefix: config.SES_TEMPLATE_PREFIX,
    configurationSet: config.SES_CONFIGURATION_SET,
  });

/**
 * The public API's dependencies, built once per cold start. The signing key is read from Secrets
 * Manager on first use and kept.
 */
export const buildSubscriptionDeps = (parts: {
  config: z.infer<typeof apiConfigSchema>;
  dynamo: DynamoDBDocumentClient;
  ses: SESv2Client;
  sqs: SQSClient;
  secrets: Parameters<typeof createSecretKeyLoader>[0];
  clock: Clock;
}): SubscriptionDeps => {
  const { config } = parts;
  return {
    campaigns: createCampaignRepository(parts.dynamo, config.TABLE_NAME),
    subscriptions: createSubscriptionRepository(parts.dynamo, config.TABLE_NAME),
    mailer: sesMailer(parts.ses, config),
    confirmations: createConfirmationQueue(parts.sqs, config.CONFIRMATION_QUEUE_URL),
    keys: subscriptionKeys(createSecretKeyLoader(parts.secrets, config.TOKEN_SECRET_ARN)),
    clock: parts.clock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    senderEmail: config.SENDER_EMAIL,
    retentionDays: config.SUBSCRIPTION_RETENTION_DAYS,
  };
};

/** The confirmation-email worker's dependencies, built once per cold start. */
export const buildConfirmationDeps = (parts: {
  config: z.infer<typeof confirmationEmailConfigSchema>;
  dynamo: DynamoDBDocumentClient;
  ses: SESv2Client;
  secrets: Parameters<typeof createSecretKeyLoader>[0];
  clock: Clock;
}): ConfirmationDeps => {
  const { config } = parts;
  return {
    campaigns: createCampaignRepository(parts.dynamo, config.TABLE_NAME),
    subscriptions: createSubscriptionRepository(parts.dynamo, config.TABLE_NAME),
    suppressed: createSuppressionList(parts.dynamo, config.TABLE_NAME).has,
    mailer: sesMailer(parts.ses, config),
    keys: subscriptionKeys(createSecretKeyLoader(parts.secrets, config.TOKEN_SECRET_ARN)),
    clock: parts.clock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  };
};
