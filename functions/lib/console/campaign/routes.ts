import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AdminIdentity } from '../../admins/model';
import { checkAlertMarkdown } from '../../campaigns/alert-markdown';
import { alertInputSchema } from '../../campaigns/alerts';
import { getCampaign } from '../../campaigns/campaigns';
import { SchedulingFailedError } from '../../campaigns/errors';
import type { Campaign } from '../../campaigns/model';
import type {
  CampaignRepository,
  DeliveryCounts,
  DeliveryStats,
  ReminderTemplateSource,
} from '../../campaigns/ports';
import type { Clock } from '../../clock';
import { AUDIENCES, ROLE_LABELS, ROLES, type Role } from '../../domain/roles';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { bodyText, header } from '../../http/body';
import { type HttpResult, html, json } from '../../http/responses';
import { longDate } from '../../shared/dates';
import { ELECTION_NAMES, ELECTION_TYPES, NATION_NAMES, TIMETABLE_NATIONS } from '../../timetable/elections';
import type { ConsoleContext, ConsoleRoute } from '../http';
import type { CampaignConsoleActions, PendingChange } from './actions';
import { deliveryReport } from './delivery';
import {
  AUDIENCE_LABELS,
  CREATE_FIELDS,
  EDIT_FIELDS,
  type FieldError,
  type FormValues,
  fieldErrors,
  parseCreateForm,
  parseEditForm,
  pickFormValues,
  valuesOf,
} from './form';
import { type CampaignPlan, type PlannedStep, planCampaignChange, planNewCampaign } from './plan';
import { previewRoles, renderAlertPreview, renderStepPreview, SAMPLE_RECIPIENT } from './previews';
import { type CampaignView, campaignAsset, renderCampaignView } from './render';
import { DISPLAY_STATUSES, displayStatus, STATUS_STYLES, timelineSvg } from './timeline-svg';

/**
 * The console's pages for one campaign: create and edit (with a check-your-answers step showing the
 * timetable and reminders), the campaign page (timeline picture, reminders, delivery counts, pending
 * changes), previews of each reminder per role, cancel, approve and reject. Every page works without
 * JavaScript; the campaign page's counts refresh with it.
 */
export interface CampaignConsoleDeps {
  campaigns: CampaignRepository;
  deliveries?: DeliveryStats;
  reminderTemplates: ReminderTemplateSource;
  actions: CampaignConsoleActions;
  clock: Clock;
  /** Where the public pages live: the previews' sample links point there. */
  publicBaseUrl: string;
  /** How often the campaign page refreshes its counts when JavaScript runs. */
  refreshSeconds?: number;
}

/** The form field carrying the session's CSRF token (the session layer checks it). */
const CSRF_FIELD = 'csrfToken';

const BASE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** The campaign page runs one same-origin script, which fetches the counts from the same origin. */
const SHOW_CSP = `${BASE_CSP}; script-src 'self'; connect-src 'self'`;
/**
 * The preview page frames the email from srcdoc, which inherits this page's policy: the email's
 * styles are inline (as email clients need), so inline styles are allowed here, and nothing else
 * more. The frame is sandboxed: it runs no script and cannot reach this page.
 */
const PREVIEW_CSP =
  "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const canEdit = (admin: AdminIdentity) => admin.role === 'editor' || admin.role === 'approver';
const canApprove = (admin: AdminIdentity) => admin.role === 'approver';

const campaignPath = (id: string) => `/console/campaigns/${encodeURIComponent(id)}`;

const whenText = (local: string) =>
  DateTime.fromISO(local, { setZone: true }).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm');

const TAG_CLASSES: Record<string, string> = {
  scheduled: 'govuk-tag--blue',
  late: 'govuk-tag--purple',
  sending: 'govuk-tag--orange',
  sent: 'govuk-tag--green',
  skipped: 'govuk-tag--grey',
  cancelled: 'govuk-tag--red',
  unchanged: 'govuk-tag--grey',
};

