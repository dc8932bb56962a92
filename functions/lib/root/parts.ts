import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { createSesMailer } from '../adapters/ses/mailer';
import type { SenderConfig } from '../config';
import { subscriptionKeys } from '../subscriptions/keys';
import { clients } from './clients';

/** Pieces more than one function's root builds the same way. */

/** The subscriber-mail sender (welcome, confirmation) from the sender variables. */
export const sesMailer = (config: Omit<SenderConfig, 'TOKEN_SECRET_ARN'>) =>
  createSesMailer(clients.ses(), {
    from: config.SENDER_EMAIL,
    templatePrefix: config.SES_TEMPLATE_PREFIX,
    configurationSet: config.SES_CONFIGURATION_SET,
  });

/** The link-signing keys, read from Secrets Manager on first use and kept (a failed read is retried). */
export const secretKeys = (config: Pick<SenderConfig, 'TOKEN_SECRET_ARN'>) =>
  subscriptionKeys(createSecretKeyLoader(clients.secrets(), config.TOKEN_SECRET_ARN));
