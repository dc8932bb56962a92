import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { auditQuerySchema, listAudit } from '../audit/audit';
import type { AuditLog } from '../audit/ports';
import type { Clock } from '../clock';
import { ROLES } from '../domain/roles';
import { NotFoundError } from '../errors';
import { adminIdentityOf } from '../http/admin-identity';
import { readBody } from '../http/body';
import { type HttpResult, json, text } from '../http/responses';
import type { Route } from '../http/route';
import { validate } from '../http/validate';
import type { SubscriberCounter } from '../subscriptions/ports';
import { renderTimelineIcs } from '../timeline/ics';
import type { TimelineStep } from '../timeline/lay-out';
import {
  alertInputSchema,
  approveAlert,
  createAlert,
  previewAlert,
  type TemplatePreviewer,
  withdrawAlert,
} from './alerts';
import {
  approveCampaign,
  type ChangeOutcome,
  changeCampaign,
  requestCancel,
  withdrawPendingChange,
} from './approvals';
import { type CampaignDeps, createCampaign, getCampaign, listCampaigns } from './campaigns';
import { listOpenCampaigns } from './list-open-campaigns';
import { type CampaignStep, FIRED_STATUSES } from './model';
import type { CampaignRepository, DeliveryStats, ReminderTemplateSource } from './ports';
import { renderReminderPage } from './reminder-page';
import { CAMPAIGN_ADMIN_ROUTES, CAMPAIGN_PUBLIC_ROUTES } from './route-table';
import { createCampaignSchema, timelineQuerySchema, updateCampaignSchema } from './schema';
import {
  alertView,
  type CampaignDetailView,
  type CreatedCampaignView,
  campaignSummary,
  campaignView,
  type UpdatedCampaignView,
} from './view';

export interface CampaignAdminDeps extends CampaignDeps {
  /** Delivery counts per step (the delivery ledger); absent, every step shows `delivery: null`. */
  deliveries?: DeliveryStats;
  /** Renders an alert through SES's own renderer, for its preview. */
  previewer?: TemplatePreviewer;
  /** Where every admin action is written down (required here, unlike in the core's tests). */
  audit: AuditLog;
  /** Confirmed subscribers by role (counts only); absent, the view has no `subscribers`. */
  subscriberCounts?: SubscriberCounter;
}

const idOf = (event: APIGatewayProxyEventV2) => event.pathParameters?.id ?? '';
const alertIdOf = (event: APIGatewayProxyEventV2) => event.pathParameters?.alertId ?? '';

/** A JSON body that may be left out altogether (POST …/approve with nothing to add). */
const optionalJson = (event: APIGatewayProxyEventV2): unknown =>
  event.body ? readBody(event, ['json']).value : {};

const approveBodySchema = z.strictObject({
  changeId: z
    .string()
    .regex(/^[0-9a-f]{12}$/, "changeId must be the pending change's id (12 hex characters)")
    .optional(),
  alertId: z
    .string()
    .regex(/^[0-9a-f]{10}$/, 'alertId must be an alert id (10 hex characters)')
    .optional(),
});
const withdrawBodySchema = approveBodySchema.pick({ changeId: true });
const previewQuerySchema = z.strictObject({
  role: z.enum(ROLES, { error: `role must be one of: ${ROLES.join(', ')}` }).optional(),
});

/** PATCH and cancel: 200 when a draft changed at once, 202 when a change now waits for approval. */
const changeAnswer = (outcome: ChangeOutcome) =>
  outcome.outcome === 'applied'
    ? json(200, { ...campaignView(outcome.campaign), outcome: 'applied', moved: outcome.moved })
    : json(202, { ...campaignView(outcome.campaign), outcome: 'proposed' });

