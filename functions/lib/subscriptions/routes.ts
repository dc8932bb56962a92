import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { Campaign, PublicCampaign } from '../campaigns/model';
import { listOpenCampaignDetails } from '../campaigns/open-campaign-details';
import { ROLES, type Role } from '../domain/roles';
import { type Issue, ValidationError } from '../errors';
import { bodyText, header, readBody } from '../http/body';
import { errorToResponse, logUnhandled } from '../http/errors';
import { type HttpResult, html, json } from '../http/responses';
import type { Route } from '../http/route';
import { toIssues } from '../http/validate';
import { type Catalogue, keyOfEnglishMessage, loadCatalogue, translate } from '../i18n/catalogue';
import { logger } from '../logger';
import { serveAsset, stylesheetVersion } from '../pages/assets';
import { maskEmail } from '../pages/mask';
import { type PageName, renderPage } from '../pages/render';
import { localDateOf } from '../timeline/dates';
import { InvalidTokenError, type TokenPurpose } from '../tokens/signer';
import { confirmSubscription } from './confirm';
import { DAY_SECONDS, longDate } from './dates';
import { PENDING_TTL_SECONDS } from './model';
import type { SubscriptionDeps } from './ports';
import { formToSignup, type SignupInput, signupSchema } from './schema';
import { awaitingConfirmation, subscribe } from './subscribe';
import { CONFIRM_EMAIL_THROTTLE } from './throttle';
import { type UnsubscribeScope, unsubscribe, verifyUnsubscribeToken } from './unsubscribe';

/** Days an unconfirmed sign-up (and its link) lasts, as the pages say it. */
const PENDING_DAYS = PENDING_TTL_SECONDS / DAY_SECONDS;

/** The pages' words; one locale for now (a Welsh catalogue would be chosen here). */
const words = (): Catalogue => loadCatalogue();
const say = (key: string, params: Record<string, unknown> = {}) => translate(words(), key, params);

const page = (status: number, name: PageName, context: Record<string, unknown> = {}) =>
  html(
    status,
    renderPage(name, { stylesheetVersion: stylesheetVersion(), pendingDays: PENDING_DAYS, ...context }),
  );

/** HEAD answers as GET would, without the body (API Gateway routes HEAD only where it is listed). */
const headOf = (route: Route): Route => ({
  method: 'HEAD',
  path: route.path,
  handler: async (event) => ({ ...(await route.handler(event)), body: '' }),
});

const badLink = (purpose: TokenPurpose, error: InvalidTokenError) => {
  // The reason helps operators; the token itself is never logged.
  logger.info('Link refused', { purpose, reason: error.reason });
  return page(400, 'bad-link', { purpose });
};

/**
 * Page routes answer an unexpected failure with a page, not JSON; the details go to the log only. A
 * route that takes a link's token (`purpose`) answers a bad one with the bad-link page.
 */
const asPage =
  (handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>, purpose?: TokenPurpose) =>
  async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    try {
      return await handler(event);
    } catch (error) {
      if (purpose && error instanceof InvalidTokenError) return badLink(purpose, error);
      const known = errorToResponse(error);
      if (known.statusCode < 500) return known;
      logUnhandled('Page failed', error);
      return page(500, 'error');
    }
  };

const queryToken = (event: APIGatewayProxyEventV2): string => event.queryStringParameters?.token ?? '';

const signupPageContext = (
  campaigns: PublicCampaign[],
  retentionDays: number,
  values: Record<string, string> = {},
  issues: Issue[] = [],
) => {
  const errors = Object.fromEntries(issues.map((issue) => [issue.path, issueText(issue)]));
  // The summary links to the first input of each field: radios and checkboxes use idPrefix.
  const errorList = issues.map((issue) => ({ text: issueText(issue), href: `#${issue.path}` }));
  return {
    values,
    errors,
    errorList,
    retentionDays,
    campaigns,
    roleItems: ROLES.map((role) => ({
      value: role,
      text: say(`role.${role}.label`),
      hint: { text: say(`role.${role}.hint`) },
      checked: values.role === role,
    })),
    campaignItems: campaigns.map((campaign) => ({
      value: campaign.id,
      text: campaign.name,
      hint: {
        text: campaign.organiser
          ? say('signup.campaignHintWithOrganiser', {
              pollDate: longDate(campaign.pollDate),
              organiser: campaign.organiser.name,
            })
          : say('signup.campaignHint', { pollDate: longDate(campaign.pollDate) }),
      },
      checked: values.campaignId === campaign.id,
    })),
  };
};

/** A validation message (English, from the schema the JSON API shares) in the page's words. */
const issueText = (issue: Issue): string => {
  const key = keyOfEnglishMessage(issue.message, 'signup.error.');
  return key ? say(key) : issue.message;
};

const roleWithArticle = (role: Role) => say(`role.${role}.withArticle`);

