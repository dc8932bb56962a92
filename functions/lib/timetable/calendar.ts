import { BANK_HOLIDAYS, type BankHolidayData } from './bank-holidays';
import { addDays, dayOfWeek, easterSunday, yearOf } from './dates';
import type { CalendarSpec } from './elections';
import { BankHolidayCoverageError } from './errors';

/** Working days as election timetables count them, in one calendar. */
export interface WorkingDayCalendar {
  isWorkingDay(date: string): boolean;
  /**
   * Moves n working days from the date (n < 0 goes back) without counting the date itself, so
   * addWorkingDays(poll, -19) is the 19th working day before the poll; n = 0 returns the date.
   */
  addWorkingDays(date: string, n: number): string;
}

const easterDays = new Map<number, { goodFriday: string; easterMonday: string }>();
const easterOf = (year: number) => {
  let days = easterDays.get(year);
  if (!days) {
    const easter = easterSunday(year);
    days = { goodFriday: addDays(easter, -2), easterMonday: addDays(easter, 1) };
    easterDays.set(year, days);
  }
  return days;
};

/**
 * A calendar from its spec plus one-off non-working days (days of public thanksgiving or mourning,
 * which no feed publishes). Saturdays, Sundays, Christmas Eve, Christmas Day and Good Friday are
 * disregarded by every timetable rule (e.g. RPA 1983 Sch 1 r2; SI 2006/3304 Sch 3 r2; Christmas Eve is
 * no bank holiday but is named in the rules, as in Democracy Club's ChristmasEveRule). A date in a year
 * the bank-holiday data does not hold throws BankHolidayCoverageError rather than guessing.
 */
export const makeCalendar = (
  spec: CalendarSpec,
  extraNonWorkingDays: ReadonlySet<string> = new Set(),
  data: BankHolidayData = BANK_HOLIDAYS,
): WorkingDayCalendar => {
  const isWorkingDay = (date: string): boolean => {
    const year = yearOf(date);
    if (year < data.coveredYears.from || year > data.coveredYears.to) {
      throw new BankHolidayCoverageError(year, data.coveredYears);
    }
    const weekday = dayOfWeek(date);
    if (weekday === 0 || weekday === 6) return false;
    const monthDay = date.slice(5);
    if (monthDay === '12-24' || monthDay === '12-25') return false;
    const { goodFriday, easterMonday } = easterOf(year);
    if (date === goodFriday) return false;
    if (spec.easterMonday && date === easterMonday) return false;
    if (spec.divisions.some((division) => data.dates[division].has(date))) return false;
    return !extraNonWorkingDays.has(date);
  };
  const addWorkingDays = (date: string, n: number): string => {
    if (!Number.isInteger(n)) throw new RangeError(`Working days must be a whole number, not ${n}.`);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    let current = date;
    while (remaining > 0) {
      current = addDays(current, step);
      if (isWorkingDay(current)) remaining -= 1;
    }
    return current;
  };
  return { isWorkingDay, addWorkingDays };
};
