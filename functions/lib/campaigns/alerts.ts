import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AdminIdentity } from '../admins/model';
import { audienceOf, ROLES, type Role } from '../domain/roles';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { ALERT_TEMPLATE } from '../templates/names';
import { zonedInstant } from '../timeline/send-time';
import { checkAlertMarkdown, renderAlertMarkdown } from './alert-markdown';
import { audit, type CampaignDeps, getCampaign, scheduleFor, withVersionRetries } from './campaigns';
import { scheduleNameFor, stepIdFor } from './ids';
import type { Campaign, CampaignAlert, CampaignStep } from './model';
import { reminderWords } from './reminder-data';

/**
 * Urgent alerts: an out-of-timeline message to chosen roles of a live campaign. An approver prepares
 * it (subject and restricted Markdown), anyone may preview it through SES's own renderer, and a second
 * approver approves it; it then becomes a step of the campaign (`alert-<id>`, template `urgent-alert`,
 * its rendered words as template data) scheduled at once, and goes through the same pipeline as every
 * reminder: dispatch, the send queue, SendBulkEmail at the SES rate, exactly once per recipient,
 * suppressions and unsubscribes honoured, counted in the step's delivery counts.
 */

const MAX_ALERTS = 20;
const MAX_BODY = 3000;
/** An alert is worth sending (and listing for late joiners) for this long after it is approved. */
const ALERT_WORTH_MS = 2 * 24 * 60 * 60 * 1000;
/** Scheduler wants a time ahead: a whole minute, at least a minute away (as late steps are planned). */
const ALERT_LEAD_MS = 60_000;