const CAMPAIGN_STATUS_TEXT: Record<string, string> = {
  open: 'Open',
  draft: 'Draft: waiting for approval',
  cancelled: 'Cancelled',
  closed: 'Closed',
};

const NOTICES: Record<string, string> = {
  created: 'Campaign created. Its reminders are scheduled.',
  'draft-created': 'Draft created. Another approver must approve it before any reminder is scheduled.',
  updated: 'Changes saved.',
  'update-proposed': 'Change sent for approval. Nothing changes until another approver approves it.',
  cancelled: 'Campaign cancelled. Nothing more will be sent.',
  'cancel-proposed': 'Cancellation sent for approval. Reminders still go until another approver approves it.',
  'alert-proposed': 'Urgent alert sent for approval. It goes out once another approver approves it.',
  approved: 'Approved.',
  rejected: 'Rejected.',
};

const tag = (text: string, status: string) =>
  `<strong class="govuk-tag ${TAG_CLASSES[status] ?? ''}">${escapeHtml(text)}</strong>`;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

const rolesText = (roles: readonly Role[]) => roles.map((role) => ROLE_LABELS[role]).join(', ');

interface PageOptions {
  status?: number;
  csp?: string;
}

const page = (
  view: CampaignView,
  context: Pick<ConsoleContext, 'admin' | 'csrfToken'>,
  data: Record<string, unknown>,
  options: PageOptions = {},
): HttpResult =>
  html(
    options.status ?? 200,
    renderCampaignView(view, {
      ...data,
      admin: context.admin,
      csrfToken: context.csrfToken,
      csrfField: CSRF_FIELD,
    }),
    { 'content-security-policy': options.csp ?? BASE_CSP },
  );

const problem = (
  context: ConsoleContext,
  status: number,
  title: string,
  message: string,
  back?: { href: string; text: string },
) =>
  page(
    'problem',
    context,
    { pageTitle: title, message, returnHref: back?.href, returnText: back?.text },
    { status },
  );

const redirect = (location: string): HttpResult => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  body: '',
});

/** A form post's fields; the session layer has checked its CSRF token before the route runs. */
const formOf = (request: APIGatewayProxyEventV2): URLSearchParams => {
  const type = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new ValidationError([
      { path: '(body)', message: 'Send the form as application/x-www-form-urlencoded.' },
    ]);
  }
  return new URLSearchParams(bodyText(request));
};

const idOf = (request: APIGatewayProxyEventV2) => request.pathParameters?.id ?? '';

/** The choices on the create form. */
const formChoices = () => ({
  elections: ELECTION_TYPES.map((value) => ({ value, text: capitalise(ELECTION_NAMES[value]) })),
  nations: TIMETABLE_NATIONS.map((value) => ({ value, text: capitalise(NATION_NAMES[value]) })),
  audiences: AUDIENCES.map((value) => ({ value, text: AUDIENCE_LABELS[value] })),
});

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const formPage = (
  context: ConsoleContext,
  mode: 'create' | 'edit',
  values: FormValues,
  errors: FieldError[],
  campaign?: Campaign,
) =>
  page(
    'form',
    context,
    {
      pageTitle: mode === 'create' ? 'Create a campaign' : 'Change the campaign',
      mode,
      values,
      errors,
      errorFor: Object.fromEntries(errors.map((error) => [error.field, error.message])),
      formAction: campaign ? `${campaignPath(campaign.id)}/edit` : '/console/campaigns/new',
      campaign,
      electionName: campaign ? capitalise(ELECTION_NAMES[campaign.election]) : undefined,
      nationName: campaign ? capitalise(NATION_NAMES[campaign.nation]) : undefined,
      backLink: campaign
        ? { href: campaignPath(campaign.id), text: 'Back to the campaign' }
        : { href: '/console/campaigns', text: 'Back to the campaigns' },
      ...formChoices(),
    },
    { status: errors.length > 0 ? 400 : 200 },
  );

