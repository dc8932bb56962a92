import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Campaign } from '../campaigns/model';
import { readBody } from '../http/body';
import type { HttpResult } from '../http/responses';
import type { Route } from '../http/route';
import { manageContext, manageDataContext, managePaths } from '../pages/manage-contexts';
import { eraseByHash, exportByHash } from '../subjects/subject-rights';
import {
  applyManageAction,
  loadManageState,
  type ManageDeps,
  ManageRefusedError,
  verifyManageToken,
} from './manage';
import { MANAGE_ROUTES } from './route-table';
import { asPage, page, queryToken } from './routes';

/**
 * The page holds the person's data and a capability in its URL: never indexed, archived or followed
 * (on top of the layout's robots meta tag and the no-referrer policy every answer carries).
 */
const private_ = (result: HttpResult): HttpResult => ({
  ...result,
  headers: { ...result.headers, 'x-robots-tag': 'noindex, nofollow, noarchive' },
});

/** Form fields: the token travels in the body of a POST, never in its URL. */
const formOf = (event: APIGatewayProxyEventV2): Record<string, unknown> => {
  const { value } = readBody(event, ['form', 'json']);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
};
const tokenIn = (fields: Record<string, unknown>) => (typeof fields.token === 'string' ? fields.token : '');

/**
 * "Manage your reminders", linked from every email: change role, join or leave elections, see what
 * is held and delete it, with no sign-in. CSRF: there is no cookie or session, so the only credential
 * is the signed manage token, posted in a hidden field; another site cannot know it, so cannot forge a
 * request that does anything (and `form-action 'self'` keeps our forms posting to us).
 */
export const manageRoutes = (deps: ManageDeps): Route[] => [
  {
    ...MANAGE_ROUTES.page,
    handler: asPage(async (event) => {
      const token = queryToken(event);
      return private_(page(200, 'manage', manageContext(token, await loadManageState(deps, token))));
    }, 'manage'),
  },
  {
    ...MANAGE_ROUTES.change,
    handler: asPage(async (event) => {
      const fields = formOf(event);
      const token = tokenIn(fields);
      try {
        const done = await applyManageAction(deps, token, fields);
        return private_(
          page(
            200,
            'manage',
            manageContext(token, await loadManageState(deps, token), { done: done.action }),
          ),
        );
      } catch (error) {
        if (!(error instanceof ManageRefusedError)) throw error;
        const state = await loadManageState(deps, token);
        return private_(page(400, 'manage', manageContext(token, state, { error: error.reason })));
      }
    }, 'manage'),
  },
  {
    ...MANAGE_ROUTES.data,
    handler: asPage(async (event) => {
      const token = queryToken(event);
      const claims = await verifyManageToken(deps, token);
      const data = await exportByHash(deps.subjects, claims.emailHmac, 'self-service');
      const ids = [...new Set([...data.subscriptions, ...data.deliveries].map((item) => item.campaignId))];
      const found = await Promise.all(ids.map((id) => deps.campaigns.getCampaign(id)));
      const campaigns = new Map(
        found.filter((c): c is Campaign => c !== undefined).map((campaign) => [campaign.id, campaign]),
      );
      return private_(page(200, 'manage-data', manageDataContext(token, data, campaigns)));
    }, 'manage'),
  },
  {
    ...MANAGE_ROUTES.deletePage,
    handler: asPage(async (event) => {
      const token = queryToken(event);
      await verifyManageToken(deps, token);
      return private_(page(200, 'manage-delete', { token, ...managePaths(token) }));
    }, 'manage'),
  },
  {
    ...MANAGE_ROUTES.delete,
    handler: asPage(async (event) => {
      const fields = formOf(event);
      const token = tokenIn(fields);
      const claims = await verifyManageToken(deps, token);
      // The confirmation step's own field: a post without it (a replayed or hand-made form) erases nothing.
      if (fields.confirm !== 'yes') {
        return private_(page(400, 'manage-delete', { token, ...managePaths(token) }));
      }
      await eraseByHash(deps.subjects, claims.emailHmac, 'self-service');
      return private_(page(200, 'manage-deleted'));
    }, 'manage'),
  },
];