/** The role's steps still to come and the timetable's dates not yet passed, for the confirmed page. */
const upcomingFor = (campaign: Campaign, role: Role, now: Date) => {
  const today = localDateOf(now, campaign.timezone);
  const reminderRows = campaign.steps
    .filter(
      (step) => step.status === 'scheduled' && step.roles.includes(role) && step.epochMs > now.getTime(),
    )
    .map((step) => [{ text: longDate(step.date) }, { text: step.title }]);
  const milestoneRows = campaign.milestones
    .filter((milestone) => milestone.date >= today)
    .map((milestone) => [{ text: longDate(milestone.date) }, { text: say(`milestone.${milestone.key}`) }]);
  return { reminderRows, milestoneRows };
};

const calendarUrl = (campaignId: string, role: Role) =>
  `/campaigns/${encodeURIComponent(campaignId)}/timeline.ics?role=${encodeURIComponent(role)}`;

/** What the footer says about who runs the campaign a page is about. */
const footerCampaign = (campaign: Campaign) => ({
  name: campaign.name,
  ...(campaign.organiser ? { organiser: { name: campaign.organiser.name } } : {}),
});

/** A tel: link's number: digits and `+` only; the screen shows the number as the organiser wrote it. */
const telOf = (phone: string) => phone.replace(/[^\d+]/g, '');

/** Validates a sign-up, naming every bad field; an unknown or closed campaign is a bad campaignId. */
const validateSignup = async (
  deps: SubscriptionDeps,
  input: unknown,
): Promise<{ campaigns: PublicCampaign[]; signup?: SignupInput; issues: Issue[] }> => {
  const campaigns = await listOpenCampaigns(deps);
  const result = signupSchema.safeParse(input);
  const issues = result.success ? [] : toIssues(result.error);
  const campaignId = (input as { campaignId?: unknown } | null)?.campaignId;
  if (
    typeof campaignId === 'string' &&
    campaignId !== '' &&
    !issues.some((issue) => issue.path === 'campaignId') &&
    !campaigns.some((campaign) => campaign.id === campaignId)
  ) {
    issues.push({ path: 'campaignId', message: say('signup.error.campaignClosed') });
  }
  if (!result.success || issues.length > 0) return { campaigns, issues: order(issues) };
  return { campaigns, signup: result.data, issues: [] };
};

const FIELD_ORDER = ['email', 'name', 'role', 'campaignId', 'consent'];
const order = (issues: Issue[]) =>
  [...issues]
    .sort((a, b) => rank(a.path) - rank(b.path))
    .filter((issue, i, all) => all.findIndex((other) => other.path === issue.path) === i);
const rank = (path: string) => (FIELD_ORDER.includes(path) ? FIELD_ORDER.indexOf(path) : FIELD_ORDER.length);

/**
 * RFC 8058 one-click posts may come as multipart/form-data; readBody takes JSON and urlencoded
 * forms only. Whatever the body, the token in the URL decides: a one-click unsubscribe must not fail.
 */
const readUnsubscribeBody = (event: APIGatewayProxyEventV2): Record<string, unknown> => {
  const contentType = (header(event, 'content-type') ?? '').toLowerCase();
  const raw = event.body ?? '';
  if (!raw) return {};
  if (contentType.startsWith('multipart/form-data')) {
    return /List-Unsubscribe=One-Click/.test(bodyText(event)) ? { 'List-Unsubscribe': 'One-Click' } : {};
  }
  const { value } = readBody(event, ['form', 'json']);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
};

/** The date the accessibility statement was last reviewed: update it with the statement. */
const ACCESSIBILITY_STATEMENT_DATE = '2026-12-01';

/** The privacy notice, accessibility statement and contact page, linked from every page's footer. */
const infoPages = (deps: SubscriptionDeps): Route[] => [
  {
    method: 'GET',
    path: '/privacy',
    handler: asPage(async () => {
      const campaigns = await listOpenCampaignDetails(deps);
      return page(200, 'privacy', {
        retentionDays: deps.retentionDays,
        organisers: campaigns
          .filter((campaign) => campaign.organiser)
          .map((campaign) => ({ campaign: campaign.name, organiser: campaign.organiser?.name })),
      });
    }),
  },
  {
    method: 'GET',
    path: '/accessibility',
    handler: asPage(async () =>
      page(200, 'accessibility', { statementDate: longDate(ACCESSIBILITY_STATEMENT_DATE) }),
    ),
  },
  {
    method: 'GET',
    path: '/contact',
    handler: asPage(async () => {
      const campaigns = await listOpenCampaignDetails(deps);
      return page(200, 'contact', {
        contactCampaigns: campaigns.map(({ name, organiser }) => ({
          name,
          ...(organiser
            ? {
                organiser: {
                  ...organiser,
                  ...(organiser.phone ? { tel: telOf(organiser.phone) } : {}),
                  ...(organiser.website ? { websiteHost: new URL(organiser.website).hostname } : {}),
                },
              }
            : {}),
        })),
      });
    }),
  },
];

