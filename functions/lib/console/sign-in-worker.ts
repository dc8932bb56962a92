import type { SQSRecord } from 'aws-lambda';
import { logger } from '../logger';
import type { SignInEmailDeps } from './ports';
import { sendSignInLink, signInRequestSchema } from './sign-in';

/** The sign-in queue's consumer, the same in AWS (event source mapping, redrive) and locally. */
export const SIGN_IN_CONSUMER = { batchSize: 5, maxConcurrency: 2, maxReceiveCount: 5 } as const;

/**
 * Each queued sign-in request on its own, with partial batch failures. Logs carry the message id
 * and the outcome only: whether an address may sign in is not something to log beside its hash.
 */
export const processSignInRecords = async (
  deps: SignInEmailDeps,
  records: SQSRecord[],
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    let parsed: ReturnType<typeof signInRequestSchema.safeParse>;
    try {
      parsed = signInRequestSchema.safeParse(JSON.parse(record.body));
    } catch {
      parsed = signInRequestSchema.safeParse(undefined);
    }
    if (!parsed.success) {
      logger.error('Malformed sign-in request', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await sendSignInLink(deps, parsed.data, record.messageId);
      logger.info('Sign-in request handled', { messageId: record.messageId, outcome });
    } catch (error) {
      logger.warn('Sign-in email failed; the message will be retried', {
        messageId: record.messageId,
        errorName: (error as Error)?.name,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
