import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { errorToResponse, logUnhandled } from '../http/errors';
import type { HttpResult } from '../http/responses';

/**
 * The one page error mapping (the JSON one is functions/lib/http/errors.ts): a page route answers an
 * AppError as the API does, and an unexpected failure with the error page, the details going to the
 * log only. `recover` lets a route answer an error of its own first (a bad link's token, say).
 */
export const asPage =
  (
    handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>,
    errorPage: () => HttpResult,
    recover?: (error: unknown) => HttpResult | undefined,
  ) =>
  async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    try {
      return await handler(event);
    } catch (error) {
      const recovered = recover?.(error);
      if (recovered) return recovered;
      const known = errorToResponse(error);
      if (known.statusCode < 500) return known;
      logUnhandled('Page failed', error);
      return errorPage();
    }
  };
