import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ADMIN_API_PROXY, ADMIN_API_ROUTES, PUBLIC_API_ROUTES } from '../../../functions/lib/http/api-routes';
import { withHeadAndMethodNotAllowed } from '../../../functions/lib/http/methods';
import { type Route, type RouteDeclaration, routeKey } from '../../../functions/lib/http/route';
import { type AdminDeps, adminRoutes } from '../../../functions/lib/root/admin-api';
import { type PublicDeps, publicRoutes } from '../../../functions/lib/root/api';

/** A request path for a declared path: each `{param}` (and `{proxy+}`) filled with a value. */
const concrete = (path: string) => path.replace(/\{proxy\+\}/, 'a/b.css').replace(/\{[^}]+\}/g, 'x1');

const event = (method: string, path: string) =>
  ({
    version: '2.0',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method, path } },
  }) as unknown as APIGatewayProxyEventV2;

/**
 * Whether the router, built as the functions build it (HEAD for each GET, 405 for other methods),
 * sends a request: the declared path of the route it reached, if any. Each handler is swapped for one
 * that only says which it is, so what is tested is the router reading the declared paths, not the handlers.
 */
const routed = async (routes: Route[], method: string, path: string) => {
  const reached = routes.map((route) => ({
    ...route,
    handler: async () => ({ statusCode: 200, headers: { 'x-reached': route.path }, body: 'reached' }),
  }));
  const router = httpRouterHandler(withHeadAndMethodNotAllowed(reached)) as unknown as (
    e: unknown,
    c: Context,
  ) => Promise<{ headers?: Record<string, string> }>;
  try {
    return (await router(event(method, path), {} as Context)).headers?.['x-reached'];
  } catch (error) {
    // @middy/http-router's "no route" is its own 404 error.
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
};

const keys = (routes: readonly RouteDeclaration[]) => routes.map(routeKey).sort();

// No handler runs here, and building one uses no dependency (they are used per request).
const publicTable = publicRoutes({} as PublicDeps);
// The admin management and import routes are served when their parts are wired (always, in the functions).
const adminTable = adminRoutes({ admins: {}, audit: {}, imports: {} } as AdminDeps);

describe('the declared routes (functions/lib/http/api-routes.ts)', () => {
  it('are exactly what the public router serves, each once', () => {
    expect(keys(publicTable)).toEqual(keys(PUBLIC_API_ROUTES));
    expect(new Set(keys(PUBLIC_API_ROUTES)).size).toBe(PUBLIC_API_ROUTES.length);
  });

  it('are exactly what the admin router serves, each once, all under the proxy API Gateway sends to it', () => {
    expect(keys(adminTable)).toEqual(keys(ADMIN_API_ROUTES));
    expect(new Set(keys(ADMIN_API_ROUTES)).size).toBe(ADMIN_API_ROUTES.length);
    const prefix = ADMIN_API_PROXY.path.replace('{proxy+}', '');
    for (const route of ADMIN_API_ROUTES) expect(route.path.startsWith(prefix)).toBe(true);
  });

  it('declare no public path under the admin proxy (API Gateway would send it to the admin function)', () => {
    const prefix = ADMIN_API_PROXY.path.replace('{proxy+}', '');
    expect(PUBLIC_API_ROUTES.filter((route) => route.path.startsWith(prefix))).toEqual([]);
  });

  it("write paths in API Gateway's syntax: literal segments, {name} parameters, a greedy {proxy+} last", () => {
    // @middy/http-router reads `{name}` and a trailing `{proxy+}` (that name only) as API Gateway does;
    // anything else (`:id`, `*`, a parameter inside a segment) would be a literal to both.
    const segment = /^(?:[A-Za-z0-9._-]+|\{[A-Za-z][A-Za-z0-9]*\})$/;
    const wrong = [...PUBLIC_API_ROUTES, ...ADMIN_API_ROUTES].filter(({ path }) => {
      const segments = path === '/' ? [] : path.slice(1).split('/');
      const last = segments.at(-1) === '{proxy+}' ? segments.slice(0, -1) : segments;
      return !path.startsWith('/') || !last.every((part) => segment.test(part));
    });
    expect(wrong).toEqual([]);
  });

  it('use path syntax the router reads as API Gateway does: every declared route and its HEAD is answered', async () => {
    const missing: string[] = [];
    for (const route of PUBLIC_API_ROUTES) {
      const methods = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
      for (const method of methods) {
        if ((await routed(publicTable, method, concrete(route.path))) !== route.path)
          missing.push(`${method} ${route.path}`);
      }
    }
    for (const route of ADMIN_API_ROUTES) {
      if ((await routed(adminTable, route.method, concrete(route.path))) !== route.path)
        missing.push(routeKey(route));
    }
    expect(missing).toEqual([]);
  });

  it('a path or method nobody declared reaches no route (the check above can fail)', async () => {
    expect(await routed(publicTable, 'GET', '/nowhere')).toBeUndefined();
    expect(await routed(adminTable, 'GET', '/admin/nowhere')).toBeUndefined();
    expect(await routed(publicTable, 'PUT', '/subscriptions')).toBeUndefined();
  });
});
