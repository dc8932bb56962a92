import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ImportJob,
  type ImportRow,
  JOB_RETENTION_DAYS,
  REPORT_RETENTION_DAYS,
  type ReportLine,
} from '../../imports/model';
import type { ImportJobStore } from '../../imports/ports';
import { keys } from '../../storage/table';
import { unlessConditionFails } from './conditions';

const DAY_SECONDS = 24 * 60 * 60;
const REPORT_CHUNK = 500;
/** Chunk writes in flight at once when a job is created (40 chunks for 20,000 rows). */
const WRITE_CONCURRENCY = 4;

const toJob = (item: Record<string, unknown>): ImportJob => {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...job } = item;
  return job as unknown as ImportJob;
};

const inBatches = async <T>(items: T[], size: number, work: (item: T) => Promise<void>) => {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(work));
  }
};

/**
 * Import jobs in the one table, under `IMPORT#<jobId>`: the job item (counts, cursor, who holds it),
 * chunk items of rows to invite (deleted once finished; 7-day TTL in case a job never ends) and
 * report items (7-day TTL). Progress is one conditional update on the cursor and the holder.
 */
export const createImportJobStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): ImportJobStore => {
  const epoch = () => Math.floor(now().getTime() / 1000);
  const reportExpiry = () => epoch() + REPORT_RETENTION_DAYS * DAY_SECONDS;
  const putReport = (jobId: string, key: string, lines: ReportLine[]) =>
    client
      .send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.importReport(jobId, key), type: 'import-report', lines, expiresAt: reportExpiry() },
        }),
      )
      .then(() => undefined);

  return {
    async create(job, chunks, rejected) {
      await inBatches(
        chunks.map((rows, index) => ({ rows, index })),
        WRITE_CONCURRENCY,
        async ({ rows, index }) => {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                ...keys.importChunk(job.jobId, index),
                type: 'import-chunk',
                rows,
                expiresAt: reportExpiry(),
              },
            }),
          );
        },
      );
      const reportChunks: { key: string; lines: ReportLine[] }[] = [];
      for (let start = 0; start < rejected.length; start += REPORT_CHUNK) {
        reportChunks.push({
          key: `upload-${String(start).padStart(6, '0')}`,
          lines: rejected.slice(start, start + REPORT_CHUNK),
        });
      }
      await inBatches(reportChunks, WRITE_CONCURRENCY, ({ key, lines }) => putReport(job.jobId, key, lines));
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.importJob(job.jobId),
            type: 'import-job',
            ...job,
            expiresAt: epoch() + JOB_RETENTION_DAYS * DAY_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(jobId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.importJob(jobId), ConsistentRead: true }),
      );
      return Item ? toJob(Item) : undefined;
    },

    async chunk(jobId, index) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.importChunk(jobId, index), ConsistentRead: true }),
      );
      return Item ? (Item.rows as ImportRow[]) : undefined;
    },

    async deleteChunk(jobId, index) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: keys.importChunk(jobId, index) }));
    },

    async acquire(jobId, owner, until, nowMs, at) {
      const result = await unlessConditionFails(
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.importJob(jobId),
            UpdateExpression:
              'SET #lease = :lease, #state = :running, #startedAt = if_not_exists(#startedAt, :at), #updatedAt = :at ADD #version :one',
            ConditionExpression:
              'attribute_exists(pk) AND #state IN (:queued, :running) AND (attribute_not_exists(#lease) OR #lease.#until < :now OR #lease.#owner = :owner)',
            ExpressionAttributeNames: {
              '#lease': 'lease',
              '#state': 'state',
              '#startedAt': 'startedAt',
              '#updatedAt': 'updatedAt',
              '#version': 'version',
              '#until': 'until',
              '#owner': 'owner',
            },
            ExpressionAttributeValues: {
              ':lease': { owner, until },
              ':running': 'running',
              ':queued': 'queued',
              ':at': at,
              ':one': 1,
              ':now': nowMs,
              ':owner': owner,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toJob(result.Attributes) : undefined;
    },

    async advance(jobId, progress) {
      const written = await unlessConditionFails(
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.importJob(jobId),
            UpdateExpression: `SET #cursor = :to, #lease.#until = :until, #updatedAt = :at${
              progress.firstInvitationAt ? ', #first = if_not_exists(#first, :first)' : ''
            } ADD #done :rows, #invited :invited, #rejected :rejected, #skipped :skipped, #version :one`,
            ConditionExpression: '#state = :running AND #cursor = :from AND #lease.#owner = :owner',
            ExpressionAttributeNames: {
              '#cursor': 'cursor',
              '#lease': 'lease',
              '#until': 'until',
              '#owner': 'owner',
              '#updatedAt': 'updatedAt',
              '#state': 'state',
              '#done': 'done',
              '#invited': 'invited',
              '#rejected': 'rejected',
              '#skipped': 'skipped',
              '#version': 'version',
              ...(progress.firstInvitationAt ? { '#first': 'firstInvitationAt' } : {}),
            },
            ExpressionAttributeValues: {
              ':to': progress.to,
              ':from': progress.from,
              ':until': progress.leaseUntil,
              ':at': progress.at,
              ':rows': progress.to - progress.from,
              ':invited': progress.add.invited,
              ':rejected': progress.add.rejected,
              ':skipped': progress.add.skipped,
              ':one': 1,
              ':running': 'running',
              ':owner': progress.owner,
              ...(progress.firstInvitationAt ? { ':first': progress.firstInvitationAt } : {}),
            },
          }),
        ),
      );
      return written !== undefined;
    },

    async release(jobId, owner) {
      await unlessConditionFails(
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.importJob(jobId),
            UpdateExpression: 'REMOVE #lease',
            ConditionExpression: '#lease.#owner = :owner',
            ExpressionAttributeNames: { '#lease': 'lease', '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        ),
      );
    },

    async finish(jobId, owner, state, at, stopReason) {
      await unlessConditionFails(
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.importJob(jobId),
            UpdateExpression: `SET #state = :state, #finishedAt = :at, #updatedAt = :at${
              stopReason ? ', #stopReason = :reason' : ''
            } REMOVE #lease ADD #version :one`,
            ConditionExpression: '#lease.#owner = :owner',
            ExpressionAttributeNames: {
              '#state': 'state',
              '#finishedAt': 'finishedAt',
              '#updatedAt': 'updatedAt',
              '#lease': 'lease',
              '#owner': 'owner',
              '#version': 'version',
              ...(stopReason ? { '#stopReason': 'stopReason' } : {}),
            },
            ExpressionAttributeValues: {
              ':state': state,
              ':at': at,
              ':owner': owner,
              ':one': 1,
              ...(stopReason ? { ':reason': stopReason } : {}),
            },
          }),
        ),
      );
    },

    putReport,

    async report(jobId) {
      const lines: ReportLine[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.importJob(jobId).pk,
            ':prefix': keys.importReportSkPrefix,
          },
          ConsistentRead: true,
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? []) lines.push(...(item.lines as ReportLine[]));
      return lines.sort((a, b) => a.line - b.line);
    },
  };
};
