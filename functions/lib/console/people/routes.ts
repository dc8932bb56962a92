import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import type { AuditLog } from '../../audit/ports';
import type { CampaignRepository } from '../../campaigns/ports';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { type HttpResult, html, json } from '../../http/responses';
import { createImport } from '../../imports/create';
import { MAX_IMPORT_BYTES, type ReportLine } from '../../imports/model';
import type { ImportCreateDeps } from '../../imports/ports';
import { importView } from '../../imports/routes';
import type { SubjectData } from '../../subjects/model';
import type { SubjectRightsDeps } from '../../subjects/ports';
import { eraseSubject, exportSubjectData, subjectRequestSchema } from '../../subjects/subject-rights';
import type { ConsoleContext, ConsoleRoute } from '../http';
import { type PeopleView, peopleAsset, renderPeopleView } from './render';

/** What the import and subscriber pages need: the imports core, the subject-rights core, the audit log. */
export interface PeopleConsoleDeps {
  imports: ImportCreateDeps;
  /** With the console's audit log: exports and erasures are written down, counts only. */
  subjects: SubjectRightsDeps;
  campaigns: Pick<CampaignRepository, 'getCampaign'>;
  audit: AuditLog;
}

const BASE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** The job page runs one same-origin script, which fetches the job's progress from the same origin. */
const JOB_CSP = `${BASE_CSP}; script-src 'self'; connect-src 'self'`;

/** A multipart body carries the file plus a little framing (boundaries, part headers, the CSRF field). */
const UPLOAD_FRAMING_BYTES = 64 * 1024;

const REASON_TEXT: Record<ReportLine['reason'], string> = {
  'malformed-address': 'Not an email address',
  'unknown-role': 'Not a role the service knows',
  'invalid-name': 'Name has characters a name cannot have',
  'duplicate-in-file': 'Address appears earlier in the file',
  suppressed: 'Address bounced or complained',
  unsubscribed: 'Left this campaign; their choice stands',
  erased: 'Erased at their request',
  'already-invited': 'Already invited (not counted as rejected)',
  'already-subscribed': 'Already subscribed (not counted as rejected)',
};

const STATE_TEXT: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  stopped: 'Stopped',
};

const page = (
  status: number,
  view: PeopleView,
  context: Pick<ConsoleContext, 'admin' | 'csrfToken'>,
  data: Record<string, unknown>,
  csp = BASE_CSP,
): HttpResult =>
  html(status, renderPeopleView(view, { ...data, admin: context.admin, csrfToken: context.csrfToken }), {
    'content-security-policy': csp,
  });

const campaignPath = (id: string) => `/console/campaigns/${encodeURIComponent(id)}`;
const jobPath = (jobId: string) => `/console/imports/${encodeURIComponent(jobId)}`;

/** Field errors in the GOV.UK error summary's shape, each linked to its field. */
const fieldError = (field: string, text: string) => ({
  errors: [{ text, href: `#${field}` }],
  error: { [field]: text },
});

/** The job's progress as the page and its script show it (the same figures as `esr import status`). */
const jobFigures = (view: ReturnType<typeof importView>) => ({
  ...view,
  stateText: STATE_TEXT[view.state] ?? view.state,
  percent: view.total > 0 ? Math.floor((view.done / view.total) * 100) : 100,
  finished: view.state === 'done' || view.state === 'stopped',
  lines: (view.lines ?? []).map((line) => ({ ...line, reasonText: REASON_TEXT[line.reason] ?? line.reason })),
});

const jobIdOf = (event: APIGatewayProxyEventV2) => {
  const jobId = event.pathParameters?.jobId ?? '';
  return z.uuid().safeParse(jobId).success ? jobId : undefined;
};

