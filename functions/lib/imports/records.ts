import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../logger';
import type { ImportWorkerDeps } from './ports';
import { runImport } from './run';

/** What the import queue carries: the job's id, nothing else. */
export const importMessageSchema = z.object({ jobId: z.uuid() });

/** The import queue's consumer, the same in AWS (event source mapping, redrive) and locally. */
export const IMPORT_CONSUMER = { batchSize: 1, maxConcurrency: 2, maxReceiveCount: 5 } as const;

/**
 * The import queue's consumer: each record on its own, partial batch failures. A malformed record is
 * logged (its message id) and left to reach the dead-letter queue through retries; a job that fails
 * comes back and resumes from its cursor.
 */
export const processImportRecords = async (
  deps: ImportWorkerDeps,
  records: SQSRecord[],
  remainingMs: () => number,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    let parsed: ReturnType<typeof importMessageSchema.safeParse>;
    try {
      parsed = importMessageSchema.safeParse(JSON.parse(record.body));
    } catch {
      parsed = importMessageSchema.safeParse(undefined);
    }
    if (!parsed.success) {
      logger.error('Malformed import message', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await runImport(deps, parsed.data.jobId, remainingMs);
      logger.info('Import invocation ended', { jobId: parsed.data.jobId, outcome });
    } catch (error) {
      logger.warn('Import failed; the message will be retried', {
        jobId: parsed.data.jobId,
        messageId: record.messageId,
        errorName: (error as Error)?.name,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
