/** Plain calendar dates as 'YYYY-MM-DD' strings, and the local date of an instant. */
import { addDays, isIsoDate } from '../timetable/dates';

export { dayOfWeek, easterSunday, isIsoDate, yearOf } from '../timetable/dates';

export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
  constructor(readonly value: string) {
    super(`"${value}" is not a real calendar date in the form YYYY-MM-DD, e.g. 2027-05-06.`);
  }
}

/** The date n calendar days later (n < 0 for earlier); throws InvalidDateError for a malformed date. */
export const addCalendarDays = (date: string, n: number): string => {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  return addDays(date, n);
};

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export const localDateOf = (instant: Date, timezone: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