/** How the subscriber data page shows what is held: readable rows, the raw data in the JSON download. */
const readable = (data: SubjectData) => ({
  subscriptions: data.subscriptions.map((subscription) => ({
    campaignId: subscription.campaignId,
    email: subscription.email ?? '(removed)',
    name: subscription.name ?? '(none)',
    role: subscription.role,
    status: subscription.status,
    source: subscription.source,
    consentAt: subscription.consentAt,
    confirmedAt: subscription.confirmedAt ?? '',
    unsubscribedAt: subscription.unsubscribedAt ?? '',
    history: subscription.history.map((entry) => `${entry.at} ${entry.event} (${entry.source})`),
  })),
  throttles: data.confirmationThrottles.map((throttle) => ({
    campaignId: throttle.campaignId,
    sentAt: throttle.sentAt.join(', '),
  })),
  deliveries: data.deliveries.map((delivery) => ({
    campaignId: delivery.campaignId,
    stepKey: delivery.stepKey,
    claimedAt: delivery.claimedAt ?? '',
    outcomes: delivery.outcomes
      .map((outcome) => [outcome.status, outcome.reason ?? outcome.messageId].filter(Boolean).join(': '))
      .join('; '),
  })),
  suppression: data.suppression,
  erasure: data.erasure,
  nothing:
    data.subscriptions.length === 0 &&
    data.confirmationThrottles.length === 0 &&
    data.deliveries.length === 0 &&
    !data.suppression &&
    !data.erasure,
});

const eraseFormSchema = z.object({ email: subjectRequestSchema.shape.email, confirm: z.literal('yes') });

/**
 * The console's import pages (editors and approvers) and subject access and erasure (approvers).
 * The subscriber's address travels in form bodies only, never in a URL, a log line or the audit log.
 */
