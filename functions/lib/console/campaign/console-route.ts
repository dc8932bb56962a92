import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AdminIdentity } from '../../admins/model';
import type { HttpResult } from '../../http/responses';

/**
 * Shim until the console shell's session layer is merged: a console route gets the signed-in admin
 * and the session's CSRF token, after the session layer has checked the cookie (and, on a POST, the
 * token). Delete this file for the shell's own types when merging.
 */
export interface ConsoleContext {
  admin: AdminIdentity;
  csrfToken: string;
}

export interface ConsoleRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (request: APIGatewayProxyEventV2, context: ConsoleContext) => Promise<HttpResult>;
}

/** The form field carrying the CSRF token. */
export const CSRF_FIELD = 'csrfToken';
