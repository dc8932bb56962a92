/** Another request changed the subscription between our read and our write; the caller retries. */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
}

/** Sending an email failed. Carries the template name only: never the address. */
export class MailerError extends Error {
  override readonly name = 'MailerError';
  constructor(
    readonly template: string,
    options?: { cause?: unknown },
  ) {
    super(`Could not send the ${template} email.`, options);
  }
}

/** The token-signing key could not be loaded (Secrets Manager unreachable, secret missing or empty). */
export class TokenKeyUnavailableError extends Error {
  override readonly name = 'TokenKeyUnavailableError';
}