export const peopleConsoleRoutes = (deps: PeopleConsoleDeps): ConsoleRoute[] => {
  /** The subscriber form (or the erase confirmation) again, 400, naming the field that is wrong. */
  const subscriberProblem = (context: ConsoleContext, field: string, email: string) =>
    page(400, field === 'confirm' ? 'subscriber-erase' : 'subscribers', context, {
      email,
      section: 'subscribers',
      ...fieldError(
        field,
        field === 'confirm'
          ? 'Confirm that this person asked for their details to be deleted'
          : 'Enter an email address in the correct format, like name@example.com',
      ),
    });

  const uploadPage = async (
    event: APIGatewayProxyEventV2,
    context: ConsoleContext,
    status = 200,
    extra: Record<string, unknown> = {},
  ) => {
    const id = event.pathParameters?.id ?? '';
    const campaign = await deps.campaigns.getCampaign(id);
    if (!campaign) return page(404, 'import-upload', context, { missing: true });
    return page(status, 'import-upload', context, {
      campaign,
      open: campaign.status === 'open',
      campaignPath: campaignPath(id),
      maxRows: '20,000',
      section: 'campaigns',
      ...extra,
    });
  };

  return [
    {
      method: 'GET',
      path: '/console/campaigns/{id}/import',
      permission: 'edit',
      handler: (event, context) => uploadPage(event, context),
    },
    {
      method: 'POST',
      path: '/console/campaigns/{id}/import',
      permission: 'edit',
      body: { kind: 'multipart', maxBytes: MAX_IMPORT_BYTES + UPLOAD_FRAMING_BYTES },
      handler: async (event, context) => {
        const id = event.pathParameters?.id ?? '';
        const file = context.files?.file;
        if (!file || file.bytes === 0) {
          return uploadPage(event, context, 400, fieldError('file', 'Select a CSV file'));
        }
        if (file.bytes > MAX_IMPORT_BYTES) {
          return uploadPage(event, context, 413, fieldError('file', 'The file must be at most 4 MB'));
        }
        let job: Awaited<ReturnType<typeof createImport>>;
        try {
          job = await createImport(deps.imports, id, file.text);
        } catch (error) {
          if (error instanceof ValidationError) {
            const message = error.issues.map((issue) => issue.message).join(' ');
            return uploadPage(event, context, 400, fieldError('file', message));
          }
          if (error instanceof ConflictError) {
            return uploadPage(
              event,
              context,
              409,
              fieldError('file', 'Nobody can be invited to this campaign now: it is not open.'),
            );
          }
          if (error instanceof NotFoundError) return page(404, 'import-upload', context, { missing: true });
          throw error;
        }
        await recordAudit(deps.audit, {
          at: deps.imports.clock.now().toISOString(),
          actor: context.admin.email,
          action: 'import.created',
          campaignId: id,
          detail: { jobId: job.jobId, total: job.total, rejectedAtUpload: job.rejectedAtUpload },
        });
        return {
          statusCode: 303,
          headers: { location: jobPath(job.jobId), 'cache-control': 'no-store' },
          body: '',
        };
      },
    },
    {
      method: 'GET',
      path: '/console/imports/{jobId}',
      permission: 'edit',
      handler: async (event, context) => {
        const jobId = jobIdOf(event);
        const job = jobId ? await deps.imports.jobs.get(jobId) : undefined;
        if (!job) return page(404, 'import-job', context, { missing: true, section: 'campaigns' });
        const campaign = await deps.campaigns.getCampaign(job.campaignId);
        const lines = await deps.imports.jobs.report(job.jobId);
        const figures = jobFigures(importView(job, deps.imports.clock.now().getTime(), lines));
        return page(
          200,
          'import-job',
          context,
          {
            job: figures,
            campaign,
            campaignPath: campaignPath(job.campaignId),
            statusUrl: `${jobPath(job.jobId)}/status.json`,
            section: 'campaigns',
          },
          JOB_CSP,
        );
      },
    },
    {
      method: 'GET',
      path: '/console/imports/{jobId}/status.json',
      permission: 'edit',
      handler: async (event) => {
        const jobId = jobIdOf(event);
        const job = jobId ? await deps.imports.jobs.get(jobId) : undefined;
        if (!job) return json(404, { error: 'not_found' });
        // The report's lines once the job has finished (the script shows them then); counts while it runs.
        const finished = job.state === 'done' || job.state === 'stopped';
        const lines = finished ? await deps.imports.jobs.report(job.jobId) : undefined;
        return json(200, jobFigures(importView(job, deps.imports.clock.now().getTime(), lines)));
      },
    },
    {
      method: 'GET',
      path: '/console/people-assets/{name}',
      permission: 'read',
      handler: async (event) => {
        const asset = peopleAsset(event.pathParameters?.name ?? '');
        if (!asset) throw new NotFoundError('Not found');
        return {
          statusCode: 200,
          headers: {
            'content-type': asset.type,
            'cache-control': 'public, max-age=31536000, immutable',
            'x-content-type-options': 'nosniff',
          },
          body: asset.body,
        };
      },
    },
    {
      method: 'GET',
      path: '/console/subscribers',
      permission: 'approve',
      handler: async (_event, context) => page(200, 'subscribers', context, { section: 'subscribers' }),
    },
    {
      method: 'POST',
      path: '/console/subscribers',
      permission: 'approve',
      handler: async (_event, context) => {
        const email = context.form.email ?? '';
        const parsed = subjectRequestSchema.safeParse({ email });
        if (!parsed.success) return subscriberProblem(context, 'email', email);
        if (context.form.action === 'erase') {
          return page(200, 'subscriber-erase', context, { email: parsed.data.email, section: 'subscribers' });
        }
        const data = await exportSubjectData(deps.subjects, parsed.data, context.admin.email);
        return page(200, 'subscriber-data', context, {
          email: parsed.data.email,
          data: readable(data),
          section: 'subscribers',
        });
      },
    },
    {
      method: 'POST',
      path: '/console/subscribers/export.json',
      permission: 'approve',
      handler: async (_event, context) => {
        const email = context.form.email ?? '';
        const parsed = subjectRequestSchema.safeParse({ email });
        if (!parsed.success) return subscriberProblem(context, 'email', email);
        const data = await exportSubjectData(deps.subjects, parsed.data, context.admin.email);
        return json(200, data, { 'content-disposition': 'attachment; filename="subscriber-data.json"' });
      },
    },
    {
      method: 'POST',
      path: '/console/subscribers/erase',
      permission: 'approve',
      handler: async (_event, context) => {
        const email = context.form.email ?? '';
        const parsed = eraseFormSchema.safeParse({ email, confirm: context.form.confirm });
        if (!parsed.success) {
          const field = parsed.error.issues.some((issue) => issue.path[0] === 'email') ? 'email' : 'confirm';
          return subscriberProblem(context, field, email);
        }
        const erased = await eraseSubject(deps.subjects, { email: parsed.data.email }, context.admin.email);
        return page(200, 'subscriber-erased', context, { erased, section: 'subscribers' });
      },
    },
  ];
};
