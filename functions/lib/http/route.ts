import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from './responses';

/** One HTTP route as @middy/http-router takes it; capabilities export lists of these. */
export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>;
}
