import { describe, expect, it } from 'vitest';
import { SendThrottledError, SesUnavailableError } from '../../../functions/lib/delivery/errors';
import { DAILY_QUOTA_EXCEEDED, type SendBatchMessage } from '../../../functions/lib/delivery/model';
import type { ClaimResult } from '../../../functions/lib/delivery/ports';
import {
  classifySesError,
  hasAttemptsLeft,
  inlineRetryDelayMs,
  planClaimEnd,
  QUOTA_RETRY_DELAY_SECONDS,
  recipientResults,
  requeueDelaySeconds,
  requeueMessages,
  retryInline,
  type SesCallOutcome,
} from '../../../functions/lib/delivery/send-policy';

/** An error as the SDK throws it: a name and the HTTP status of SES's answer. */
const sdkError = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

describe('classifySesError (how a failed SendBulkEmail call is classed)', () => {
  const notAnAnswer = new TypeError('fetch failed');
  it.each([
    [
      'a throttled call',
      new SendThrottledError('TooManyRequestsException'),
      { kind: 'throttled', reason: 'SendThrottledError' },
    ],
    [
      'SES unavailable',
      new SesUnavailableError('InternalFailure'),
      { kind: 'temporary', reason: 'SesUnavailableError' },
    ],
    [
      'a missing template (400)',
      sdkError('NotFoundException', 400),
      { kind: 'permanent', reason: 'NotFoundException' },
    ],
    [
      'a bad request (400)',
      sdkError('BadRequestException', 400),
      { kind: 'permanent', reason: 'BadRequestException' },
    ],
    ['the last 4xx (499)', sdkError('Odd', 499), { kind: 'permanent', reason: 'Odd' }],
    ['a 5xx the mailer did not place', sdkError('Odd', 500), { kind: 'ambiguous', error: expect.anything() }],
    ['an error without a status', notAnAnswer, { kind: 'ambiguous', error: notAnAnswer }],
    ['something thrown that is not an Error', 'boom', { kind: 'ambiguous', error: 'boom' }],
  ])('%s', (_case, error, expected) => {
    // Act
    const outcome = classifySesError(error);

    // Assess
    expect(outcome).toEqual(expected);
  });
});

describe('retryInline (a refused call retried in place while the claims are held)', () => {
  const throttled: SesCallOutcome = { kind: 'throttled', reason: 'SendThrottledError' };
  const temporary: SesCallOutcome = { kind: 'temporary', reason: 'SesUnavailableError' };
  const permanent: SesCallOutcome = { kind: 'permanent', reason: 'NotFoundException' };
  const answered: SesCallOutcome = { kind: 'answered', results: [] };
  it.each([
    ['throttled, first try', throttled, 0, 2, true],
    ['throttled, second try', throttled, 1, 2, true],
    ['throttled, quick retries used up', throttled, 2, 2, false],
    ['unavailable, first try', temporary, 0, 2, true],
    ['unavailable, quick retries used up', temporary, 2, 2, false],
    ['no quick retries configured', throttled, 0, 0, false],
    ['a permanent refusal is never retried', permanent, 0, 2, false],
    ['an answer is never retried', answered, 0, 2, false],
  ])('%s', (_case, outcome, attempt, inlineRetries, expected) => {
    // Act
    const retry = retryInline(outcome, attempt, inlineRetries);

    // Assess
    expect(retry).toBe(expected);
  });
});

describe('backoff', () => {
  it.each([
    // attempt, base ms, jitter, delay ms
    [0, 200, 0, 100],
    [0, 200, 0.5, 200],
    [1, 200, 0.5, 400],
    [1, 200, 0.999, 599.6],
  ])('quick retry %i (base %i ms, jitter %f) waits %f ms', (attempt, baseMs, jitter, expected) => {
    // Act
    const delay = inlineRetryDelayMs(attempt, baseMs, jitter);

    // Assess
    expect(delay).toBeCloseTo(expected, 6);
  });

  it.each([
    // attempt, base s, delay s
    [1, 30, 30],
    [2, 30, 60],
    [4, 30, 240],
    [3, 0, 0],
  ])('a message at attempt %i (base %i s) is re-queued after %i s', (attempt, baseSeconds, expected) => {
    // Act
    const delay = requeueDelaySeconds(attempt, baseSeconds);

    // Assess
    expect(delay).toBe(expected);
  });

  it.each([
    [1, 3, true],
    [2, 3, true],
    [3, 3, false],
    [4, 3, false],
    [1, 1, false],
  ])('attempt %i of at most %i has attempts left: %s', (attempt, maxAttempts, expected) => {
    // Act
    const left = hasAttemptsLeft(attempt, maxAttempts);

    // Assess
    expect(left).toBe(expected);
  });
});

