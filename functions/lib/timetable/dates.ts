/** Plain calendar dates as 'YYYY-MM-DD' strings: no time of day and no time zone, so no clock-change surprises. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True only for a real date written exactly as YYYY-MM-DD (rejects 2027-02-30, 2027-5-6, 06/05/2027). */
export const isIsoDate = (value: string): boolean => {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 30 February over into March, so a round trip catches impossible days.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const epochMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: string): number => new Date(epochMs(date)).getUTCDay();

/** The date n calendar days later (n < 0 for earlier). */
export const addDays = (date: string, n: number): string =>
  new Date(epochMs(date) + n * MS_PER_DAY).toISOString().slice(0, 10);

/** Easter Sunday in the Gregorian calendar (anonymous Gregorian, Meeus–Jones–Butcher, algorithm). */
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

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue 2 Apr 2024": for labels that mention another nation's date. */
export const formatDay = (date: string): string =>
  `${WEEKDAYS[dayOfWeek(date)]} ${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${yearOf(date)}`;
