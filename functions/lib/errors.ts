/**
 * The one error model. An AppError carries its HTTP status, the code in the API's error shape, and
 * whether its message may be shown to the person who sent the request (`expose`). The edge maps them
 * once for JSON (functions/lib/http/errors.ts) and once for pages (functions/lib/pages/errors.ts);
 * any other error is internal and answered with a bare 500.
 */
export interface Issue {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  /** The `error` field of the API's answer, e.g. `not_found`. */
  abstract readonly code: string;
  /** True when the message is written for the requester and carries no internal detail. */
  readonly expose: boolean = true;
  /** Headers the answer carries (e.g. Retry-After). */
  readonly headers: Record<string, string> = {};
  /** The answer's JSON body. */
  body(): Record<string, unknown> {
    return this.expose ? { error: this.code, message: this.message } : { error: this.code };
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  readonly status = 400;
  readonly code = 'validation';
  constructor(readonly issues: Issue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
  override body() {
    return { error: this.code, issues: this.issues };
  }
}

export class MalformedBodyError extends AppError {
  override readonly name = 'MalformedBodyError';
  readonly status = 400;
  readonly code = 'malformed_body';
}

export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'not_found';
}

/** No admin identity on a request that needs one (the admin routes are authorised before the function). */
export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly code = 'unauthorized';
}

/** The admin may not do this: their role does not allow it, or it is their own proposal to approve. */
export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
  readonly code = 'forbidden';
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  readonly status = 409;
  readonly code = 'conflict';
}

/**
 * An event from AWS (a schedule's Input, an SQS record, an SES event) that does not match its
 * schema. Names the paths and messages only: the input itself is never echoed.
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly what: string,
    readonly issues: Issue[],
  ) {
    super(`Invalid ${what}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
}

/** Raised at start when the environment is incomplete: fails fast, naming every missing variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** An error by its name: matches an SDK's exception class and an emulator's plain error alike. */
export const hasErrorName = (error: unknown, name: string): boolean =>
  (error as { name?: unknown } | undefined)?.name === name;