describe('recipientResults (each recipient’s result from the call’s outcome, in entry order)', () => {
  it.each<[string, Exclude<SesCallOutcome, { kind: 'ambiguous' }>, ClaimResult[]]>([
    [
      'SES answered for each recipient',
      {
        kind: 'answered',
        results: [
          { status: 'sent', messageId: 'm1' },
          { status: 'failed', reason: 'MESSAGE_REJECTED' },
        ],
      },
      [
        { status: 'sent', messageId: 'm1' },
        { status: 'failed', reason: 'MESSAGE_REJECTED' },
      ],
    ],
    [
      'SES answered for fewer recipients than were sent',
      { kind: 'answered', results: [{ status: 'sent', messageId: 'm1' }] },
      [
        { status: 'sent', messageId: 'm1' },
        { status: 'retry', reason: 'no-result' },
      ],
    ],
    [
      'a permanent refusal fails everyone with its name',
      { kind: 'permanent', reason: 'NotFoundException' },
      [
        { status: 'failed', reason: 'NotFoundException' },
        { status: 'failed', reason: 'NotFoundException' },
      ],
    ],
    [
      'a throttled call retries everyone',
      { kind: 'throttled', reason: 'SendThrottledError' },
      [
        { status: 'retry', reason: 'SendThrottledError' },
        { status: 'retry', reason: 'SendThrottledError' },
      ],
    ],
    [
      'an unavailable SES retries everyone',
      { kind: 'temporary', reason: 'SesUnavailableError' },
      [
        { status: 'retry', reason: 'SesUnavailableError' },
        { status: 'retry', reason: 'SesUnavailableError' },
      ],
    ],
  ])('%s', (_case, outcome, expected) => {
    // Act
    const results = recipientResults(outcome, 2);

    // Assess
    expect(results).toEqual(expected);
  });
});

describe('planClaimEnd and requeueMessages (what a claim comes to once attempts are counted)', () => {
  const message: SendBatchMessage = {
    campaignId: 'c1',
    stepKey: 'polling-day',
    version: 1,
    role: 'candidate',
    recipients: ['a', 'b', 'c', 'd', 'e'],
    attempt: 2,
  };
  const results = new Map<string, ClaimResult>([
    ['a', { status: 'sent', messageId: 'm1' }],
    ['b', { status: 'retry', reason: 'SendThrottledError' }],
    ['c', { status: 'retry', reason: DAILY_QUOTA_EXCEEDED }],
    ['d', { status: 'suppressed', reason: 'no-longer-subscribed' }],
    ['e', { status: 'failed', reason: 'MESSAGE_REJECTED' }],
  ]);

  it.each([
    {
      case: 'attempts left: the throttled one is re-queued at the next attempt, with backoff',
      maxAttempts: 3,
      recordedB: { status: 'retry', reason: 'SendThrottledError' },
      settled: { sent: 1, failed: 1, suppressed: 1 },
      requeued: [
        { message: { ...message, recipients: ['b'], attempt: 3 }, delaySeconds: 60 },
        { message: { ...message, recipients: ['c'] }, delaySeconds: QUOTA_RETRY_DELAY_SECONDS },
      ],
    },
    {
      case: 'attempts used up: the throttled one is recorded failed; the over-quota one still waits',
      maxAttempts: 2,
      recordedB: { status: 'failed', reason: 'SendThrottledError: retries exhausted' },
      settled: { sent: 1, failed: 2, suppressed: 1 },
      requeued: [{ message: { ...message, recipients: ['c'] }, delaySeconds: QUOTA_RETRY_DELAY_SECONDS }],
    },
  ])('$case', ({ maxAttempts, recordedB, settled, requeued }) => {
    // Act
    const plan = planClaimEnd(results, message.attempt, maxAttempts);
    const messages = requeueMessages(message, plan, 30);

    // Assess
    expect([...plan.results.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(plan.results.get('b')).toEqual(recordedB);
    expect(plan.results.get('c')).toEqual({ status: 'retry', reason: DAILY_QUOTA_EXCEEDED });
    expect(plan.settled).toEqual(settled);
    expect(messages).toEqual(requeued);
    // The input is left as it was: the plan is a new record.
    expect(results.get('b')).toEqual({ status: 'retry', reason: 'SendThrottledError' });
  });

  it('re-queues nothing when everyone settled', () => {
    // Prepare
    const settledOnly = new Map<string, ClaimResult>([['a', { status: 'sent', messageId: 'm1' }]]);

    // Act
    const plan = planClaimEnd(settledOnly, 1, 3);

    // Assess
    expect(plan).toMatchObject({ retry: [], overQuota: [], settled: { sent: 1, failed: 0, suppressed: 0 } });
    expect(requeueMessages(message, plan, 30)).toEqual([]);
  });
});
