import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { roleAllows } from '../admins/allow-list';
import { recordAudit } from '../audit/audit';
import type { AuditEntry } from '../audit/ports';
import { readBody } from '../http/body';
import { errorToResponse, logUnhandled } from '../http/errors';
import { readMultipartForm } from '../http/multipart';
import type { HttpResult } from '../http/responses';
import type { Route } from '../http/route';
import { logger } from '../logger';
import {
  clearCookie,
  cookieNames,
  PRE_SIGN_IN_MAX_AGE_SECONDS,
  readCookie,
  sessionCookie,
  setCookie,
} from './cookies';
import { type ConsoleContext, type ConsoleRoute, consolePage, seeOther } from './http';
import { campaignLines } from './list';
import type { ConsoleDeps } from './ports';
import { consoleStylesheet, loadConsoleCatalogue } from './render';
import { newSecretId } from './secrets';
import { endSession, resumeSession } from './session';
import {
  checkSignInLink,
  completeSignIn,
  requestSignIn,
  SIGN_IN_LINK_TTL_MS,
  SignInLinkError,
} from './sign-in';

const HOME = '/console/campaigns';

/** Each entry with its action in words; an action the catalogue does not name yet shows as its code. */
const labelled = (entries: AuditEntry[]) => {
  const catalogue = loadConsoleCatalogue();
  return entries.map((entry) => ({
    ...entry,
    label: catalogue[`console.audit.action.${entry.action}`] ?? entry.action,
  }));
};
const SIGN_IN = '/console/sign-in';
const AUDIT_LIMIT = 200;

/** The sign-in form's one field; its messages are catalogue keys, so the page can say them in any locale. */
const signInFormSchema = z.object({
  email: z
    .string({ error: 'console.signIn.errorMissing' })
    .trim()
    .min(1, 'console.signIn.errorMissing')
    .max(254, 'console.signIn.errorFormat')
    .pipe(z.email({ error: 'console.signIn.errorFormat' })),
});

/** The form's fields, refusing a body that is not an urlencoded form (415) or too large (413). */
const formOf = (event: APIGatewayProxyEventV2): Record<string, string> =>
  readBody(event, ['form']).value as Record<string, string>;

/** 403, with a page saying what to do; nothing was changed. */
const forbidden = (reason: 'csrf' | 'role', context?: Pick<ConsoleContext, 'admin' | 'csrfToken'>) =>
  consolePage(403, 'forbidden', { reason }, context);

/** Answers a page for whatever went wrong: expected errors as they are, others as a 500 page (logged). */
const asPage =
  (handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>) =>
  async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof SignInLinkError) return consolePage(400, 'bad-link', {}, undefined);
      const known = errorToResponse(error);
      if (known.statusCode < 500) return known;
      logUnhandled('Console page failed', error);
      return consolePage(500, 'error', {}, undefined);
    }
  };

/**
 * The console's routes: sign-in and sign-out (no session), and every page given to `pages` (the
 * shell's own and the campaign pages) behind the session layer: no live session → to the sign-in
 * page (GET) or 403 (POST); a role without the route's permission → 403; a POST without its
 * session's CSRF token → 403 before the handler runs.
 */