// Plain words: the subject is an email header and a page title, so no markup and no braces.
const SUBJECT = /^[\p{L}\p{N}][\p{L}\p{N} '’"“”!?&(),.:;/-]*$/u;

export const alertInputSchema = z.strictObject({
  subject: z
    .string({ error: 'subject is required' })
    .trim()
    .min(1, 'subject is required')
    .max(65, 'subject must be at most 65 characters')
    .regex(SUBJECT, 'subject may hold letters, digits, spaces and \' " ! ? & ( ) , . : ; / - only'),
  body: z
    .string({ error: 'body is required: restricted Markdown (paragraphs, bullet lists, emphasis, links)' })
    .trim()
    .min(1, 'body is required')
    .max(MAX_BODY, `body must be at most ${MAX_BODY} characters`),
  roles: z
    .array(z.enum(ROLES, { error: `each role must be one of: ${ROLES.join(', ')}` }), {
      error: `roles is required: a list of one or more of ${ROLES.join(', ')}`,
    })
    .min(1, 'roles needs at least one role')
    .transform((roles) => ROLES.filter((role) => roles.includes(role))),
});
export type AlertInput = z.infer<typeof alertInputSchema>;

const newAlertId = () => randomBytes(5).toString('hex');

const assertApprover = (admin: AdminIdentity, what: string) => {
  if (admin.role !== 'approver')
    throw new ForbiddenError(`Your role is ${admin.role}: only an approver can ${what}.`);
};

const findAlert = (campaign: Campaign, alertId: string): CampaignAlert => {
  const alert = campaign.alerts?.find((candidate) => candidate.id === alertId);
  if (!alert) throw new NotFoundError('There is no alert with that id on this campaign.');
  return alert;
};

/** The words an alert's template takes: its subject, HTML and text, as rendered from the Markdown. */
export const alertTemplateData = (alert: Pick<CampaignAlert, 'subject' | 'body'>): Record<string, string> => {
  const { html, text } = renderAlertMarkdown(alert.body);
  return { alertSubject: alert.subject, alertHtml: html, alertText: text };
};

/** Prepares an alert as a draft on a live campaign. Approvers only; the Markdown is checked here. */
export const createAlert = async (
  deps: CampaignDeps,
  request: { campaignId: string; author: AdminIdentity; input: AlertInput },
): Promise<{ campaign: Campaign; alert: CampaignAlert }> => {
  assertApprover(request.author, 'prepare an urgent alert');
  let alert: CampaignAlert | undefined;
  const campaign = await withVersionRetries(async () => {
    const current = await getCampaign(deps, request.campaignId);
    if (current.status !== 'open') {
      throw new ConflictError(
        `Campaign ${current.id} is ${current.status}: alerts go to open campaigns only.`,
      );
    }
    const issues = checkAlertMarkdown(request.input.body, 'body', current.organiser?.website);
    if (issues.length > 0) throw new ValidationError(issues);
    if ((current.alerts ?? []).length >= MAX_ALERTS) {
      throw new ConflictError(
        `Campaign ${current.id} has ${MAX_ALERTS} alerts already: no more can be added.`,
      );
    }
    const now = deps.clock.now().toISOString();
    alert = {
      id: newAlertId(),
      subject: request.input.subject,
      body: request.input.body,
      roles: request.input.roles,
      status: 'draft',
      createdBy: request.author.email,
      createdAt: now,
    };
    const updated: Campaign = {
      ...current,
      alerts: [...(current.alerts ?? []), alert],
      version: current.version + 1,
      updatedAt: now,
    };
    await deps.campaigns.saveCampaign(updated, current.version);
    return updated;
  });
  const created = alert as CampaignAlert;
  await audit(
    deps,
    {
      actor: request.author.email,
      action: 'alert.created',
      campaignId: campaign.id,
      detail: { alertId: created.id, roles: created.roles },
    },
    deps.clock,
  );
  return { campaign, alert: created };
};

/** Renders a stored template with data, as SES would send it (SES TestRenderEmailTemplate). */
export interface TemplatePreviewer {
  render(
    template: string,
    data: Record<string, string>,
  ): Promise<{ subject: string; html: string; text: string }>;
}

const SAMPLE_NAME = 'Sample Name';
// example.com is reserved: a preview's links can never reach anyone.
const SAMPLE_UNSUBSCRIBE_URL = 'https://reminders.example.com/unsubscribe?token=preview';

/**
 * The alert as one recipient of `role` would get it (default: its first role): the real template
 * rendered by SES with the campaign's words, a sample name and a sample unsubscribe link.
 */
export const previewAlert = async (
  deps: Pick<CampaignDeps, 'campaigns'> & { previewer: TemplatePreviewer },
  request: { campaignId: string; alertId: string; role?: Role },
): Promise<{ alert: CampaignAlert; role: Role; subject: string; html: string; text: string }> => {
  const campaign = await getCampaign(deps, request.campaignId);
  const alert = findAlert(campaign, request.alertId);
  const role = request.role ?? (alert.roles[0] as Role);
  const rendered = await deps.previewer.render(ALERT_TEMPLATE, {
    ...reminderWords(campaign, role),
    ...alertTemplateData(alert),
    name: SAMPLE_NAME,
    unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
  });
  return { alert, role, ...rendered };
};

/**
 * A second approver approves a draft alert: it becomes the step `alert-<id>` for its roles, sent at
 * a whole minute one to two minutes away. The schedule is made first and the campaign stored
 * after (on its version); a schedule whose step was never stored fires into dispatch and is ignored.
 */
export const approveAlert = async (
  deps: CampaignDeps,
  request: { campaignId: string; alertId: string; approver: AdminIdentity },
): Promise<{ campaign: Campaign; alert: CampaignAlert; step: CampaignStep }> => {
  const { approver } = request;
  assertApprover(approver, 'approve an urgent alert');
  const { scheduler } = deps;
  const first = await getCampaign(deps, request.campaignId);
  const draft = findAlert(first, request.alertId);
  if (draft.status !== 'draft')
    throw new ConflictError(`Alert ${draft.id} is ${draft.status}: nothing to approve.`);
  if (draft.createdBy === approver.email) {
    throw new ForbiddenError('You prepared this alert, so you cannot approve it: another approver must.');
  }
  if (first.status !== 'open') {
    throw new ConflictError(`Campaign ${first.id} is ${first.status}: alerts go to open campaigns only.`);
  }
  const now = deps.clock.now();
  const sendMs = Math.ceil((now.getTime() + ALERT_LEAD_MS) / 60_000) * 60_000 + ALERT_LEAD_MS;
  const send = zonedInstant(sendMs, first.timezone);
  const until = zonedInstant(sendMs + ALERT_WORTH_MS, first.timezone);
  const key = `alert-${draft.id}`;
  const audiences = [...new Set(draft.roles.map(audienceOf))];
  const step: CampaignStep = {
    id: stepIdFor(first.id, key),
    key,
    kind: 'alert',
    title: draft.subject,
    roles: draft.roles,
    templates: Object.fromEntries(audiences.map((audience) => [audience, ALERT_TEMPLATE])),
    data: alertTemplateData(draft),
    date: send.date,
    sendAt: send.local,
    sendAtUtc: send.utc,
    epochMs: send.epochMs,
    until: until.local,
    untilMs: until.epochMs,
    position: Math.max(0, ...first.steps.map((candidate) => candidate.position)) + 1,
    status: 'scheduled',
    version: 1,
    scheduleName: scheduleNameFor(first.id, key),
  };
  await scheduler.upsert(scheduleFor(first, step));
  let approved: CampaignAlert | undefined;
  let campaign: Campaign;
  try {
    campaign = await withVersionRetries(async () => {
      const current = await getCampaign(deps, request.campaignId);
      const alert = findAlert(current, request.alertId);
      if (alert.status !== 'draft')
        throw new ConflictError(`Alert ${alert.id} is ${alert.status}: nothing to approve.`);
      if (current.status !== 'open') {
        throw new ConflictError(
          `Campaign ${current.id} is ${current.status}: alerts go to open campaigns only.`,
        );
      }
      approved = {
        ...alert,
        status: 'approved',
        approvedBy: approver.email,
        approvedAt: now.toISOString(),
        stepKey: key,
      };
      const updated: Campaign = {
        ...current,
        alerts: (current.alerts ?? []).map((candidate) =>
          candidate.id === alert.id ? (approved as CampaignAlert) : candidate,
        ),
        steps: [...current.steps, step].sort((a, b) => a.epochMs - b.epochMs || a.position - b.position),
        version: current.version + 1,
        updatedAt: now.toISOString(),
      };
      await deps.campaigns.saveCampaign(updated, current.version);
      return updated;
    });
  } catch (error) {
    await scheduler.remove(step.scheduleName).catch(() => undefined);
    throw error;
  }
  await audit(deps, {
    actor: approver.email,
    action: 'alert.approved',
    campaignId: campaign.id,
    at: now.toISOString(),
    detail: {
      alertId: draft.id,
      stepKey: key,
      roles: draft.roles,
      createdBy: draft.createdBy,
      sendAt: step.sendAt,
    },
  });
  return { campaign, alert: approved as CampaignAlert, step };
};

/** Drops a draft alert: withdrawn by whoever prepared it, or rejected by another approver. */
export const withdrawAlert = async (
  deps: CampaignDeps,
  request: { campaignId: string; alertId: string; actor: AdminIdentity },
): Promise<{ campaign: Campaign; alert: CampaignAlert }> => {
  const { actor } = request;
  let dropped: CampaignAlert | undefined;
  const campaign = await withVersionRetries(async () => {
    const current = await getCampaign(deps, request.campaignId);
    const alert = findAlert(current, request.alertId);
    if (alert.status !== 'draft')
      throw new ConflictError(`Alert ${alert.id} is ${alert.status}: only a draft can be withdrawn.`);
    if (alert.createdBy !== actor.email && actor.role !== 'approver') {
      throw new ForbiddenError(
        'Only the approver who prepared this alert, or another approver, can drop it.',
      );
    }
    const now = deps.clock.now().toISOString();
    dropped = { ...alert, status: 'withdrawn', withdrawnBy: actor.email, withdrawnAt: now };
    const updated: Campaign = {
      ...current,
      alerts: (current.alerts ?? []).map((candidate) =>
        candidate.id === alert.id ? (dropped as CampaignAlert) : candidate,
      ),
      version: current.version + 1,
      updatedAt: now,
    };
    await deps.campaigns.saveCampaign(updated, current.version);
    return updated;
  });
  const alert = dropped as CampaignAlert;
  await audit(
    deps,
    {
      actor: actor.email,
      action: alert.createdBy === actor.email ? 'alert.withdrawn' : 'alert.rejected',
      campaignId: campaign.id,
      detail: { alertId: alert.id, createdBy: alert.createdBy },
    },
    deps.clock,
  );
  return { campaign, alert };
};
