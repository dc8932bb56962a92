import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { createAdminStore } from '../adapters/dynamodb/admin-store';
import { createAuditLog } from '../adapters/dynamodb/audit-log';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import {
  createSessionStore,
  createSignInLinkStore,
  createSignInThrottle,
} from '../adapters/dynamodb/console-store';
import { createSubscriberCounts } from '../adapters/dynamodb/subscriber-counts';
import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { createSignInMailer } from '../adapters/ses/sign-in-mailer';
import { createSignInQueue } from '../adapters/sqs/sign-in-queue';
import { createAdminDirectory } from '../admins/directory';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../audit/audit';
import type { Clock } from '../clock';
import type { consoleConfigSchema, consoleSignInEmailConfigSchema } from '../config';
import { isLoopbackUrl } from './cookies';
import type { ConsoleDeps, SignInEmailDeps } from './ports';
import { consoleKeys } from './secrets';

type Secrets = Parameters<typeof createSecretKeyLoader>[0];

/** The console's dependencies, built once per cold start. */
export const buildConsoleDeps = (parts: {
  config: z.infer<typeof consoleConfigSchema>;
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
  secrets: Secrets;
  clock: Clock;
}): ConsoleDeps => {
  const { config, dynamo } = parts;
  return {
    admins: createAdminDirectory(config.ESR_ADMINS, createAdminStore(dynamo, config.TABLE_NAME)),
    sessions: createSessionStore(dynamo, config.TABLE_NAME),
    links: createSignInLinkStore(dynamo, config.TABLE_NAME),
    signIns: createSignInQueue(parts.sqs, config.SIGN_IN_QUEUE_URL),
    audit: createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: DEFAULT_AUDIT_RETENTION_DAYS }),
    campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
    counts: createSubscriberCounts(dynamo, config.TABLE_NAME),
    keys: consoleKeys(createSecretKeyLoader(parts.secrets, config.TOKEN_SECRET_ARN)),
    clock: parts.clock,
    secureCookies: !isLoopbackUrl(config.PUBLIC_BASE_URL),
  };
};

/** The sign-in email worker's dependencies, built once per cold start. */
export const buildSignInEmailDeps = (parts: {
  config: z.infer<typeof consoleSignInEmailConfigSchema>;
  dynamo: DynamoDBDocumentClient;
  ses: SESv2Client;
  secrets: Secrets;
  clock: Clock;
}): SignInEmailDeps => {
  const { config, dynamo } = parts;
  return {
    admins: createAdminDirectory(config.ESR_ADMINS, createAdminStore(dynamo, config.TABLE_NAME)),
    links: createSignInLinkStore(dynamo, config.TABLE_NAME),
    throttle: createSignInThrottle(dynamo, config.TABLE_NAME),
    mailer: createSignInMailer(parts.ses, {
      from: config.SENDER_EMAIL,
      ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
    }),
    audit: createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: DEFAULT_AUDIT_RETENTION_DAYS }),
    keys: consoleKeys(createSecretKeyLoader(parts.secrets, config.TOKEN_SECRET_ARN)),
    clock: parts.clock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  };
};