export const consoleRoutes = (deps: ConsoleDeps, pages: ConsoleRoute[] = []): Route[] => {
  const names = cookieNames(deps.secureCookies);

  /** The pre-sign-in id from its cookie, or a new one with the cookie to set. */
  const preSignIn = async (event: APIGatewayProxyEventV2) => {
    const keys = await deps.keys();
    const existing = keys.verifyCookie(readCookie(event, names.preSignIn));
    if (existing) return { id: existing, csrfToken: keys.csrfToken(existing), cookies: [] as string[] };
    const id = newSecretId();
    return {
      id,
      csrfToken: keys.csrfToken(id),
      cookies: [
        setCookie(names.preSignIn, keys.signCookie(id), PRE_SIGN_IN_MAX_AGE_SECONDS, deps.secureCookies),
      ],
    };
  };

  /** A pre-sign-in form's CSRF token matches the id in the cookie. */
  const preSignInCsrfOk = async (event: APIGatewayProxyEventV2, form: Record<string, string>) => {
    const keys = await deps.keys();
    const id = keys.verifyCookie(readCookie(event, names.preSignIn));
    return id !== undefined && keys.csrfMatches(id, form.csrfToken);
  };

  const withCookies = (result: HttpResult, cookies: string[]): HttpResult =>
    cookies.length > 0 ? { ...result, cookies: [...(result.cookies ?? []), ...cookies] } : result;

  const guarded = (route: ConsoleRoute): Route => ({
    method: route.method,
    path: route.path,
    handler: asPage(async (event) => {
      const session = await resumeSession(deps, readCookie(event, names.session));
      if (!session) {
        if (route.method === 'GET') return seeOther(SIGN_IN);
        return consolePage(403, 'forbidden', { reason: 'signed-out' }, undefined);
      }
      const keys = await deps.keys();
      const context: ConsoleContext = {
        admin: session.admin,
        csrfToken: keys.csrfToken(session.id),
        form: {},
      };
      if (route.method === 'POST') {
        const upload =
          route.body?.kind === 'multipart' ? await readMultipartForm(event, route.body.maxBytes) : undefined;
        const { csrfToken, ...form } = upload ? upload.fields : formOf(event);
        if (!keys.csrfMatches(session.id, csrfToken)) {
          logger.warn('Console form refused: CSRF token missing or wrong', { path: route.path });
          return forbidden('csrf', context);
        }
        context.form = form;
        if (upload) context.files = upload.files;
      }
      if (!roleAllows(session.admin.role, route.permission)) {
        logger.info('Console route refused for role', { path: route.path, role: session.admin.role });
        return forbidden('role', context);
      }
      return route.handler(event, context);
    }),
  });

  const shellPages: ConsoleRoute[] = [
    {
      method: 'GET',
      path: '/console',
      permission: 'read',
      handler: async () => seeOther(HOME),
    },
    {
      method: 'GET',
      path: HOME,
      permission: 'read',
      handler: async (_event, context) =>
        consolePage(200, 'campaigns', { campaigns: await campaignLines(deps) }, context, 'campaigns'),
    },
    {
      method: 'GET',
      path: '/console/audit',
      permission: 'read',
      handler: async (_event, context) =>
        consolePage(
          200,
          'audit',
          { entries: labelled(await deps.audit.list({ limit: AUDIT_LIMIT })) },
          context,
          'audit',
        ),
    },
    {
      method: 'GET',
      path: '/console/campaigns/{id}/audit',
      permission: 'read',
      handler: async (event, context) => {
        const id = event.pathParameters?.id ?? '';
        const campaign = await deps.campaigns.getCampaign(id);
        if (!campaign) return consolePage(404, 'not-found', {}, context);
        const entries = labelled(await deps.audit.list({ campaignId: id, limit: AUDIT_LIMIT }));
        return consolePage(
          200,
          'audit',
          { entries, campaign: { id, name: campaign.name } },
          context,
          'audit',
        );
      },
    },
    {
      method: 'GET',
      path: '/console/sign-out',
      permission: 'read',
      handler: async (_event, context) => consolePage(200, 'sign-out', {}, context, 'sign-out'),
    },
    {
      method: 'POST',
      path: '/console/sign-out',
      permission: 'read',
      handler: async (event, context) => {
        const keys = await deps.keys();
        const id = keys.verifyCookie(readCookie(event, names.session));
        if (id) await endSession(deps, id);
        await recordAudit(deps.audit, {
          at: deps.clock.now().toISOString(),
          actor: context.admin.email,
          action: 'console.signed-out',
        });
        return withCookies(consolePage(200, 'signed-out', {}, undefined), [
          clearCookie(names.session, deps.secureCookies),
        ]);
      },
    },
  ];

  const signInRoutes: Route[] = [
    {
      method: 'GET',
      path: SIGN_IN,
      handler: asPage(async (event) => {
        if (await resumeSession(deps, readCookie(event, names.session))) return seeOther(HOME);
        const pre = await preSignIn(event);
        return withCookies(consolePage(200, 'sign-in', { csrfToken: pre.csrfToken }, undefined), pre.cookies);
      }),
    },
    {
      method: 'POST',
      path: SIGN_IN,
      handler: asPage(async (event) => {
        const form = formOf(event);
        if (!(await preSignInCsrfOk(event, form))) return forbidden('csrf');
        const parsed = signInFormSchema.safeParse(form);
        if (!parsed.success) {
          const pre = await preSignIn(event);
          const errorKey = parsed.error.issues[0]?.message ?? 'console.signIn.errorMissing';
          return consolePage(
            400,
            'sign-in',
            { csrfToken: pre.csrfToken, email: form.email ?? '', errorKey },
            undefined,
          );
        }
        // The same work and the same page for every address: the worker decides, off this path.
        await requestSignIn(deps, parsed.data.email);
        return consolePage(
          200,
          'sign-in-sent',
          { email: parsed.data.email, minutes: SIGN_IN_LINK_TTL_MS / 60_000 },
          undefined,
        );
      }),
    },
    {
      method: 'GET',
      path: '/console/sign-in/link',
      // A link scanner's GET signs nobody in: the page only holds the button that does.
      handler: asPage(async (event) => {
        const token = event.queryStringParameters?.token ?? '';
        await checkSignInLink(deps, token);
        const pre = await preSignIn(event);
        return withCookies(
          consolePage(200, 'sign-in-link', { token, csrfToken: pre.csrfToken }, undefined),
          pre.cookies,
        );
      }),
    },
    {
      method: 'POST',
      path: '/console/sign-in/link',
      handler: asPage(async (event) => {
        const form = formOf(event);
        if (!(await preSignInCsrfOk(event, form))) return forbidden('csrf');
        const signedIn = await completeSignIn(deps, String(form.token ?? ''));
        return seeOther(HOME, [
          sessionCookie(signedIn.cookieValue, deps.secureCookies),
          clearCookie(names.preSignIn, deps.secureCookies),
        ]);
      }),
    },
    {
      method: 'GET',
      path: '/console/assets/console.css',
      // Fingerprinted in its URL: cache it for a year.
      handler: async () => ({
        statusCode: 200,
        headers: {
          'content-type': 'text/css; charset=utf-8',
          'cache-control': 'public, max-age=31536000, immutable',
        },
        body: consoleStylesheet().text,
      }),
    },
  ];

  return [...signInRoutes, ...[...shellPages, ...pages].map(guarded)];
};

/** What the console answers for a path it does not have. */
export const consoleNotFound = (): HttpResult => consolePage(404, 'not-found', {}, undefined);
