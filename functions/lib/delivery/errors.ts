/** SES refused the whole call for rate (HTTP 429 TooManyRequests / Throttling): retry later. */
export class SendThrottledError extends Error {
  override readonly name = 'SendThrottledError';
}

/** SES answered 5xx or could not be reached: nothing was sent; retry later. */
export class SesUnavailableError extends Error {
  override readonly name = 'SesUnavailableError';
}
