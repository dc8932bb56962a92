import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ConsolePermission } from '../admins/allow-list';
import type { AdminIdentity } from '../admins/model';
import type { UploadedFile } from '../http/multipart';
import { type HttpResult, html } from '../http/responses';
import { renderConsoleView } from './render';

/**
 * The interface a console page implements (the campaign pages plug in through it). The session
 * layer has already checked, before the handler runs: a live session, the admin's permission for
 * the route, and on POST the CSRF token, so a handler never sees a forged form.
 */
export interface ConsoleContext {
  /** The signed-in admin, their role read afresh on this request. */
  admin: AdminIdentity;
  /** Put in every form as the hidden field `csrfToken`. */
  csrfToken: string;
  /** POST only: the form's fields (urlencoded), CSRF token checked and removed. */
  form: Record<string, string>;
  /** POST only, on a route whose `body` is `multipart`: the form's files by field name. */
  files?: Record<string, UploadedFile>;
}

export type ConsoleRouteHandler = (
  event: APIGatewayProxyEventV2,
  context: ConsoleContext,
) => Promise<HttpResult>;

export interface ConsoleRoute {
  method: 'GET' | 'POST';
  /** Under `/console`, with `{name}` parameters as @middy/http-router takes them. */
  path: string;
  /** `read` (every role), `edit` (editor, approver) or `approve` (approver). */
  permission: ConsolePermission;
  /**
   * POST only: how the form comes. `form` (the default) is urlencoded, at most 10 KB; `multipart`
   * (a file upload) is `multipart/form-data` of at most `maxBytes`, its CSRF token a field like any other.
   */
  body?: { kind: 'form' } | { kind: 'multipart'; maxBytes: number };
  handler: ConsoleRouteHandler;
}

/** Which service navigation item is current. */
export type ConsoleSection = 'campaigns' | 'subscribers' | 'audit' | 'sign-out';

/**
 * Renders a console view inside the shell (service navigation, the signed-in admin). Views extend
 * `console-layout.njk` and may use `csrfToken`, `admin` and `t()`.
 */
export const consolePage = (
  status: number,
  view: string,
  context: Record<string, unknown>,
  console: Pick<ConsoleContext, 'admin' | 'csrfToken'> | undefined,
  section?: ConsoleSection,
): HttpResult =>
  html(
    status,
    renderConsoleView(view, {
      ...context,
      ...(console ? { admin: console.admin, csrfToken: console.csrfToken } : {}),
      section,
    }),
  );

/** A plain redirect after a form post or to the sign-in page. */
export const seeOther = (location: string, cookies: string[] = []): HttpResult => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  body: '',
  ...(cookies.length > 0 ? { cookies } : {}),
});
