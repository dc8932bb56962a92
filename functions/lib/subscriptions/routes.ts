import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { listOpenCampaignDetails, listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { PublicCampaign } from '../campaigns/model';
import { type Issue, ValidationError } from '../errors';
import { bodyText, header, readBody } from '../http/body';
import { type HttpResult, html, json } from '../http/responses';
import type { Route } from '../http/route';
import { toIssues } from '../http/validate';
import { logger } from '../logger';
import { serveAsset, stylesheetVersion } from '../pages/assets';
import {
  accessibilityContext,
  checkEmailContext,
  confirmContext,
  confirmedContext,
  contactContext,
  privacyContext,
  signupContext,
  unsubscribeContext,
} from '../pages/contexts';
import { asPage as asPageRoute } from '../pages/errors';
import { type PageName, renderPage } from '../pages/render';
import { DAY_SECONDS } from '../shared/dates';
import { InvalidTokenError, type TokenPurpose } from '../tokens/signer';
import { confirmSubscription } from './confirm';
import { PENDING_TTL_SECONDS } from './model';
import type { SubscriptionDeps } from './ports';
import { SUBSCRIPTION_ROUTES } from './route-table';
import { formToSignup, type SignupInput, signupSchema } from './schema';
import { awaitingConfirmation, subscribe } from './subscribe';
import { CONFIRM_EMAIL_THROTTLE } from './throttle';
import { type UnsubscribeScope, unsubscribe, verifyUnsubscribeToken } from './unsubscribe';

/** Days an unconfirmed sign-up (and its link) lasts, as the pages say it. */
const PENDING_DAYS = PENDING_TTL_SECONDS / DAY_SECONDS;

export const page = (status: number, name: PageName, context: Record<string, unknown> = {}) =>
  html(
    status,
    renderPage(name, { stylesheetVersion: stylesheetVersion(), pendingDays: PENDING_DAYS, ...context }),
  );

const badLink = (purpose: TokenPurpose, error: InvalidTokenError) => {
  // The reason helps operators; the token itself is never logged.
  logger.info('Link refused', { purpose, reason: error.reason });
  return page(400, 'bad-link', { purpose });
};

/**
 * A page route: an unexpected failure answers with the error page (see pages/errors.ts). A route that
 * takes a link's token (`purpose`) answers a bad one with the bad-link page.
 */
export const asPage = (
  handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>,
  purpose?: TokenPurpose,
) =>
  asPageRoute(
    handler,
    () => page(500, 'error'),
    (error) => (purpose && error instanceof InvalidTokenError ? badLink(purpose, error) : undefined),
  );

export const queryToken = (event: APIGatewayProxyEventV2): string => event.queryStringParameters?.token ?? '';

/** In the schema's English, like its other messages; pages show it from the catalogue. */
const CAMPAIGN_CLOSED = 'Select an election that is open for sign-up';

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
    issues.push({ path: 'campaignId', message: CAMPAIGN_CLOSED });
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
const readUnsubscribeBody = async (event: APIGatewayProxyEventV2): Promise<Record<string, unknown>> => {
  const contentType = header(event, 'content-type') ?? '';
  const raw = event.body ?? '';
  if (!raw) return {};
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    // Parts, not `name=value` text: the runtime's own multipart parser (fetch's Response.formData).
    const form = await new Response(bodyText(event), { headers: { 'content-type': contentType } }).formData();
    const fields = ['List-Unsubscribe', 'scope', 'token'].map((name) => [name, form.get(name)] as const);
    return Object.fromEntries(fields.filter(([, value]) => typeof value === 'string'));
  }
  const { value } = readBody(event, ['form', 'json']);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
};