const outcomeText = (step: PlannedStep) => {
  switch (step.outcome) {
    case 'late':
      return {
        text: `Goes at once (it was due ${whenText(step.plannedSendAt ?? step.sendAt)})`,
        status: 'late',
      };
    case 'skipped':
      return { text: `Skipped: ${step.skipReason ?? 'too late to be worth sending'}`, status: 'skipped' };
    case 'unchanged':
      return {
        text: `Stays as it is (${STATUS_STYLES[displayStatus({ status: step.status ?? 'scheduled' })].label.toLowerCase()})`,
        status: 'unchanged',
      };
    default:
      return step.previousSendAt
        ? { text: `Moves from ${whenText(step.previousSendAt)}`, status: 'scheduled' }
        : { text: 'Scheduled', status: 'scheduled' };
  }
};

const answerRows = (values: FormValues, mode: 'create' | 'edit', campaign?: Campaign) => {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || 'Not given' } });
  const pollDate = `${values['pollDate-year']}-${(values['pollDate-month'] ?? '').padStart(2, '0')}-${(values['pollDate-day'] ?? '').padStart(2, '0')}`;
  const rows = [
    ...(mode === 'create'
      ? [
          row('Campaign name', values.name ?? ''),
          row('Election type', capitalise(ELECTION_NAMES[values.election as Campaign['election']] ?? '')),
          row('Nation', capitalise(NATION_NAMES[values.nation as Campaign['nation']] ?? '')),
        ]
      : []),
    row(
      'Poll date',
      campaign && campaign.pollDate !== pollDate
        ? `${longDate(pollDate)} (was ${longDate(campaign.pollDate)})`
        : longDate(pollDate),
    ),
    row('Organiser', values['organiser-name'] ?? ''),
    row('Organiser email address', values['organiser-email'] ?? ''),
    row('Organiser phone number', values['organiser-phone'] ?? ''),
    row('Organiser website', values['organiser-website'] ?? ''),
    ...AUDIENCES.map((audience) =>
      row(
        `Contact for ${AUDIENCE_LABELS[audience].toLowerCase()}`,
        ['name', 'phone', 'email']
          .map((part) => values[`contacts-${audience}-${part}`])
          .filter(Boolean)
          .join(', '),
      ),
    ),
  ];
  return rows;
};

const checkPage = (
  context: ConsoleContext,
  mode: 'create' | 'edit',
  values: FormValues,
  plan: CampaignPlan,
  meta: { election: Campaign['election']; nation: Campaign['nation']; campaign?: Campaign },
) => {
  const late = plan.steps.filter((step) => step.outcome === 'late').length;
  const skipped = plan.steps.filter((step) => step.outcome === 'skipped').length;
  const moved = plan.steps.filter((step) => step.previousSendAt).length;
  const going = plan.steps.filter((step) => step.outcome === 'scheduled' || step.outcome === 'late').length;
  // A new campaign is a draft until approved; a change to a live campaign waits for approval; a
  // draft's own edits apply at once (it reaches nobody).
  const approvals = mode === 'create' || meta.campaign?.status !== 'draft';
  return page('check', context, {
    pageTitle: 'Check your answers',
    caption: mode === 'create' ? 'Create a campaign' : meta.campaign?.name,
    formAction: meta.campaign ? `${campaignPath(meta.campaign.id)}/edit` : '/console/campaigns/new',
    values,
    answerRows: answerRows(values, mode, meta.campaign),
    electionName: ELECTION_NAMES[meta.election],
    nationName: NATION_NAMES[meta.nation],
    milestoneRows: plan.milestones.map((milestone) => [
      { text: milestone.label },
      { text: longDate(milestone.date) },
    ]),
    reminderSummary:
      mode === 'create'
        ? `${plan.steps.length} reminders: ${going} will be sent${skipped ? `, ${skipped} skipped` : ''}.`
        : `${moved} reminder${moved === 1 ? '' : 's'} move${moved === 1 ? 's' : ''}; ${going} still to go.`,
    lateCount: late,
    skippedCount: skipped,
    stepRows: plan.steps.map((step) => {
      const outcome = outcomeText(step);
      return [
        { text: whenText(step.sendAt) },
        { text: step.title },
        { text: rolesText(step.roles) },
        { html: tag(outcome.text, outcome.status) },
      ];
    }),
    approvals,
    approvalNote:
      mode === 'create'
        ? 'Saving creates a draft. Nothing is scheduled until another approver approves it.'
        : 'Saving sends the change for approval. Nothing changes until another approver approves it.',
    saveLabel:
      mode === 'create'
        ? approvals
          ? 'Create draft'
          : 'Create campaign'
        : approvals
          ? 'Send for approval'
          : 'Save changes',
    backLink: { href: meta.campaign ? campaignPath(meta.campaign.id) : '/console/campaigns', text: 'Back' },
  });
};

