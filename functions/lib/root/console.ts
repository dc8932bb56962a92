import { createAdminStore } from '../adapters/dynamodb/admin-store';
import { createAuditLog } from '../adapters/dynamodb/audit-log';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createSessionStore, createSignInLinkStore } from '../adapters/dynamodb/console-store';
import { createSubscriberCounter } from '../adapters/dynamodb/subscriber-counter';
import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { createSignInQueue } from '../adapters/sqs/sign-in-queue';
import { createAdminDirectory } from '../admins/directory';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../audit/audit';
import type { ConsoleConfig } from '../config';
import { isLoopbackUrl } from '../console/cookies';
import type { ConsoleRoute } from '../console/http';
import type { ConsoleDeps } from '../console/ports';
import { consoleRoutes } from '../console/routes';
import { consoleKeys } from '../console/secrets';
import { withHeadAndMethodNotAllowed } from '../http/methods';
import type { Route } from '../http/route';
import { clients } from './clients';
import { rootClock } from './clock';

/** The console's dependencies, built once per cold start. */
export const consoleDeps = (config: ConsoleConfig): ConsoleDeps => {
  const dynamo = clients.dynamo();
  return {
    admins: createAdminDirectory(config.ESR_ADMINS, createAdminStore(dynamo, config.TABLE_NAME)),
    sessions: createSessionStore(dynamo, config.TABLE_NAME),
    links: createSignInLinkStore(dynamo, config.TABLE_NAME),
    signIns: createSignInQueue(clients.sqs(), config.SIGN_IN_QUEUE_URL),
    audit: createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: DEFAULT_AUDIT_RETENTION_DAYS }),
    campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
    counts: createSubscriberCounter(dynamo, config.TABLE_NAME),
    keys: consoleKeys(createSecretKeyLoader(clients.secrets(), config.TOKEN_SECRET_ARN)),
    clock: rootClock,
    secureCookies: !isLoopbackUrl(config.PUBLIC_BASE_URL),
  };
};

/**
 * The console's router table: the shell's pages and `pages` (the campaign pages) behind the session
 * layer, with HEAD for each GET and 405 for other methods.
 */
export const consoleRouteTable = (config: ConsoleConfig, pages: ConsoleRoute[] = []): Route[] =>
  withHeadAndMethodNotAllowed(consoleRoutes(consoleDeps(config), pages));
