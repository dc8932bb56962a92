import type middy from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { HttpResult } from './responses';

/**
 * Security headers on every answer. Pages get a CSP with no inline script and only same-origin
 * styles, fonts and images (govuk-frontend's assets), forms that post only to us, no framing and no
 * referrer (so a token in a URL never leaks to another site).
 */
export const securityHeaders = (): middy.MiddlewareObj<unknown, HttpResult> => {
  const standard = standardHeaders();
  return {
    ...standard,
    // A route may narrow the policy for its own page (a web copy of an email needs inline styles):
    // its own content-security-policy replaces the standard one rather than adding a second.
    after: async (request) => {
      const own = request.response?.headers?.['content-security-policy'];
      await standard.after?.(request);
      if (own && request.response?.headers) {
        delete request.response.headers['content-security-policy'];
        request.response.headers['Content-Security-Policy'] = own;
      }
    },
  };
};

const standardHeaders = () =>
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
  });