const planOrErrors = <T>(make: () => T): { plan?: T; errors?: FieldError[] } => {
  try {
    return { plan: make() };
  } catch (error) {
    if (error instanceof ValidationError) return { errors: fieldErrors(error.issues) };
    throw error;
  }
};

const ALERT_FIELDS = ['subject', 'body', 'roles'];
const ALERT_LABELS: Record<string, string> = {
  subject: 'Subject',
  body: 'Message',
  roles: 'Who should get it',
};

/** "body may hold…" → "Message may hold…": the core's messages, with the form's names for fields. */
const alertMessage = (path: string, message: string) => {
  const field = path.split('.')[0] ?? 'body';
  if (field === 'roles') return 'Select who should get it';
  return message.startsWith(`${field} `) ? `${ALERT_LABELS[field]}${message.slice(field.length)}` : message;
};

const roleQuery = z.object({ role: z.enum(ROLES).optional() });

const isExcluded = (change: PendingChange, admin: AdminIdentity) =>
  change.excluded.some((email) => email.toLowerCase() === admin.email.toLowerCase());

const pendingView = (pending: PendingChange[], admin: AdminIdentity) =>
  pending.map((change) => ({
    ...change,
    proposedAtText: whenText(
      DateTime.fromISO(change.proposedAt).setZone('Europe/London').toISO() ?? change.proposedAt,
    ),
    ownChange: isExcluded(change, admin),
    canDecide: canApprove(admin) && !isExcluded(change, admin),
  }));

