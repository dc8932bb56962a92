import { DateTime, IANAZone } from 'luxon';
import { isValidSendTime } from '../shared/send-time';
import { InvalidDateError, isIsoDate } from './dates';

export class UnknownTimeZoneError extends Error {
  override readonly name = 'UnknownTimeZoneError';
  constructor(readonly timezone: string) {
    super(`"${timezone}" is not a known IANA time zone; use a name such as Europe/London.`);
  }
}

export class InvalidSendTimeError extends Error {
  override readonly name = 'InvalidSendTimeError';
  constructor(readonly value: string) {
    super(`"${value}" is not a 24-hour time in the form HH:MM, e.g. 09:00.`);
  }
}

export interface ZonedSendAt {
  /** ISO 8601 local time with its offset, e.g. 2027-03-26T09:00:00+00:00. */
  local: string;
  /** The same instant in UTC, e.g. 2027-03-26T09:00:00Z. */
  utc: string;
  epochMs: number;
}

export const isValidTimeZone = (timezone: string): boolean =>
  typeof timezone === 'string' && timezone.length > 0 && IANAZone.isValidZone(timezone);

/**
 * The instant a step goes out: the wall-clock time on the date in the zone, so a 09:00 send stays
 * 09:00 across the clock change. A time skipped by a spring-forward (e.g. 01:30 on the last Sunday
 * in March) moves forward by the gap, as luxon does.
 */
export const zonedSendAt = (date: string, sendTime: string, timezone: string): ZonedSendAt => {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  if (!isValidSendTime(sendTime)) throw new InvalidSendTimeError(sendTime);
  if (!isValidTimeZone(timezone)) throw new UnknownTimeZoneError(timezone);
  const local = DateTime.fromISO(`${date}T${sendTime}`, { zone: timezone });
  const iso = local.toISO({ suppressMilliseconds: true });
  if (iso === null) throw new UnknownTimeZoneError(timezone);
  return {
    local: iso,
    utc: local.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'"),
    epochMs: local.toMillis(),
  };
};

/** An instant as the zone's wall clock: its local ISO time with offset, UTC form and calendar date. */
export const zonedInstant = (epochMs: number, timezone: string): ZonedSendAt & { date: string } => {
  if (!isValidTimeZone(timezone)) throw new UnknownTimeZoneError(timezone);
  const local = DateTime.fromMillis(epochMs, { zone: timezone }).set({ millisecond: 0 });
  return {
    local: local.toISO({ suppressMilliseconds: true }) ?? '',
    utc: local.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'"),
    epochMs: local.toMillis(),
    date: local.toISODate() ?? '',
  };
};
