import type { Nation } from '../domain/roles.js';
import { isBankHoliday } from './bank-holidays.js';
import { addCalendarDays, dayOfWeek, easterSunday, yearOf } from './dates.js';

export { addCalendarDays } from './dates.js';

/**
 * Election-timetable working days (timetable-facts.md section 1): Saturdays, Sundays, Christmas Eve,
 * Christmas Day, Good Friday and the nation's bank holidays are disregarded; Scotland also skips
 * Easter Monday, which is not a Scottish bank holiday. Throws BankHolidayCoverageError outside the
 * years we hold bank-holiday data for, and InvalidDateError for a malformed date.
 */
export const isWorkingDay = (date: string, nation: Nation): boolean => {
  // Checked first so that even weekends outside the covered years fail loudly, not half-right.
  if (isBankHoliday(date, nation)) return false;
  const weekday = dayOfWeek(date);
  if (weekday === 0 || weekday === 6) return false;
  const monthDay = date.slice(5);
  if (monthDay === '12-24' || monthDay === '12-25') return false;
  const easter = easterSunday(yearOf(date));
  if (date === addCalendarDays(easter, -2)) return false;
  if (nation === 'scotland' && date === addCalendarDays(easter, 1)) return false;
  return true;
};

/**
 * Moves n working days from the date (n < 0 goes back), not counting the start date itself, so
 * addWorkingDays(poll, -19) is the 19th working day before the poll. n = 0 returns the date unchanged.
 */
export const addWorkingDays = (date: string, n: number, nation: Nation): string => {
  if (!Number.isInteger(n)) throw new RangeError(`Working days must be a whole number, not ${n}.`);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let current = date;
  isWorkingDay(date, nation); // validates the start date and its year even when n = 0
  while (remaining > 0) {
    current = addCalendarDays(current, step);
    if (isWorkingDay(current, nation)) remaining -= 1;
  }
  return current;
};

/** The nth working day before the date ("19 working days before poll"); n may be negative to go forward. */
export const workingDaysBefore = (date: string, n: number, nation: Nation): string =>
  addWorkingDays(date, -n, nation);
