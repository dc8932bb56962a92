import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { PublicCampaign } from '../campaigns/model';
import { ROLE_HINTS, ROLE_LABELS, ROLES, roleWithArticle } from '../domain/roles';
import { type Issue, ValidationError } from '../errors';
import { bodyText, header, readBody } from '../http/body';
import { errorToResponse, logUnhandled } from '../http/errors';
import { type HttpResult, html, json } from '../http/responses';
import type { Route } from '../http/route';
import { toIssues } from '../http/validate';
import { logger } from '../logger';
import { serveAsset, stylesheetVersion } from '../pages/assets';
import { type PageName, renderPage } from '../pages/render';
import { InvalidTokenError, type TokenPurpose } from '../tokens/signer';
import { confirmSubscription } from './confirm';
import { longDate } from './dates';
import type { SubscriptionDeps } from './ports';
import { formToSignup, type SignupInput, signupSchema } from './schema';
import { subscribe } from './subscribe';
import { type UnsubscribeScope, unsubscribe, verifyUnsubscribeToken } from './unsubscribe';

const page = (status: number, name: PageName, context: Record<string, unknown> = {}) =>
  html(status, renderPage(name, { stylesheetVersion: stylesheetVersion(), ...context }));

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
      return page(500, 'error', {
        title: 'Sorry, there is a problem with the service',
        message: 'Nothing has been changed. Try again later.',
      });
    }
  };

const queryToken = (event: APIGatewayProxyEventV2): string => event.queryStringParameters?.token ?? '';

const signupPageContext = (
  campaigns: PublicCampaign[],
  retentionDays: number,
  values: Record<string, string> = {},
  issues: Issue[] = [],
) => {
  const errors = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
  // The summary links to the first input of each field: radios and checkboxes use idPrefix.
  const errorList = issues.map((issue) => ({ text: issue.message, href: `#${issue.path}` }));
  return {
    values,
    errors,
    errorList,
    retentionDays,
    campaigns,
    roleItems: ROLES.map((role) => ({
      value: role,
      text: sentenceCase(ROLE_LABELS[role]),
      hint: { text: ROLE_HINTS[role] },
      checked: values.role === role,
    })),
    campaignItems: campaigns.map((campaign) => ({
      value: campaign.id,
      text: campaign.name,
      hint: { text: `Polling day: ${longDate(campaign.pollDate)}` },
      checked: values.campaignId === campaign.id,
    })),
  };
};

const sentenceCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

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
    issues.push({ path: 'campaignId', message: 'Select an election that is open for sign-up' });
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
      // The same answer for a new, pending, confirmed or unsubscribed address: no enumeration.
      return isForm ? page(200, 'check-email') : json(202, { status: 'pending' });
    },
  },
  {
    method: 'GET',
    path: '/subscriptions/confirm',
    handler: asPage(async (event) => {
      const token = queryToken(event);
      // A link scanner's GET confirms nothing: it only gets a page with a button.
      (await deps.keys()).signer.verify(token, 'confirm', deps.clock.now());
      return page(200, 'confirm', { token });
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
        roleLabel: roleWithArticle(outcome.role),
      });
    }, 'confirm'),
  },
  {
    method: 'GET',
    path: '/unsubscribe',
    handler: asPage(async (event) => {
      const token = queryToken(event);
      await verifyUnsubscribeToken(deps, token);
      return page(200, 'unsubscribe', { token });
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
  {
    method: 'GET',
    path: '/assets/{proxy+}',
    handler: async (event) =>
      serveAsset(event.pathParameters?.proxy) ?? json(404, { error: 'not_found', message: 'Not found' }),
  },
];
