import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import {
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../errors';
import { header } from '../http/body';
import { type HttpResult, json } from '../http/responses';
import type { Route } from '../http/route';
import { validate } from '../http/validate';
import { createImport } from './create';
import { type ImportJob, MAX_IMPORT_BYTES, type ReportLine } from './model';
import type { ImportCreateDeps } from './ports';
import { IMPORT_ADMIN_ROUTES } from './route-table';

const jsonBodySchema = z.object({ csv: z.string({ error: 'csv must be the file as text' }) });
const statusQuerySchema = z.object({
  lines: z.enum(['all', 'none'], { error: 'lines must be all or none' }).default('all'),
});

/** The file from a `text/csv` body or a JSON `{"csv": "…"}` body, at most 4 MB (see MAX_IMPORT_BYTES). */
const importFile = (event: APIGatewayProxyEventV2): string => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new PayloadTooLargeError(
      `The file must be at most ${MAX_IMPORT_BYTES} bytes (about 20,000 rows fit).`,
    );
  }
  const text = bytes.toString('utf8');
  const mediaType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'text/csv') return text;
  if (mediaType === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new MalformedBodyError('The request body is not valid JSON.');
    }
    return validate(jsonBodySchema, value).csv;
  }
  throw new UnsupportedMediaTypeError('Send the file as text/csv, or as application/json {"csv": "…"}.');
};

/** Rows per second since the worker started, and the seconds left at that pace. */
const pace = (job: ImportJob, nowMs: number) => {
  const worked = job.done - job.rejectedAtUpload;
  const since = job.startedAt ? Date.parse(job.startedAt) : undefined;
  if (!since || worked <= 0 || job.state !== 'running') return {};
  const seconds = Math.max(0.001, (nowMs - since) / 1000);
  const rowsPerSecond = worked / seconds;
  return {
    rowsPerSecond: Math.round(rowsPerSecond * 10) / 10,
    secondsLeft: Math.ceil((job.total - job.done) / rowsPerSecond),
  };
};

/** A job as the admin API shows it: progress and counts, and (admins only) the report's lines. */
export const importView = (job: ImportJob, nowMs: number, lines?: ReportLine[]) => ({
  jobId: job.jobId,
  campaignId: job.campaignId,
  state: job.state,
  total: job.total,
  done: job.done,
  invited: job.invited,
  rejected: job.rejected,
  skipped: job.skipped,
  createdAt: job.createdAt,
  ...(job.startedAt ? { startedAt: job.startedAt } : {}),
  ...(job.firstInvitationAt ? { firstInvitationAt: job.firstInvitationAt } : {}),
  ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  ...(job.stopReason ? { stopReason: job.stopReason } : {}),
  ...pace(job, nowMs),
  ...(lines ? { lines } : {}),
});

export type ImportView = ReturnType<typeof importView>;

/** Admin import routes, spread into the admin API's routes (functions/lib/root/admin-api.ts). */
export const importAdminRoutes = (deps: ImportCreateDeps): Route[] => [
  {
    ...IMPORT_ADMIN_ROUTES.create,
    handler: async (event): Promise<HttpResult> => {
      const csv = importFile(event);
      const job = await createImport(deps, event.pathParameters?.id ?? '', csv);
      return json(202, importView(job, deps.clock.now().getTime()), {
        location: `/admin/imports/${job.jobId}`,
      });
    },
  },
  {
    ...IMPORT_ADMIN_ROUTES.status,
    handler: async (event): Promise<HttpResult> => {
      const query = validate(statusQuerySchema, event.queryStringParameters ?? {});
      const jobId = event.pathParameters?.jobId ?? '';
      const job = z.uuid().safeParse(jobId).success ? await deps.jobs.get(jobId) : undefined;
      if (!job) throw new NotFoundError(`There is no import ${jobId}.`);
      const lines = query.lines === 'all' ? await deps.jobs.report(jobId) : undefined;
      return json(200, importView(job, deps.clock.now().getTime(), lines));
    },
  },
];
