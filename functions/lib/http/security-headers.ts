import type { MiddlewareObj } from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';

/**
 * `X-XSS-Protection: 0` on every answer, as OWASP advises: the old browser XSS auditor that `1;
 * mode=block` turns on could itself be used to leak data, and the CSP does its job. middy's own
 * option can only turn the auditor on (and only on HTML), so it is off there and set here.
 */
const xssAuditorOff = (): MiddlewareObj<unknown, { headers?: Record<string, unknown> } | undefined> => {
  const after = async (request: { response: { headers?: Record<string, unknown> } | null | undefined }) => {
    if (!request.response || typeof request.response !== 'object') return;
    request.response.headers = { ...request.response.headers, 'X-XSS-Protection': '0' };
  };
  return { after, onError: after };
};

/**
 * Security headers on every answer. Pages get a CSP with no inline script and only same-origin
 * styles, fonts and images (govuk-frontend's assets), forms that post only to us, no framing and no
 * referrer (so a token in a URL never leaks to another site).
 */
export const securityHeaders = () => [
  xssAuditorOff(),
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
  }),
];
