import { AppError } from '../errors';

/** Campaign errors; like the timeline's errors they live beside the code that raises them. */

/** A conditional write found another version of the campaign: someone changed it meanwhile. */
export class CampaignVersionConflictError extends Error {
  override readonly name = 'CampaignVersionConflictError';
  constructor(readonly campaignId: string) {
    super(`Campaign ${campaignId} was changed by someone else at the same time.`);
  }
}

/**
 * EventBridge Scheduler refused or failed (throttling, outage, permissions). The message says what
 * state the campaign is in and what to do; the cause keeps the SDK error for the logs.
 */
export class SchedulingFailedError extends AppError {
  override readonly name = 'SchedulingFailedError';
  /** Scheduler trouble is the one failure an admin can act on: wait, then repeat the request. */
  readonly status = 503;
  readonly code = 'scheduling_unavailable';
  override readonly headers = { 'retry-after': '30' };
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