/** The subscriber journey: sign-up form and API, confirmation, unsubscribe, and the pages' assets. */
export const subscriptionRoutes = (deps: SubscriptionDeps): Route[] => [
  {
    method: 'GET',
    path: '/',
    handler: asPage(async () =>
      page(200, 'signup', signupPageContext(await listOpenCampaigns(deps), deps.retentionDays)),
    ),
  },
  {
    method: 'POST',
    path: '/subscriptions',
    handler: async (event) => {
      const body = readBody(event, ['json', 'form']);
      const isForm = body.kind === 'form';
      const input = isForm ? formToSignup(body.value as Record<string, string>) : body.value;
      const { campaigns, signup, issues } = await validateSignup(deps, input);
      if (!signup) {
        if (!isForm) throw new ValidationError(issues);
        const values = body.value as Record<string, string>;
        return page(400, 'signup', signupPageContext(campaigns, deps.retentionDays, values, issues));
      }
      const campaign = campaigns.find((open) => open.id === signup.campaignId) as PublicCampaign;
      await subscribe(deps, campaign, signup, isForm ? 'form' : 'api');
      // The same answer for a new, pending, confirmed or unsubscribed address: no enumeration. The
      // address shown is the one just typed, on the typist's own screen.
      return isForm
        ? page(200, 'check-email', {
            email: signup.email,
            organiserName: campaign.organiser?.name,
            senderEmail: deps.senderEmail,
            dailyLimit: CONFIRM_EMAIL_THROTTLE.limit,
          })
        : json(202, { status: 'pending' });
    },
  },
  {
    method: 'GET',
    path: '/subscriptions/confirm',
    handler: asPage(async (event) => {
      const token = queryToken(event);
      const now = deps.clock.now();
      // A link scanner's GET confirms nothing: it only gets a page with a button. The token holds
      // ids only; the election, role and (masked) address come from what waits for confirmation.
      const claims = (await deps.keys()).signer.verify(token, 'confirm', now);
      const [campaign, subscription] = await Promise.all([
        deps.campaigns.getCampaign(claims.campaignId),
        deps.subscriptions.get(claims.emailHmac, claims.campaignId),
      ]);
      const waiting = awaitingConfirmation(subscription, claims.nonce, now);
      const alreadyConfirmed = subscription?.status === 'confirmed' && subscription.nonce === claims.nonce;
      // The same refusal the button would meet: nothing here to confirm.
      if (!campaign || !subscription?.email || !(waiting || alreadyConfirmed)) {
        throw new InvalidTokenError('unknown');
      }
      return page(200, 'confirm', {
        token,
        campaignName: campaign.name,
        roleLabel: roleWithArticle(waiting?.role ?? subscription.role),
        maskedEmail: maskEmail(subscription.email),
        footerCampaign: footerCampaign(campaign),
      });
    }, 'confirm'),
  },
  {
    method: 'POST',
    path: '/subscriptions/confirm',
    handler: asPage(async (event) => {
      const { kind, value } = readBody(event, ['form', 'json']);
      const token = String((value as { token?: unknown } | null)?.token ?? queryToken(event));
      const outcome = await confirmSubscription(deps, token, 'email-link');
      if (kind === 'json') return json(200, { status: 'confirmed' });
      return page(200, 'confirmed', {
        campaignName: outcome.campaign.name,
        pollDate: longDate(outcome.campaign.pollDate),
        roleWithArticle: roleWithArticle(outcome.role),
        ...upcomingFor(outcome.campaign, outcome.role, deps.clock.now()),
        calendarUrl: calendarUrl(outcome.campaign.id, outcome.role),
        footerCampaign: footerCampaign(outcome.campaign),
      });
    }, 'confirm'),
  },
  {
    method: 'GET',
    path: '/unsubscribe',
    handler: asPage(async (event) => {
      const token = queryToken(event);
      const claims = await verifyUnsubscribeToken(deps, token);
      const campaign = await deps.campaigns.getCampaign(claims.campaignId);
      return page(200, 'unsubscribe', {
        token,
        ...(campaign ? { campaignName: campaign.name, footerCampaign: footerCampaign(campaign) } : {}),
      });
    }, 'unsubscribe'),
  },
  {
    method: 'POST',
    path: '/unsubscribe',
    handler: asPage(async (event) => {
      let body: Record<string, unknown>;
      try {
        body = readUnsubscribeBody(event);
      } catch {
        // No body problem (malformed, too large, another content type) may stop an unsubscribe:
        // the token in the URL is enough.
        body = {};
      }
      const token = queryToken(event) || String(body.token ?? '');
      const scope: UnsubscribeScope = body.scope === 'all' ? 'all' : 'campaign';
      const oneClick = body['List-Unsubscribe'] === 'One-Click';
      await unsubscribe(deps, token, scope, oneClick ? 'one-click' : 'email-link');
      return page(200, 'unsubscribed', { scope });
    }, 'unsubscribe'),
  },
  ...infoPages(deps).flatMap((route) => [route, headOf(route)]),
  {
    method: 'GET',
    path: '/assets/{proxy+}',
    handler: async (event) =>
      serveAsset(event.pathParameters?.proxy) ?? json(404, { error: 'not_found', message: 'Not found' }),
  },
];