/** The privacy notice, accessibility statement and contact page, linked from every page's footer. */
const infoPages = (deps: SubscriptionDeps): Route[] => [
  {
    ...SUBSCRIPTION_ROUTES.privacy,
    handler: asPage(async () => {
      const campaigns = await listOpenCampaignDetails(deps);
      return page(200, 'privacy', privacyContext(campaigns, deps.retentionDays));
    }),
  },
  {
    ...SUBSCRIPTION_ROUTES.accessibility,
    handler: asPage(async () => page(200, 'accessibility', accessibilityContext())),
  },
  {
    ...SUBSCRIPTION_ROUTES.contact,
    handler: asPage(async () => page(200, 'contact', contactContext(await listOpenCampaignDetails(deps)))),
  },
];

/** The subscriber journey: sign-up form and API, confirmation, unsubscribe, and the pages' assets. */
export const subscriptionRoutes = (deps: SubscriptionDeps): Route[] => [
  {
    ...SUBSCRIPTION_ROUTES.signupPage,
    handler: asPage(async () =>
      page(200, 'signup', signupContext(await listOpenCampaigns(deps), deps.retentionDays)),
    ),
  },
  {
    ...SUBSCRIPTION_ROUTES.subscribe,
    handler: async (event) => {
      const body = readBody(event, ['json', 'form']);
      const isForm = body.kind === 'form';
      const input = isForm ? formToSignup(body.value as Record<string, string>) : body.value;
      const { campaigns, signup, issues } = await validateSignup(deps, input);
      if (!signup) {
        if (!isForm) throw new ValidationError(issues);
        const values = body.value as Record<string, string>;
        return page(400, 'signup', signupContext(campaigns, deps.retentionDays, values, issues));
      }
      const campaign = campaigns.find((open) => open.id === signup.campaignId) as PublicCampaign;
      await subscribe(deps, campaign, signup, isForm ? 'form' : 'api');
      // The same answer for a new, pending, confirmed or unsubscribed address: no enumeration. The
      // address shown is the one just typed, on the typist's own screen.
      return isForm
        ? page(
            200,
            'check-email',
            checkEmailContext({
              email: signup.email,
              campaign,
              ...(deps.senderEmail ? { senderEmail: deps.senderEmail } : {}),
              dailyLimit: CONFIRM_EMAIL_THROTTLE.limit,
            }),
          )
        : json(202, { status: 'pending' });
    },
  },
  {
    ...SUBSCRIPTION_ROUTES.confirmPage,
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
      return page(
        200,
        'confirm',
        confirmContext({
          token,
          campaign,
          role: waiting?.role ?? subscription.role,
          email: subscription.email,
        }),
      );
    }, 'confirm'),
  },
  {
    ...SUBSCRIPTION_ROUTES.confirm,
    handler: asPage(async (event) => {
      const { kind, value } = readBody(event, ['form', 'json']);
      const token = String((value as { token?: unknown } | null)?.token ?? queryToken(event));
      const outcome = await confirmSubscription(deps, token, 'email-link');
      if (kind === 'json') return json(200, { status: 'confirmed' });
      return page(200, 'confirmed', confirmedContext(outcome.campaign, outcome.role, deps.clock.now()));
    }, 'confirm'),
  },
  {
    ...SUBSCRIPTION_ROUTES.unsubscribePage,
    handler: asPage(async (event) => {
      const token = queryToken(event);
      const claims = await verifyUnsubscribeToken(deps, token);
      const campaign = await deps.campaigns.getCampaign(claims.campaignId);
      return page(200, 'unsubscribe', unsubscribeContext(token, campaign));
    }, 'unsubscribe'),
  },
  {
    ...SUBSCRIPTION_ROUTES.unsubscribe,
    handler: asPage(async (event) => {
      let body: Record<string, unknown>;
      try {
        body = await readUnsubscribeBody(event);
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
  ...infoPages(deps),
  {
    ...SUBSCRIPTION_ROUTES.assets,
    handler: async (event) =>
      serveAsset(event.pathParameters?.proxy) ?? json(404, { error: 'not_found', message: 'Not found' }),
  },
];
