/**
 * Domain and edge errors. They are mapped to HTTP answers only at the edge (functions/lib/http/errors.ts);
 * their messages are written for the person who sent the request and never carry internal detail.
 */
export interface Issue {
  path: string;
  message: string;
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly issues: Issue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
}

export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
}

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

/** The admin may not do this: their role does not allow it, or it is their own proposal to approve. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** Raised at start when the environment is incomplete: fails fast, naming every missing variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** An error by its name: matches an SDK's exception class and an emulator's plain error alike. */
export const hasErrorName = (error: unknown, name: string): boolean =>
  (error as { name?: unknown } | undefined)?.name === name;
