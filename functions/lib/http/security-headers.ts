import type { MiddlewareObj } from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';

type HeadersResponse = { headers?: Record<string, unknown> } | null | undefined;

/**
 * `X-XSS-Protection: 0` on every answer, as OWASP advises: the old browser XSS auditor that `1;
 * mode=block` turns on could itself be used to leak data, and the CSP does its job. middy's own
 * option can only turn the auditor on (and only on HTML), so it is off there and set here.
 */
const xssAuditorOff = (): MiddlewareObj<unknown, HeadersResponse> => {
  const after = async (request: { response: HeadersResponse }) => {
    if (!request.response || typeof request.response !== 'object') return;
    request.response.headers = { ...request.response.headers, 'X-XSS-Protection': '0' };
  };
  return { after, onError: after };
};

/**
 * A route may narrow the policy for its own page (the web copy of an email needs inline styles): its
 * own `content-security-policy` replaces the standard one rather than adding a second.
 */
const routePolicyWins = (standard: MiddlewareObj): MiddlewareObj<unknown, HeadersResponse> => {
  const after = async (request: Parameters<NonNullable<MiddlewareObj['after']>>[0]) => {
    const headers = (request.response as HeadersResponse)?.headers;
    const own = headers?.['content-security-policy'];
    await standard.after?.(request);
    const after = (request.response as HeadersResponse)?.headers;
    if (own && after) {
      delete after['content-security-policy'];
      after['Content-Security-Policy'] = own;
    }
  };
  return { after, onError: standard.onError } as MiddlewareObj<unknown, HeadersResponse>;
};

/**
 * Security headers on every answer. Pages get a CSP with no inline script and only same-origin
 * styles, fonts and images (govuk-frontend's assets), forms that post only to us, no framing and no
 * referrer (so a token in a URL never leaks to another site).
 */
export const securityHeaders = () => [
  xssAuditorOff(),
  routePolicyWins(
    httpSecurityHeaders({
      contentSecurityPolicy: {
        'default-src': "'none'",
        'script-src': "'none'",
        'style-src': "'self'",
        'img-src': "'self'",
        'font-src': "'self'",
        'form-action': "'self'",
        'frame-ancestors': "'none'",
        'base-uri': "'none'",
        // Empty values drop middy's defaults that would break plain HTML forms (sandbox) or that
        // browsers ignore or reject on a page without script.
        sandbox: false as unknown as string,
        'navigate-to': '',
        'report-to': '',
        'require-trusted-types-for': '',
        'trusted-types': '',
        'upgrade-insecure-requests': false as unknown as string,
      },
      referrerPolicy: { policy: 'no-referrer' },
      xssProtection: false,
    }) as MiddlewareObj,
  ),
];