/** Admin campaign routes, spread into the admin API's routes (functions/lib/root/admin-api.ts). */
export const campaignAdminRoutes = (deps: CampaignAdminDeps): Route[] => {
  const deliveriesFor = async (campaignId: string) => (await deps.deliveries?.countsFor(campaignId)) ?? {};
  const cancel: Route['handler'] = async (event) =>
    changeAnswer(await requestCancel(deps, { campaignId: idOf(event), actor: adminIdentityOf(event) }));
  const approveAlertRoute = async (event: APIGatewayProxyEventV2, alertId: string) => {
    const { campaign, alert, step } = await approveAlert(deps, {
      campaignId: idOf(event),
      alertId,
      approver: adminIdentityOf(event),
    });
    return json(200, {
      ...campaignView(campaign),
      approved: 'alert',
      alert: alertView(alert),
      stepKey: step.key,
    });
  };
  return [
    {
      ...CAMPAIGN_ADMIN_ROUTES.create,
      handler: async (event) => {
        const author = adminIdentityOf(event);
        const input = validate(createCampaignSchema, readBody(event, ['json']).value);
        const { campaign, skipped } = await createCampaign(deps, input, author);
        return json(
          201,
          {
            ...campaignView(campaign),
            skipped: skipped.map(({ key, sendAt, skipReason }) => ({ key, sendAt, reason: skipReason })),
          } satisfies CreatedCampaignView,
          { location: `/admin/campaigns/${campaign.id}` },
        );
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.list,
      handler: async () => json(200, { campaigns: (await listCampaigns(deps)).map(campaignSummary) }),
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.get,
      handler: async (event) => {
        const campaign = await getCampaign(deps, idOf(event));
        const [deliveries, subscribers] = await Promise.all([
          deliveriesFor(campaign.id),
          deps.subscriberCounts?.countByRole(campaign.id),
        ]);
        return json(200, {
          ...campaignView(campaign, deliveries),
          ...(subscribers ? { subscribers } : {}),
        } satisfies CampaignDetailView);
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.update,
      handler: async (event) => {
        const actor = adminIdentityOf(event);
        const input = validate(updateCampaignSchema, readBody(event, ['json']).value);
        return changeAnswer(await changeCampaign(deps, { campaignId: idOf(event), input, actor }));
      },
    },
    { ...CAMPAIGN_ADMIN_ROUTES.delete, handler: cancel },
    { ...CAMPAIGN_ADMIN_ROUTES.cancel, handler: cancel },
    {
      ...CAMPAIGN_ADMIN_ROUTES.approve,
      handler: async (event) => {
        const approver = adminIdentityOf(event);
        const body = validate(approveBodySchema, optionalJson(event));
        if (body.alertId) return approveAlertRoute(event, body.alertId);
        const outcome = await approveCampaign(deps, {
          campaignId: idOf(event),
          approver,
          ...(body.changeId ? { changeId: body.changeId } : {}),
        });
        const view = campaignView(outcome.campaign, await deliveriesFor(outcome.campaign.id));
        if (outcome.approved === 'draft') {
          return json(200, {
            ...view,
            approved: 'draft',
            skipped: outcome.skipped.map(({ key, sendAt, skipReason }) => ({
              key,
              sendAt,
              reason: skipReason,
            })),
          });
        }
        if (outcome.approved === 'update') {
          return json(200, { ...view, approved: 'update', changeId: outcome.changeId, moved: outcome.moved });
        }
        return json(200, { ...view, approved: 'cancel', changeId: outcome.changeId });
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.withdraw,
      handler: async (event) => {
        const actor = adminIdentityOf(event);
        const body = validate(withdrawBodySchema, optionalJson(event));
        const campaign = await withdrawPendingChange(deps, {
          campaignId: idOf(event),
          actor,
          ...(body.changeId ? { changeId: body.changeId } : {}),
        });
        return json(200, campaignView(campaign));
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.createAlert,
      handler: async (event) => {
        const author = adminIdentityOf(event);
        const input = validate(alertInputSchema, readBody(event, ['json']).value);
        const { campaign, alert } = await createAlert(deps, { campaignId: idOf(event), author, input });
        return json(
          201,
          { campaignId: campaign.id, alert: alertView(alert) },
          { location: `/admin/campaigns/${campaign.id}/alerts/${alert.id}` },
        );
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.previewAlert,
      handler: async (event) => {
        const { role } = validate(previewQuerySchema, event.queryStringParameters ?? {});
        if (!deps.previewer) throw new Error('No template previewer wired');
        const preview = await previewAlert(
          { campaigns: deps.campaigns, previewer: deps.previewer },
          { campaignId: idOf(event), alertId: alertIdOf(event), ...(role ? { role } : {}) },
        );
        return json(200, {
          alert: alertView(preview.alert),
          role: preview.role,
          subject: preview.subject,
          html: preview.html,
          text: preview.text,
        });
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.approveAlert,
      handler: async (event) => approveAlertRoute(event, alertIdOf(event)),
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.withdrawAlert,
      handler: async (event) => {
        const { campaign, alert } = await withdrawAlert(deps, {
          campaignId: idOf(event),
          alertId: alertIdOf(event),
          actor: adminIdentityOf(event),
        });
        return json(200, { campaignId: campaign.id, alert: alertView(alert) });
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.audit,
      handler: async (event) => {
        const query = validate(auditQuerySchema, event.queryStringParameters ?? {});
        return json(200, { entries: await listAudit(deps.audit, query) });
      },
    },
  ];
};

export interface CampaignPublicDeps {
  campaigns: CampaignRepository;
  reminderTemplates: ReminderTemplateSource;
  clock: Clock;
}

/** Public campaign routes, spread into the public routes (functions/lib/root/api.ts). */
export const campaignPublicRoutes = (deps: CampaignPublicDeps): Route[] => [
  { ...CAMPAIGN_PUBLIC_ROUTES.listOpen, handler: async () => json(200, await listOpenCampaigns(deps)) },
  {
    ...CAMPAIGN_PUBLIC_ROUTES.timelineIcs,
    handler: async (event): Promise<HttpResult> => {
      const { role } = validate(timelineQuerySchema, event.queryStringParameters ?? {});
      const campaign = await getCampaign(deps, idOf(event));
      // A draft is not public until a second admin approves it.
      if (campaign.status === 'draft') throw new NotFoundError('There is no campaign with that id.');
      // Only what will (or did) go out: skipped steps are not sent; a cancelled campaign's feed empties,
      // so a subscribed calendar drops its events. Urgent alerts are not on the timeline.
      const steps = campaign.steps.filter(
        (step): step is CampaignStep & TimelineStep =>
          step.kind !== 'alert' && (step.status === 'scheduled' || FIRED_STATUSES.includes(step.status)),
      );
      const body = renderTimelineIcs({
        campaignId: campaign.id,
        campaignName: campaign.name,
        role,
        steps,
        milestones: campaign.milestones,
        timezone: campaign.timezone,
        now: deps.clock.now(),
      });
      return text(200, body, 'text/calendar; charset=utf-8', {
        'content-disposition': `attachment; filename="election-security-${campaign.id}-${role}.ics"`,
        'cache-control': 'public, max-age=300',
      });
    },
  },
  {
    ...CAMPAIGN_PUBLIC_ROUTES.reminderPage,
    handler: async (event): Promise<HttpResult> => {
      const { role } = validate(timelineQuerySchema, event.queryStringParameters ?? {});
      const html = await renderReminderPage(deps, {
        campaignId: idOf(event),
        stepKey: event.pathParameters?.stepKey ?? '',
        role,
      });
      return text(200, html, 'text/html; charset=utf-8', {
        'cache-control': 'public, max-age=300',
        // The page is the email itself, whose styles are inline (as email clients need): allow
        // inline styles here only; scripts stay forbidden.
        'content-security-policy': REMINDER_PAGE_CSP,
      });
    },
  },
];

const REMINDER_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
