import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_API_PROXY,
  CONSOLE_GATEWAY_ROUTES,
  PUBLIC_API_ROUTES,
} from '../../functions/lib/http/api-routes';
import { routeKey } from '../../functions/lib/http/route';
import { buildTestApp } from '../support/cdk-app';

type RouteResource = { Properties: { RouteKey: string; Target: unknown } };

/** API Gateway's routes are the declared ones: nothing served is missing, nothing else is public. */
describe('CDK: the HTTP API routes are the declared routes', () => {
  let routes: RouteResource[];
  let integrations: Record<string, { Properties: { IntegrationUri: unknown } }>;

  beforeAll(() => {
    const template = buildTestApp().template();
    routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as RouteResource[];
    integrations = template.findResources('AWS::ApiGatewayV2::Integration') as typeof integrations;
  });

  /** The function a route's integration invokes, by its logical id. */
  const functionOf = (route: RouteResource) => {
    const target = JSON.stringify(route.Properties.Target);
    const [, integrationId] = /"Ref":"([^"]+)"/.exec(target) ?? [];
    const uri = JSON.stringify(integrations[integrationId ?? '']?.Properties.IntegrationUri);
    return /"Fn::GetAtt":\["([^"]+)"/.exec(uri)?.[1];
  };

  it('lists each declared public route, HEAD for each GET, the admin proxy and the console: nothing more', () => {
    const withHead = (route: { method: string; path: string }) =>
      route.method === 'GET' ? [routeKey(route), `HEAD ${route.path}`] : [routeKey(route)];
    const expected = [
      ...PUBLIC_API_ROUTES.flatMap(withHead),
      routeKey(ADMIN_API_PROXY),
      ...CONSOLE_GATEWAY_ROUTES.flatMap(withHead),
    ];
    const synthesised = routes.map((route) => route.Properties.RouteKey);
    expect(new Set(expected).size).toBe(expected.length);
    expect([...synthesised].sort()).toEqual([...expected].sort());
  });

  it('sends the public routes to the public function, the proxy to the admin function, the console to its own', () => {
    const byKey = new Map(routes.map((route) => [route.Properties.RouteKey, functionOf(route)]));
    const admin = byKey.get(routeKey(ADMIN_API_PROXY));
    expect(admin).toMatch(/^AdminApiFunction/);
    for (const route of PUBLIC_API_ROUTES) expect(byKey.get(routeKey(route))).toMatch(/^PublicApiFunction/);
    for (const route of CONSOLE_GATEWAY_ROUTES) expect(byKey.get(routeKey(route))).toMatch(/^Console/);
  });
});
