import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header } from '../http/body';
import { SESSION_POLICY } from './session';

/**
 * The console's two cookies: the session, and before sign-in a random id that the sign-in forms'
 * CSRF tokens are tied to. `HttpOnly`, `SameSite=Strict`, and `Secure` with the `__Host-` prefix
 * everywhere but a loopback address (the local stack on plain HTTP).
 */
export const cookieNames = (secure: boolean) => ({
  session: secure ? '__Host-esr-console' : 'esr-console',
  preSignIn: secure ? '__Host-esr-console-pre' : 'esr-console-pre',
});

/** Long enough to open the emailed link (15 minutes) after asking for it. */
export const PRE_SIGN_IN_MAX_AGE_SECONDS = 60 * 60;

export const setCookie = (name: string, value: string, maxAgeSeconds: number, secure: boolean): string =>
  [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');

export const clearCookie = (name: string, secure: boolean): string => setCookie(name, '', 0, secure);

export const sessionCookie = (value: string, secure: boolean) =>
  setCookie(cookieNames(secure).session, value, SESSION_POLICY.absoluteMs / 1000, secure);

/** A cookie's value from the request (payload 2.0 `cookies`, or a `Cookie` header). */
export const readCookie = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const all = event.cookies ?? (header(event, 'cookie') ?? '').split(/;\s*/);
  for (const cookie of all) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === name) return cookie.slice(at + 1).trim();
  }
  return undefined;
};

/** True for 127.0.0.0/8, ::1 and localhost: only there may cookies go without `Secure`. */
export const isLoopbackUrl = (url: string): boolean => {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
};
