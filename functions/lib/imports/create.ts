import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors';
import { logger } from '../logger';
import { parseImportCsv } from './csv';
import { CHUNK_ROWS, type ImportJob, type ImportRow } from './model';
import type { ImportCreateDeps } from './ports';

/**
 * Creates an import job from a file: reads and checks it (a file that is not a usable CSV is refused
 * whole, a bad row is reported by line), stores the rows to invite in chunks and the rejected lines
 * in the job's report, and queues the job. Nobody is invited here: the worker does that at the SES
 * rate, off the request.
 */
export const createImport = async (
  deps: ImportCreateDeps,
  campaignId: string,
  csv: string,
): Promise<ImportJob> => {
  const campaign = await deps.campaigns.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError(`There is no campaign ${campaignId}.`);
  if (campaign.status !== 'open') {
    throw new ConflictError(`Campaign ${campaignId} is ${campaign.status}: nobody can be invited to it.`);
  }
  const parsed = parseImportCsv(csv);
  const chunks: ImportRow[][] = [];
  for (let start = 0; start < parsed.rows.length; start += CHUNK_ROWS) {
    chunks.push(parsed.rows.slice(start, start + CHUNK_ROWS));
  }
  const at = deps.clock.now().toISOString();
  const job: ImportJob = {
    jobId: (deps.newJobId ?? randomUUID)(),
    campaignId,
    state: 'queued',
    total: parsed.total,
    rejectedAtUpload: parsed.rejected.length,
    queuedRows: parsed.rows.length,
    chunks: chunks.length,
    cursor: 0,
    done: parsed.rejected.length,
    invited: 0,
    rejected: parsed.rejected.length,
    skipped: 0,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await deps.jobs.create(job, chunks, parsed.rejected);
  await deps.queue.enqueue(job.jobId);
  logger.info('Import queued', {
    jobId: job.jobId,
    campaignId,
    total: job.total,
    queuedRows: job.queuedRows,
    rejectedAtUpload: job.rejectedAtUpload,
  });
  return job;
};