const showPage = async (
  deps: CampaignConsoleDeps,
  context: ConsoleContext,
  campaign: Campaign,
  notice?: string,
) => {
  const now = deps.clock.now();
  const counts: Record<string, DeliveryCounts> = (await deps.deliveries?.countsFor(campaign.id)) ?? {};
  const delivery = deliveryReport(campaign, counts);
  const pending = deps.actions.pending(campaign);
  const path = campaignPath(campaign.id);
  const open = campaign.status === 'open' || campaign.status === ('draft' as Campaign['status']);
  const actions = [
    ...(canApprove(context.admin) && campaign.status === 'open'
      ? [{ href: `${path}/alert`, text: 'Send an urgent alert' }]
      : []),
    ...(canEdit(context.admin) && campaign.status === 'open'
      ? [{ href: `${path}/import`, text: 'Import staff from a CSV file' }]
      : []),
    ...(canEdit(context.admin) && open
      ? [
          { href: `${path}/edit`, text: 'Change the poll date, organiser or contacts' },
          { href: `${path}/cancel`, text: 'Cancel the campaign' },
        ]
      : []),
  ];
  const organiser = campaign.organiser;
  const contacts = AUDIENCES.flatMap((audience) => {
    const contact = campaign.contacts[audience];
    return contact
      ? [
          `${AUDIENCE_LABELS[audience]}: ${[contact.name, contact.phone, contact.email].filter(Boolean).join(', ')}`,
        ]
      : [];
  });
  const sortedSteps = delivery.steps;
  const draft = campaign.status === 'draft';
  const stepByKey = new Map(campaign.steps.map((step) => [step.key, step]));
  return page(
    'show',
    context,
    {
      pageTitle: campaign.name,
      campaign,
      campaignPath: path,
      notice,
      statusText: CAMPAIGN_STATUS_TEXT[campaign.status] ?? capitalise(campaign.status),
      detailRows: [
        { key: { text: 'Poll date' }, value: { text: longDate(campaign.pollDate) } },
        {
          key: { text: 'Election' },
          value: { text: `${capitalise(ELECTION_NAMES[campaign.election])} election` },
        },
        { key: { text: 'Nation' }, value: { text: capitalise(NATION_NAMES[campaign.nation]) } },
        {
          key: { text: 'Organiser' },
          value: {
            text: organiser
              ? [organiser.name, organiser.email, organiser.phone, organiser.website]
                  .filter(Boolean)
                  .join(', ')
              : 'Not given',
          },
        },
        {
          key: { text: 'Local contacts' },
          value: contacts.length > 0 ? { html: contacts.map(escapeHtml).join('<br>') } : { text: 'None' },
        },
      ],
      pending: pendingView(pending, context.admin),
      actions,
      svg: timelineSvg(campaign, campaign.milestones, now),
      legend: DISPLAY_STATUSES.map((status) => ({ status, label: STATUS_STYLES[status].label })),
      stepRows: sortedSteps.map((row) => {
        const step = stepByKey.get(row.key);
        const late = step?.late ? ` (due ${whenText(step.late.plannedSendAt)})` : '';
        const skip = step?.skipReason ? `: ${step.skipReason}` : '';
        const firstRole = step ? previewRoles(step)[0] : undefined;
        return [
          { text: String(row.number) },
          { text: step ? whenText(step.sendAt) : '' },
          { text: row.title },
          { text: step ? rolesText(step.roles) : '' },
          // A draft's steps are planned, not yet scheduled: nothing is with the scheduler until approval.
          {
            html: tag(
              `${draft && row.status === 'scheduled' ? 'Planned' : row.statusLabel}${late}${skip}`,
              row.status,
            ),
          },
          {
            html: firstRole
              ? `<a class="govuk-link" href="${path}/steps/${encodeURIComponent(row.key)}/preview?role=${firstRole.role}">Preview<span class="govuk-visually-hidden"> ${escapeHtml(row.title)}</span></a>`
              : '',
          },
        ];
      }),
      milestoneRows: campaign.milestones.map((milestone) => [
        { text: milestone.label },
        { text: longDate(milestone.date) },
      ]),
      delivery,
      refreshSeconds: deps.refreshSeconds ?? 5,
      generatedAtText: DateTime.fromJSDate(now)
        .setZone(campaign.timezone)
        .setLocale('en-GB')
        .toFormat('HH:mm:ss'),
      generatedAtMs: now.getTime(),
      backLink: { href: '/console/campaigns', text: 'All campaigns' },
    },
    { csp: SHOW_CSP },
  );
};

/** Errors a page can explain: a missing campaign, a conflicting state, the scheduler being down. */
const explained =
  (handler: ConsoleRoute['handler']): ConsoleRoute['handler'] =>
  async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof NotFoundError) return problem(context, 404, 'Page not found', error.message);
      if (error instanceof ConflictError) {
        const id = request.pathParameters?.id;
        return problem(
          context,
          409,
          'That cannot be done now',
          error.message,
          id ? { href: campaignPath(id), text: 'Back to the campaign' } : undefined,
        );
      }
      if (error instanceof SchedulingFailedError) {
        return problem(context, 503, 'Sorry, the scheduler is not answering', error.message);
      }
      if (error instanceof ForbiddenError) {
        const id = request.pathParameters?.id;
        return problem(
          context,
          403,
          'You cannot do this',
          error.message,
          id ? { href: campaignPath(id), text: 'Back to the campaign' } : undefined,
        );
      }
      throw error;
    }
  };

