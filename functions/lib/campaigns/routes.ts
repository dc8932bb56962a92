import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '../clock';
import { readBody } from '../http/body';
import { type HttpResult, json, text } from '../http/responses';
import type { Route } from '../http/route';
import { validate } from '../http/validate';
import { renderTimelineIcs } from '../timeline/ics';
import {
  type CampaignDeps,
  cancelCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from './campaigns';
import { listOpenCampaigns } from './list-open-campaigns';
import { FIRED_STATUSES } from './model';
import type { CampaignRepository, DeliveryStats, ReminderTemplateSource } from './ports';
import { renderReminderPage } from './reminder-page';
import { CAMPAIGN_ADMIN_ROUTES, CAMPAIGN_PUBLIC_ROUTES } from './route-table';
import { createCampaignSchema, timelineQuerySchema, updateCampaignSchema } from './schema';
import { type CreatedCampaignView, campaignSummary, campaignView, type UpdatedCampaignView } from './view';

export interface CampaignAdminDeps extends CampaignDeps {
  /** Delivery counts per step (the delivery ledger); absent, every step shows `delivery: null`. */
  deliveries?: DeliveryStats;
}

const idOf = (event: APIGatewayProxyEventV2) => event.pathParameters?.id ?? '';

/** Admin campaign routes, spread into the admin API's routes (functions/lib/root/admin-api.ts). */
export const campaignAdminRoutes = (deps: CampaignAdminDeps): Route[] => {
  const deliveriesFor = async (campaignId: string) => (await deps.deliveries?.countsFor(campaignId)) ?? {};
  return [
    {
      ...CAMPAIGN_ADMIN_ROUTES.create,
      handler: async (event) => {
        const input = validate(createCampaignSchema, readBody(event, ['json']).value);
        const { campaign, skipped } = await createCampaign(deps, input);
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
        return json(200, campaignView(campaign, await deliveriesFor(campaign.id)));
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.update,
      handler: async (event) => {
        const input = validate(updateCampaignSchema, readBody(event, ['json']).value);
        const { campaign, moved } = await updateCampaign(deps, idOf(event), input);
        return json(200, { ...campaignView(campaign), moved } satisfies UpdatedCampaignView);
      },
    },
    {
      ...CAMPAIGN_ADMIN_ROUTES.cancel,
      handler: async (event) => json(200, campaignView(await cancelCampaign(deps, idOf(event)))),
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
      // Only what will (or did) go out: skipped steps are not sent; a cancelled campaign's feed empties,
      // so a subscribed calendar drops its events.
      const steps = campaign.steps.filter(
        (step) => step.status === 'scheduled' || FIRED_STATUSES.includes(step.status),
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
