/**
 * The session layer in front of every console page, with in-memory ports: a page registered with a
 * permission is refused (403, handler not run) to a role without it, and a POST without the
 * session's CSRF token is refused before any handler runs.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createAdminDirectory } from '../../../functions/lib/admins/directory';
import type { AuditEntry } from '../../../functions/lib/audit/ports';
import type { ConsoleRoute } from '../../../functions/lib/console/http';
import type { ConsoleDeps, SessionRecord } from '../../../functions/lib/console/ports';
import { consoleRoutes } from '../../../functions/lib/console/routes';
import { createConsoleKeys } from '../../../functions/lib/console/secrets';
import { startSession } from '../../../functions/lib/console/session';
import type { Route } from '../../../functions/lib/http/route';

const keys = createConsoleKeys(Buffer.from('s'.repeat(48)));

const fakeDeps = (): ConsoleDeps => {
  const sessions = new Map<string, SessionRecord>();
  const audit: AuditEntry[] = [];
  return {
    admins: createAdminDirectory(
      [
        { email: 'vera@example.org', role: 'viewer' },
        { email: 'eddie@example.org', role: 'editor' },
      ],
      { list: async () => [], get: async () => undefined, put: async () => {}, remove: async () => false },
    ),
    sessions: {
      create: async (id, record) => void sessions.set(id, record),
      get: async (id) => sessions.get(id),
      touch: async () => {},
      end: async () => true,
    },
    links: { create: async () => {}, peek: async () => 'unknown', consume: async () => 'unknown' },
    signIns: { request: async () => {} },
    audit: { record: async (entry) => void audit.push(entry), list: async () => audit },
    campaigns: {
      listCampaigns: async () => [],
      getCampaign: async () => undefined,
    } as unknown as ConsoleDeps['campaigns'],
    counts: { countByRole: async () => ({}) as never },
    keys: async () => keys,
    clock: { now: () => new Date('2027-03-01T09:00:00Z') },
    secureCookies: true,
  };
};

const event = (method: string, path: string, cookie: string, body?: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    rawPath: path,
    cookies: [`__Host-esr-console=${cookie}`],
    headers: body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
    requestContext: { http: { method, path } },
    ...(body === undefined ? {} : { body, isBase64Encoded: false }),
  }) as unknown as APIGatewayProxyEventV2;

const find = (routes: Route[], method: string, path: string) =>
  routes.find((route) => route.method === method && route.path === path) as Route;

describe('console session layer', () => {
  const created: string[] = [];
  const createPage: ConsoleRoute = {
    method: 'POST',
    path: '/console/campaigns',
    permission: 'edit',
    handler: async (_event, context) => {
      created.push(context.form.name ?? '');
      return { statusCode: 201, headers: {}, body: 'created' };
    },
  };

  it('refuses a viewer a page that needs edit with 403, and lets an editor through', async () => {
    const deps = fakeDeps();
    const routes = consoleRoutes(deps, [createPage]);
    const route = find(routes, 'POST', '/console/campaigns');
    for (const [email, status] of [
      ['vera@example.org', 403],
      ['eddie@example.org', 201],
    ] as const) {
      const session = await startSession(deps, email);
      const csrf = keys.csrfToken(session.id);
      const answer = await route.handler(
        event('POST', '/console/campaigns', session.cookieValue, `csrfToken=${csrf}&name=${email}`),
      );
      expect(answer.statusCode, email).toBe(status);
    }
    expect(created).toEqual(['eddie@example.org']);
  });

  it('refuses a POST without the session’s CSRF token before the handler runs', async () => {
    created.length = 0;
    const deps = fakeDeps();
    const route = find(consoleRoutes(deps, [createPage]), 'POST', '/console/campaigns');
    const session = await startSession(deps, 'eddie@example.org');
    const other = await startSession(deps, 'eddie@example.org');
    for (const body of ['name=x', `csrfToken=${keys.csrfToken(other.id)}&name=x`, 'csrfToken=&name=x']) {
      const answer = await route.handler(event('POST', '/console/campaigns', session.cookieValue, body));
      expect(answer.statusCode).toBe(403);
      expect(answer.body).toContain('Nothing was changed');
    }
    expect(created).toEqual([]);
  });

  it('sends a GET without a session to the sign-in page and refuses such a POST', async () => {
    const deps = fakeDeps();
    const routes = consoleRoutes(deps, [createPage]);
    const list = await find(routes, 'GET', '/console/campaigns').handler(
      event('GET', '/console/campaigns', 'forged.cookie'),
    );
    expect(list.statusCode).toBe(303);
    expect(list.headers.location).toBe('/console/sign-in');
    const post = await find(routes, 'POST', '/console/campaigns').handler(
      event('POST', '/console/campaigns', 'forged', 'name=x'),
    );
    expect(post.statusCode).toBe(403);
  });
});