export const campaignConsoleRoutes = (deps: CampaignConsoleDeps): ConsoleRoute[] => {
  const newCampaign: ConsoleRoute['handler'] = async (request, context) => {
    if (request.requestContext.http.method !== 'POST') return formPage(context, 'create', {}, []);
    const posted = formOf(request);
    const values = pickFormValues(posted, CREATE_FIELDS);
    if (posted.get('step') === 'change') return formPage(context, 'create', values, []);
    const parsed = parseCreateForm(values);
    if (!parsed.ok) return formPage(context, 'create', values, parsed.errors);
    const { plan, errors } = planOrErrors(() => planNewCampaign(parsed.input, deps.clock.now()));
    if (!plan) return formPage(context, 'create', values, errors ?? []);
    if (posted.get('step') !== 'save') {
      return checkPage(context, 'create', values, plan, {
        election: parsed.input.election ?? 'local',
        nation: parsed.input.nation,
      });
    }
    try {
      const { campaignId, applied } = await deps.actions.create(parsed.input, context.admin);
      return redirect(`${campaignPath(campaignId)}?done=${applied ? 'created' : 'draft-created'}`);
    } catch (error) {
      if (error instanceof ValidationError)
        return formPage(context, 'create', values, fieldErrors(error.issues));
      throw error;
    }
  };

  const editCampaign: ConsoleRoute['handler'] = async (request, context) => {
    const campaign = await getCampaign(deps, idOf(request));
    if (campaign.status === 'cancelled' || campaign.status === 'closed') {
      throw new ConflictError(`This campaign is ${campaign.status}: it cannot be changed.`);
    }
    if (request.requestContext.http.method !== 'POST')
      return formPage(context, 'edit', valuesOf(campaign), [], campaign);
    const posted = formOf(request);
    const values = pickFormValues(posted, EDIT_FIELDS);
    if (posted.get('step') === 'change') return formPage(context, 'edit', values, [], campaign);
    const parsed = parseEditForm(values, campaign);
    if (!parsed.ok) return formPage(context, 'edit', values, parsed.errors, campaign);
    const { plan, errors } = planOrErrors(() => planCampaignChange(campaign, parsed.input, deps.clock.now()));
    if (!plan) return formPage(context, 'edit', values, errors ?? [], campaign);
    if (posted.get('step') !== 'save') {
      return checkPage(context, 'edit', values, plan, {
        election: campaign.election,
        nation: campaign.nation,
        campaign,
      });
    }
    try {
      const { applied } = await deps.actions.update(campaign.id, parsed.input, context.admin);
      return redirect(`${campaignPath(campaign.id)}?done=${applied ? 'updated' : 'update-proposed'}`);
    } catch (error) {
      if (error instanceof ValidationError) {
        return formPage(context, 'edit', values, fieldErrors(error.issues), campaign);
      }
      throw error;
    }
  };

  const cancel: ConsoleRoute['handler'] = async (request, context) => {
    const campaign = await getCampaign(deps, idOf(request));
    if (campaign.status === 'cancelled') throw new ConflictError('This campaign is already cancelled.');
    if (request.requestContext.http.method === 'POST') {
      formOf(request);
      const { applied } = await deps.actions.cancel(campaign.id, context.admin);
      return redirect(`${campaignPath(campaign.id)}?done=${applied ? 'cancelled' : 'cancel-proposed'}`);
    }
    const approvals = campaign.status !== 'draft';
    return page('cancel', context, {
      pageTitle: approvals
        ? 'Are you sure you want to cancel this campaign?'
        : 'Are you sure you want to discard this draft?',
      campaign,
      campaignPath: campaignPath(campaign.id),
      pendingCount: campaign.steps.filter((step) => step.status === 'scheduled').length,
      approvals,
      buttonText: approvals ? 'Propose cancelling the campaign' : 'Discard the draft',
      backLink: { href: campaignPath(campaign.id), text: 'Back to the campaign' },
    });
  };

  const decide =
    (decision: 'approve' | 'reject'): ConsoleRoute['handler'] =>
    async (request, context) => {
      formOf(request);
      const id = idOf(request);
      const changeId = request.pathParameters?.changeId ?? '';
      const pending = deps.actions.pending(await getCampaign(deps, id));
      const change = pending.find((candidate) => candidate.id === changeId);
      if (!change) throw new NotFoundError('There is no such change waiting for approval.');
      // The approval core refuses this too (and is the rule); here the refusal is a page that says why.
      if (decision === 'approve' && isExcluded(change, context.admin)) {
        return problem(
          context,
          403,
          'You cannot approve your own change',
          change.kind === 'create'
            ? 'You created or edited this draft, so another approver must approve it.'
            : 'You proposed this, so another approver must approve or reject it.',
          { href: campaignPath(id), text: 'Back to the campaign' },
        );
      }
      await (decision === 'approve'
        ? deps.actions.approve(id, changeId, context.admin)
        : deps.actions.reject(id, changeId, context.admin));
      return redirect(`${campaignPath(id)}?done=${decision === 'approve' ? 'approved' : 'rejected'}`);
    };

  const alert: ConsoleRoute['handler'] = async (request, context) => {
    const campaign = await getCampaign(deps, idOf(request));
    if (campaign.status !== 'open') {
      throw new ConflictError(
        `This campaign is ${campaign.status}: urgent alerts go to open campaigns only.`,
      );
    }
    const path = campaignPath(campaign.id);
    const roles = ROLES.map((value) => ({ value, text: capitalise(ROLE_LABELS[value]) }));
    const show = (
      values: { subject: string; body: string; roles: string[] },
      errors: FieldError[] = [],
      preview?: Awaited<ReturnType<typeof renderAlertPreview>>,
    ) =>
      page(
        'alert',
        context,
        {
          pageTitle: preview ? 'Check the urgent alert' : 'Send an urgent alert',
          campaign,
          campaignPath: path,
          values,
          roles,
          errors,
          errorFor: Object.fromEntries(errors.map((error) => [error.field, error.message])),
          preview,
          rolesText: rolesText(values.roles as Role[]),
          sampleName: SAMPLE_RECIPIENT.name,
          backLink: { href: path, text: 'Back to the campaign' },
        },
        { status: errors.length > 0 ? 400 : 200, csp: preview ? PREVIEW_CSP : BASE_CSP },
      );
    if (request.requestContext.http.method !== 'POST') return show({ subject: '', body: '', roles: [] });
    const posted = formOf(request);
    const values = {
      subject: (posted.get('subject') ?? '').trim(),
      body: (posted.get('body') ?? '').trim(),
      roles: posted.getAll('roles'),
    };
    if (posted.get('step') === 'change') return show(values);
    // The approval core's own schema and Markdown check, so what is previewed is what it accepts.
    const parsed = alertInputSchema.safeParse(values);
    const issues = [
      ...(parsed.success
        ? []
        : parsed.error.issues.map((issue) => ({
            path: String(issue.path[0] ?? 'body'),
            message: issue.message,
          }))),
      ...(values.body ? checkAlertMarkdown(values.body, 'body', campaign.organiser?.website) : []),
    ];
    if (!parsed.success || issues.length > 0) {
      const seen = new Set<string>();
      const errors = issues
        .map((issue) => ({
          field: issue.path.split('.')[0] ?? 'body',
          message: alertMessage(issue.path, issue.message),
        }))
        .filter((error) => !seen.has(error.field) && seen.add(error.field))
        .sort((a, b) => ALERT_FIELDS.indexOf(a.field) - ALERT_FIELDS.indexOf(b.field));
      return show(values, errors);
    }
    if (posted.get('step') === 'save') {
      await deps.actions.proposeAlert(campaign.id, parsed.data, context.admin);
      return redirect(`${path}?done=alert-proposed`);
    }
    const preview = await renderAlertPreview(deps, campaign, parsed.data, parsed.data.roles[0] as Role);
    return show({ ...values, roles: parsed.data.roles }, [], preview);
  };

  return [
    { method: 'GET', path: '/console/campaigns/new', permission: 'edit', handler: explained(newCampaign) },
    { method: 'POST', path: '/console/campaigns/new', permission: 'edit', handler: explained(newCampaign) },
    {
      method: 'GET',
      path: '/console/campaigns/{id}',
      permission: 'read',
      handler: explained(async (request, context) => {
        const campaign = await getCampaign(deps, idOf(request));
        const done = request.queryStringParameters?.done;
        return showPage(deps, context, campaign, done ? NOTICES[done] : undefined);
      }),
    },
    {
      method: 'GET',
      path: '/console/campaigns/{id}/delivery.json',
      permission: 'read',
      handler: async (request) => {
        const campaign = await getCampaign(deps, idOf(request));
        const counts = (await deps.deliveries?.countsFor(campaign.id)) ?? {};
        return json(200, {
          ...deliveryReport(campaign, counts),
          generatedAt: deps.clock.now().toISOString(),
        });
      },
    },
    {
      method: 'GET',
      path: '/console/campaigns/{id}/edit',
      permission: 'edit',
      handler: explained(editCampaign),
    },
    {
      method: 'POST',
      path: '/console/campaigns/{id}/edit',
      permission: 'edit',
      handler: explained(editCampaign),
    },
    {
      method: 'GET',
      path: '/console/campaigns/{id}/alert',
      permission: 'approve',
      handler: explained(alert),
    },
    {
      method: 'POST',
      path: '/console/campaigns/{id}/alert',
      permission: 'approve',
      handler: explained(alert),
    },
    { method: 'GET', path: '/console/campaigns/{id}/cancel', permission: 'edit', handler: explained(cancel) },
    {
      method: 'POST',
      path: '/console/campaigns/{id}/cancel',
      permission: 'edit',
      handler: explained(cancel),
    },
    {
      method: 'POST',
      path: '/console/campaigns/{id}/changes/{changeId}/approve',
      permission: 'approve',
      handler: explained(decide('approve')),
    },
    {
      method: 'POST',
      path: '/console/campaigns/{id}/changes/{changeId}/reject',
      permission: 'approve',
      handler: explained(decide('reject')),
    },
    {
      method: 'GET',
      path: '/console/campaigns/{id}/steps/{stepKey}/preview',
      permission: 'read',
      handler: explained(async (request, context) => {
        const campaign = await getCampaign(deps, idOf(request));
        const step = campaign.steps.find((candidate) => candidate.key === request.pathParameters?.stepKey);
        if (!step) throw new NotFoundError('There is no such reminder in this campaign.');
        const query = roleQuery.safeParse(request.queryStringParameters ?? {});
        const roles = previewRoles(step);
        const role = (query.success ? query.data.role : undefined) ?? roles[0]?.role;
        if (!role) throw new NotFoundError('This reminder goes to nobody.');
        const preview = await renderStepPreview(deps, campaign, step.key, role);
        const path = campaignPath(campaign.id);
        return page(
          'preview',
          context,
          {
            pageTitle: `Preview: ${step.title}`,
            campaign,
            preview,
            sendAtText: whenText(step.sendAt),
            sampleName: SAMPLE_RECIPIENT.name,
            roles: roles.map((item) => ({
              role: item.role,
              label: capitalise(item.label),
              href: `${path}/steps/${encodeURIComponent(step.key)}/preview?role=${item.role}`,
            })),
            backLink: { href: `${path}#timeline`, text: 'Back to the campaign' },
          },
          { csp: PREVIEW_CSP },
        );
      }),
    },
    {
      method: 'GET',
      path: '/console/campaign-assets/{name}',
      permission: 'read',
      handler: async (request) => {
        const asset = campaignAsset(request.pathParameters?.name ?? '');
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
  ];
};
