import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AppError, type Issue } from '../errors';
import { logger } from '../logger';
import { type HttpResult, json } from './responses';

/** The API's one error shape, as clients (the CLI) read it. */
export interface ErrorBody {
  error: string;
  message?: string;
  issues?: Issue[];
}

/**
 * Maps an error to the API's one error shape: an AppError answers with its status, code and (if it
 * may be shown) its message. Unknown errors become a bare 500: nothing internal leaks.
 */
export const errorToResponse = (error: unknown): HttpResult => {
  if (error instanceof AppError) return json(error.status, error.body(), error.headers);
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
  const { name, stack, cause } = (error ?? {}) as Partial<Error>;
  logger.error(message, {
    errorName: name,
    ...(cause instanceof Error ? { causeName: cause.name } : {}),
    stack: stack?.split('\n').slice(1).join('\n'),
  });
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
