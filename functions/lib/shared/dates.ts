import { DateTime } from 'luxon';

/** "2027-05-06" → "Thursday 6 May 2027", as GOV.UK writes dates. */
export const longDate = (isoDate: string): string =>
  DateTime.fromISO(isoDate, { zone: 'Europe/London' }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');

export const DAY_SECONDS = 24 * 60 * 60;

export const epochSeconds = (instant: Date): number => Math.floor(instant.getTime() / 1000);

/** End of the retention period: `days` whole days after the poll date (UTC midnight after it). */
export const retentionEnd = (pollDate: string, days: number): number =>
  Math.floor(Date.parse(`${pollDate}T00:00:00Z`) / 1000) + (days + 1) * DAY_SECONDS;
