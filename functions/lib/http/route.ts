import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from './responses';

/**
 * One route as declared: method and path in API Gateway's syntax (`{id}` for a segment, a trailing
 * `{proxy+}` for the rest), which @middy/http-router reads the same way. Declarations hold no handler,
 * so the CDK app imports them without loading any handler code (functions/lib/http/api-routes.ts).
 */
export interface RouteDeclaration {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
}

/** A capability's declared routes by name (its `route-table.ts`); its `routes.ts` spreads each into a Route. */
export type RouteTable = Readonly<Record<string, RouteDeclaration>>;

/** One HTTP route as @middy/http-router takes it: a declaration and its handler. */
export interface Route extends RouteDeclaration {
  handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>;
}

/** `GET /path`, as API Gateway writes a route key. */
export const routeKey = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
