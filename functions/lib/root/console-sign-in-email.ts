import { createAdminStore } from '../adapters/dynamodb/admin-store';
import { createAuditLog } from '../adapters/dynamodb/audit-log';
import { createSignInLinkStore, createSignInThrottle } from '../adapters/dynamodb/console-store';
import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { createSignInMailer } from '../adapters/ses/sign-in-mailer';
import { createAdminDirectory } from '../admins/directory';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../audit/audit';
import type { ConsoleSignInEmailConfig } from '../config';
import type { SignInEmailDeps } from '../console/ports';
import { consoleKeys } from '../console/secrets';
import { clients } from './clients';
import { rootClock } from './clock';

/** The console's sign-in email worker's dependencies, built once per cold start. */
export const consoleSignInEmailDeps = (config: ConsoleSignInEmailConfig): SignInEmailDeps => {
  const dynamo = clients.dynamo();
  return {
    admins: createAdminDirectory(config.ESR_ADMINS, createAdminStore(dynamo, config.TABLE_NAME)),
    links: createSignInLinkStore(dynamo, config.TABLE_NAME),
    throttle: createSignInThrottle(dynamo, config.TABLE_NAME),
    mailer: createSignInMailer(clients.ses(), {
      from: config.SENDER_EMAIL,
      ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
    }),
    audit: createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: DEFAULT_AUDIT_RETENTION_DAYS }),
    keys: consoleKeys(createSecretKeyLoader(clients.secrets(), config.TOKEN_SECRET_ARN)),
    clock: rootClock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  };
};
