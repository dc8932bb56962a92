import { createSubjectDataStore } from '../adapters/dynamodb/subject-data';
import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { createSesMailer } from '../adapters/ses/mailer';
import type { SenderConfig } from '../config';
import type { SubjectRightsDeps } from '../subjects/ports';
import { subscriptionKeys } from '../subscriptions/keys';
import { clients } from './clients';
import { rootClock } from './clock';

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

/** Subject access and erasure: every item keyed by an address hash, and the hasher for the address. */
export const subjectRightsDeps = (
  dynamo: ReturnType<typeof clients.dynamo>,
  config: { TABLE_NAME: string; TOKEN_SECRET_ARN: string },
): SubjectRightsDeps => {
  const keys = secretKeys(config);
  return {
    store: createSubjectDataStore(dynamo, config.TABLE_NAME),
    hashEmail: async () => (await keys()).hashEmail,
    clock: rootClock,
  };
};
