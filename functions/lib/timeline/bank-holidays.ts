import type { Nation } from '../domain/roles.js';
import { yearOf } from './dates.js';

/**
 * UK bank holidays, copied from GOV.UK (alphagov/frontend lib/data/bank-holidays.json, last updated
 * 24 Nov 2025, plus the 15 Jun 2026 Scottish World Cup day added 25 Feb 2026). See
 * shared/timetable-facts.md (beside this repository) section 3. To cover a new year, add its dates to all three
 * calendars and move BANK_HOLIDAYS_UNTIL_YEAR.
 */
export const BANK_HOLIDAYS_FROM_YEAR = 2026;
export const BANK_HOLIDAYS_UNTIL_YEAR = 2028;

export const BANK_HOLIDAY_CALENDARS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type BankHolidayCalendar = (typeof BANK_HOLIDAY_CALENDARS)[number];

export const BANK_HOLIDAYS: Readonly<Record<BankHolidayCalendar, readonly string[]>> = {
  'england-and-wales': [
    // 2026
    '2026-01-01',
    '2026-04-03', // Good Friday
    '2026-04-06', // Easter Monday
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28', // substitute for Boxing Day
    // 2027
    '2027-01-01',
    '2027-03-26', // Good Friday
    '2027-03-29', // Easter Monday
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27', // substitute for Christmas Day
    '2027-12-28', // substitute for Boxing Day
    // 2028
    '2028-01-03', // substitute for New Year's Day
    '2028-04-14', // Good Friday
    '2028-04-17', // Easter Monday
    '2028-05-01',
    '2028-05-29',
    '2028-08-28',
    '2028-12-25',
    '2028-12-26',
  ],
  scotland: [
    // 2026
    '2026-01-01',
    '2026-01-02',
    '2026-04-03', // Good Friday
    '2026-05-04',
    '2026-05-25',
    '2026-06-15', // World Cup bank holiday
    '2026-08-03',
    '2026-11-30', // St Andrew's Day
    '2026-12-25',
    '2026-12-28', // substitute for Boxing Day
    // 2027
    '2027-01-01',
    '2027-01-04', // substitute for 2 January
    '2027-03-26', // Good Friday
    '2027-05-03',
    '2027-05-31',
    '2027-08-02',
    '2027-11-30', // St Andrew's Day
    '2027-12-27', // substitute for Christmas Day
    '2027-12-28', // substitute for Boxing Day
    // 2028
    '2028-01-03', // substitute for New Year's Day
    '2028-01-04', // substitute for 2 January
    '2028-04-14', // Good Friday
    '2028-05-01',
    '2028-05-29',
    '2028-08-07',
    '2028-11-30', // St Andrew's Day
    '2028-12-25',
    '2028-12-26',
  ],
  'northern-ireland': [
    // 2026
    '2026-01-01',
    '2026-03-17', // St Patrick's Day
    '2026-04-03', // Good Friday
    '2026-04-06', // Easter Monday
    '2026-05-04',
    '2026-05-25',
    '2026-07-13', // substitute for 12 July (Battle of the Boyne)
    '2026-08-31',
    '2026-12-25',
    '2026-12-28', // substitute for Boxing Day
    // 2027
    '2027-01-01',
    '2027-03-17', // St Patrick's Day
    '2027-03-26', // Good Friday
    '2027-03-29', // Easter Monday
    '2027-05-03',
    '2027-05-31',
    '2027-07-12', // Battle of the Boyne
    '2027-08-30',
    '2027-12-27', // substitute for Christmas Day
    '2027-12-28', // substitute for Boxing Day
    // 2028
    '2028-01-03', // substitute for New Year's Day
    '2028-03-17', // St Patrick's Day
    '2028-04-14', // Good Friday
    '2028-04-17', // Easter Monday
    '2028-05-01',
    '2028-05-29',
    '2028-07-12', // Battle of the Boyne
    '2028-08-28',
    '2028-12-25',
    '2028-12-26',
  ],
};

const CALENDAR_OF: Record<Nation, BankHolidayCalendar> = {
  england: 'england-and-wales',
  wales: 'england-and-wales',
  scotland: 'scotland',
  'northern-ireland': 'northern-ireland',
};

/** Wales shares England's calendar; Scotland and Northern Ireland have their own. */
export const bankHolidayCalendarOf = (nation: Nation): BankHolidayCalendar => CALENDAR_OF[nation];

const SETS: Record<BankHolidayCalendar, ReadonlySet<string>> = {
  'england-and-wales': new Set(BANK_HOLIDAYS['england-and-wales']),
  scotland: new Set(BANK_HOLIDAYS.scotland),
  'northern-ireland': new Set(BANK_HOLIDAYS['northern-ireland']),
};

export class BankHolidayCoverageError extends Error {
  override readonly name = 'BankHolidayCoverageError';
  constructor(readonly date: string) {
    super(
      `Bank-holiday data runs from ${BANK_HOLIDAYS_FROM_YEAR} to ${BANK_HOLIDAYS_UNTIL_YEAR}; ${date} is outside it. ` +
        "Add that year's dates to functions/lib/timeline/bank-holidays.ts.",
    );
  }
}

const isCoveredYear = (year: number): boolean =>
  year >= BANK_HOLIDAYS_FROM_YEAR && year <= BANK_HOLIDAYS_UNTIL_YEAR;

/** Whether the date is a bank holiday in the nation; throws BankHolidayCoverageError outside the data. */
export const isBankHoliday = (date: string, nation: Nation): boolean => {
  if (!isCoveredYear(yearOf(date))) throw new BankHolidayCoverageError(date);
  return SETS[bankHolidayCalendarOf(nation)].has(date);
};
