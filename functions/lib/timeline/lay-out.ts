import type { Audience, Nation, Role } from '../domain/roles.js';
import type { Playbook, PlaybookStep } from '../playbooks/schema.js';
import { isIsoDate } from './dates.js';
import {
  InvalidSendTimeError,
  isValidSendTime,
  isValidTimeZone,
  UnknownTimeZoneError,
  zonedSendAt,
} from './send-time.js';
import { addCalendarDays, addWorkingDays } from './working-days.js';

export class InvalidPollDateError extends Error {
  override readonly name = 'InvalidPollDateError';
  constructor(readonly value: string) {
    super(`Polling day "${value}" is not a real date in the form YYYY-MM-DD, e.g. 2027-05-06.`);
  }
}

export interface LayOutOptions {
  pollDate: string;
  nation: Nation;
  /** Campaign-wide local send time, HH:MM; a step's own sendTime wins. */
  sendTime?: string;
  timezone?: string;
}

export interface TimelineStep {
  key: string;
  title: string;
  roles: Role[];
  templates: Partial<Record<Audience, string>>;
  /** Local calendar date of the send, YYYY-MM-DD. */
  date: string;
  /** ISO 8601 with the local offset, e.g. 2027-03-29T09:00:00+01:00. */
  sendAt: string;
  /** The same instant in UTC, e.g. 2027-03-29T08:00:00Z. */
  sendAtUtc: string;
  epochMs: number;
}

/** True only for a real date written exactly as YYYY-MM-DD. */
export const isValidPollDate = (value: unknown): value is string =>
  typeof value === 'string' && isIsoDate(value);

const stepDate = (step: PlaybookStep, pollDate: string, nation: Nation): string =>
  step.offset.unit === 'working'
    ? addWorkingDays(pollDate, step.offset.days, nation)
    : addCalendarDays(pollDate, step.offset.days);

/**
 * Dates and send instants for every step of the playbook, earliest first (ties keep playbook order).
 * Throws InvalidPollDateError, BankHolidayCoverageError (working offsets outside the data),
 * InvalidSendTimeError or UnknownTimeZoneError.
 */
export const layOutTimeline = (
  playbook: Playbook,
  { pollDate, nation, sendTime = '09:00', timezone = 'Europe/London' }: LayOutOptions,
): TimelineStep[] => {
  if (!isValidPollDate(pollDate)) throw new InvalidPollDateError(pollDate);
  // Checked here too: a campaign value that every step overrides would otherwise slip through.
  if (!isValidSendTime(sendTime)) throw new InvalidSendTimeError(sendTime);
  if (!isValidTimeZone(timezone)) throw new UnknownTimeZoneError(timezone);
  const steps = playbook.steps.map((step): TimelineStep => {
    const date = stepDate(step, pollDate, nation);
    const at = zonedSendAt(date, step.sendTime ?? sendTime, timezone);
    return {
      key: step.key,
      title: step.title,
      roles: [...step.roles],
      templates: { ...step.templates },
      date,
      sendAt: at.local,
      sendAtUtc: at.utc,
      epochMs: at.epochMs,
    };
  });
  // Array.prototype.sort is stable, so equal instants stay in playbook order.
  return steps.sort((a, b) => a.epochMs - b.epochMs);
};
