import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  ConflictError,
  ForbiddenError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';
import { logger } from '../logger';
import { type HttpResult, json } from './responses';

/** Maps an error to the API's one error shape. Unknown errors become a bare 500: nothing internal leaks. */
export const errorToResponse = (error: unknown): HttpResult => {
  if (error instanceof ValidationError) return json(400, { error: 'validation', issues: error.issues });
  if (error instanceof MalformedBodyError)
    return json(400, { error: 'malformed_body', message: error.message });
  if (error instanceof PayloadTooLargeError)
    return json(413, { error: 'payload_too_large', message: error.message });
  if (error instanceof UnsupportedMediaTypeError)
    return json(415, { error: 'unsupported_media_type', message: error.message });
  if (error instanceof UnauthorizedError) return json(401, { error: 'unauthorized', message: error.message });
  if (error instanceof ForbiddenError) return json(403, { error: 'forbidden', message: error.message });
  if (error instanceof NotFoundError) return json(404, { error: 'not_found', message: error.message });
  if (error instanceof ConflictError) return json(409, { error: 'conflict', message: error.message });
  // @middy/http-router throws a 404 carrying statusCode when no route matches.
  if (isHttpError(error) && error.statusCode === 404)
    return json(404, { error: 'not_found', message: 'Not found' });
  if (isHttpError(error) && error.statusCode === 405)
    return json(405, { error: 'method_not_allowed', message: 'Method not allowed' });
  return json(500, { error: 'internal', message: 'Something went wrong. Try again later.' });
};

const isHttpError = (error: unknown): error is { statusCode: number } =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { statusCode?: unknown }).statusCode === 'number';

/**
 * Logs an unexpected error by its name and stack frames only: a message from a library can echo input
 * (an address, a name, a token), and a stack's first line is that message.
 */
export const logUnhandled = (message: string, error: unknown) => {
  const { name, stack } = (error ?? {}) as Partial<Error>;
  logger.error(message, { errorName: name, stack: stack?.split('\n').slice(1).join('\n') });
};

/**
 * Middy error boundary for HTTP handlers: expected errors become 4xx answers; anything else is logged
 * (see logUnhandled) and answered with a plain 500.
 */
export const httpErrors = (): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> => ({
  onError: async (request) => {
    const response = errorToResponse(request.error);
    if (response.statusCode >= 500) logUnhandled('Unhandled error', request.error);
    request.response = { ...response, headers: { ...request.response?.headers, ...response.headers } };
  },
});
