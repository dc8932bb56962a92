/** Plain calendar dates as 'YYYY-MM-DD' strings: no time of day, no time zone, so no DST surprises. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
  constructor(readonly value: string) {
    super(`"${value}" is not a real calendar date in the form YYYY-MM-DD, e.g. 2027-05-06.`);
  }
}

/** True only for a real date written exactly as YYYY-MM-DD (rejects 2027-02-30, 2027-5-6, 06/05/2027). */
export const isIsoDate = (value: string): boolean => {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 30 Feb over into March, so a round trip catches impossible days.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** Midnight UTC of the date, in milliseconds; throws InvalidDateError for anything else. */
export const toEpochDay = (date: string): number => {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  return Date.parse(`${date}T00:00:00Z`);
};

const fromEpochDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const yearOf = (date: string): number => new Date(toEpochDay(date)).getUTCFullYear();

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: string): number => new Date(toEpochDay(date)).getUTCDay();

/** The date n calendar days later (n < 0 for earlier). */
export const addCalendarDays = (date: string, n: number): string =>
  fromEpochDay(toEpochDay(date) + n * MS_PER_DAY);

/** Easter Sunday in the Gregorian calendar (anonymous Gregorian / Meeus–Jones–Butcher algorithm). */
export const easterSunday = (year: number): string => {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export const localDateOf = (instant: Date, timezone: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
