import { describe, expect, it } from 'vitest';
import {
  BANK_HOLIDAYS,
  BANK_HOLIDAYS_FROM_YEAR,
  BANK_HOLIDAYS_UNTIL_YEAR,
  BankHolidayCoverageError,
  bankHolidayCalendarOf,
  isBankHoliday,
} from '../../../functions/lib/timeline/bank-holidays.js';
import { easterSunday, InvalidDateError } from '../../../functions/lib/timeline/dates.js';
import {
  addCalendarDays,
  addWorkingDays,
  isWorkingDay,
  workingDaysBefore,
} from '../../../functions/lib/timeline/working-days.js';

describe('bank-holiday data', () => {
  it('covers 2026 to 2028', () => {
    expect([BANK_HOLIDAYS_FROM_YEAR, BANK_HOLIDAYS_UNTIL_YEAR]).toEqual([2026, 2028]);
  });

  it('holds every calendar date once, in order, inside the covered years', () => {
    for (const dates of Object.values(BANK_HOLIDAYS)) {
      const sorted = [...new Set(dates)].sort();
      expect(dates).toEqual(sorted);
      for (const date of dates) {
        const year = Number(date.slice(0, 4));
        expect(year).toBeGreaterThanOrEqual(BANK_HOLIDAYS_FROM_YEAR);
        expect(year).toBeLessThanOrEqual(BANK_HOLIDAYS_UNTIL_YEAR);
      }
    }
  });

  it('maps Wales to the England and Wales calendar', () => {
    expect(bankHolidayCalendarOf('england')).toBe('england-and-wales');
    expect(bankHolidayCalendarOf('wales')).toBe('england-and-wales');
    expect(bankHolidayCalendarOf('scotland')).toBe('scotland');
    expect(bankHolidayCalendarOf('northern-ireland')).toBe('northern-ireland');
  });

  it('agrees with the computed Easter for Good Friday in every nation', () => {
    for (const year of [2026, 2027, 2028]) {
      const goodFriday = addCalendarDays(easterSunday(year), -2);
      for (const dates of Object.values(BANK_HOLIDAYS)) expect(dates).toContain(goodFriday);
    }
  });
});

describe('easterSunday', () => {
  it('gives the known Easter Sundays', () => {
    expect([2024, 2026, 2027, 2028].map(easterSunday)).toEqual([
      '2024-03-31',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
    ]);
  });
});

describe('addCalendarDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addCalendarDays('2027-05-06', -42)).toBe('2027-03-25');
    expect(addCalendarDays('2027-12-30', 3)).toBe('2028-01-02');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2027-03-27', 2)).toBe('2027-03-29'); // across the clock change
  });

  it('rejects an impossible date', () => {
    expect(() => addCalendarDays('2027-02-30', 1)).toThrow(InvalidDateError);
  });
});

describe('isWorkingDay', () => {
  it('treats weekdays as working and weekends as not', () => {
    expect(isWorkingDay('2027-04-14', 'england')).toBe(true); // Wednesday
    expect(isWorkingDay('2027-04-17', 'england')).toBe(false); // Saturday
    expect(isWorkingDay('2027-04-18', 'scotland')).toBe(false); // Sunday
  });

  it('excludes Good Friday in every nation', () => {
    for (const nation of ['england', 'wales', 'scotland', 'northern-ireland'] as const) {
      expect(isWorkingDay('2026-04-03', nation)).toBe(false);
      expect(isWorkingDay('2027-03-26', nation)).toBe(false);
      expect(isWorkingDay('2028-04-14', nation)).toBe(false);
    }
  });

  it('excludes Easter Monday in England, Wales and Northern Ireland as a bank holiday', () => {
    for (const nation of ['england', 'wales', 'northern-ireland'] as const) {
      expect(isBankHoliday('2027-03-29', nation)).toBe(true);
      expect(isWorkingDay('2027-03-29', nation)).toBe(false);
    }
  });

  it('excludes Easter Monday in Scotland by the election rule, though it is no Scottish bank holiday', () => {
    expect(isBankHoliday('2028-04-17', 'scotland')).toBe(false);
    expect(isWorkingDay('2028-04-17', 'scotland')).toBe(false);
    expect(isWorkingDay('2026-04-06', 'scotland')).toBe(false);
  });

  it('excludes Christmas Eve on a weekday though it is no bank holiday', () => {
    // 24 Dec 2027 and 24 Dec 2026 fall on a Friday and a Thursday.
    expect(isBankHoliday('2027-12-24', 'england')).toBe(false);
    expect(isWorkingDay('2027-12-24', 'england')).toBe(false);
    expect(isWorkingDay('2026-12-24', 'scotland')).toBe(false);
  });

  it('excludes Christmas Day and the substitute days', () => {
    expect(isWorkingDay('2026-12-25', 'england')).toBe(false);
    expect(isWorkingDay('2026-12-28', 'northern-ireland')).toBe(false); // Boxing Day substitute
    expect(isWorkingDay('2027-12-27', 'wales')).toBe(false); // Christmas Day substitute
    expect(isWorkingDay('2027-12-28', 'scotland')).toBe(false); // Boxing Day substitute
    expect(isWorkingDay('2028-01-03', 'england')).toBe(false); // New Year's Day substitute
  });

  it("applies Northern Ireland's own bank holidays only there", () => {
    expect(isWorkingDay('2027-03-17', 'northern-ireland')).toBe(false); // St Patrick's Day
    expect(isWorkingDay('2027-03-17', 'england')).toBe(true);
    expect(isWorkingDay('2027-07-12', 'northern-ireland')).toBe(false); // Boyne
    expect(isWorkingDay('2027-07-12', 'scotland')).toBe(true);
    expect(isWorkingDay('2026-07-13', 'northern-ireland')).toBe(false); // 12 Jul 2026 is a Sunday
    expect(isWorkingDay('2026-07-13', 'wales')).toBe(true);
  });

  it("applies Scotland's own bank holidays only there", () => {
    expect(isWorkingDay('2026-06-15', 'scotland')).toBe(false); // World Cup bank holiday
    expect(isWorkingDay('2026-06-15', 'england')).toBe(true);
    expect(isWorkingDay('2026-11-30', 'scotland')).toBe(false); // St Andrew's Day
    expect(isWorkingDay('2026-11-30', 'northern-ireland')).toBe(true);
    expect(isWorkingDay('2027-01-04', 'scotland')).toBe(false); // 2 January substitute
    expect(isWorkingDay('2027-01-04', 'england')).toBe(true);
  });

  it('uses early August in Scotland and late August in England and Wales', () => {
    expect(isWorkingDay('2026-08-03', 'scotland')).toBe(false);
    expect(isWorkingDay('2026-08-03', 'england')).toBe(true);
    expect(isWorkingDay('2026-08-31', 'england')).toBe(false);
    expect(isWorkingDay('2026-08-31', 'wales')).toBe(false);
    expect(isWorkingDay('2026-08-31', 'scotland')).toBe(true);
  });

  it('throws BankHolidayCoverageError for a year outside the data, with a fix in the message', () => {
    const act = () => isWorkingDay('2029-05-03', 'england');

    expect(act).toThrow(BankHolidayCoverageError);
    expect(act).toThrow(
      "Bank-holiday data runs from 2026 to 2028; 2029-05-03 is outside it. Add that year's dates to functions/lib/timeline/bank-holidays.ts.",
    );
  });

  it('throws for a year outside the data even on a weekend', () => {
    expect(() => isWorkingDay('2025-12-27', 'scotland')).toThrow(BankHolidayCoverageError);
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => isWorkingDay('2027-02-30', 'england')).toThrow(InvalidDateError);
    expect(() => isWorkingDay('06/05/2027', 'england')).toThrow(InvalidDateError);
  });
});

describe('workingDaysBefore', () => {
  it('finds English nominations for 7 May 2026 on Thu 9 Apr, 19 working days before', () => {
    // By hand: 6,5 May (2); Mon 4 May bank holiday skipped; 1 May, 30–27 Apr (7); 24–20 Apr (12);
    // 17–13 Apr (17); 10, 9 Apr (19). Matches the published 4pm Thu 9 Apr deadline.
    expect(workingDaysBefore('2026-05-07', 19, 'england')).toBe('2026-04-09');
  });

  it('does not count polling day itself', () => {
    expect(workingDaysBefore('2027-05-06', 1, 'england')).toBe('2027-05-05');
    expect(workingDaysBefore('2027-05-06', 0, 'england')).toBe('2027-05-06');
  });

  it('finds Scottish Parliament nominations for 7 May 2026 on Wed 1 Apr, 23 working days before', () => {
    // By hand: 9 Apr is the 19th (as for England); 8 Apr (20), 7 Apr (21); Easter Monday 6 Apr and
    // Good Friday 3 Apr skipped; 2 Apr (22), 1 Apr (23).
    expect(workingDaysBefore('2026-05-07', 23, 'scotland')).toBe('2026-04-01');
  });

  it('skips Good Friday and Easter Monday when counting back across Easter 2028', () => {
    // Tue 18 Apr 2028 back 1: Mon 17 (Easter Monday), Sun, Sat, Fri 14 (Good Friday) → Thu 13 Apr.
    for (const nation of ['england', 'scotland', 'northern-ireland'] as const) {
      expect(workingDaysBefore('2028-04-18', 1, nation)).toBe('2028-04-13');
    }
  });

  it("counts back over St Patrick's Day only in Northern Ireland", () => {
    // Thu 18 Mar 2027 back 1: Wed 17 Mar is a holiday in NI only.
    expect(workingDaysBefore('2027-03-18', 1, 'northern-ireland')).toBe('2027-03-16');
    expect(workingDaysBefore('2027-03-18', 1, 'england')).toBe('2027-03-17');
  });

  it('throws BankHolidayCoverageError when counting back leaves the covered years', () => {
    expect(() => workingDaysBefore('2026-01-05', 19, 'england')).toThrow(BankHolidayCoverageError);
  });
});

describe('addWorkingDays', () => {
  it('steps over Christmas Eve, Christmas Day, the weekend and the substitute day in 2026', () => {
    // Wed 23 Dec: Thu 24 (Christmas Eve), Fri 25, weekend, Mon 28 (substitute) → Tue 29.
    expect(addWorkingDays('2026-12-23', 1, 'england')).toBe('2026-12-29');
  });

  it('steps over two substitute days when Christmas falls at a weekend in 2027', () => {
    // Thu 23 Dec: Fri 24 (Christmas Eve), weekend, Mon 27 and Tue 28 (substitutes) → Wed 29.
    expect(addWorkingDays('2027-12-23', 1, 'wales')).toBe('2027-12-29');
  });

  it('crosses the new year with the extra Scottish 2 January substitute', () => {
    // Fri 31 Dec 2027: weekend, Mon 3 Jan (all), Tue 4 Jan (Scotland only).
    expect(addWorkingDays('2027-12-31', 1, 'england')).toBe('2028-01-04');
    expect(addWorkingDays('2027-12-31', 1, 'scotland')).toBe('2028-01-05');
  });

  it('goes back for a negative n, mirroring workingDaysBefore', () => {
    expect(addWorkingDays('2026-05-07', -19, 'england')).toBe(workingDaysBefore('2026-05-07', 19, 'england'));
  });

  it('throws BankHolidayCoverageError when counting forward leaves the covered years', () => {
    expect(() => addWorkingDays('2028-12-28', 3, 'england')).toThrow(BankHolidayCoverageError);
  });

  it('rejects a fractional number of days', () => {
    expect(() => addWorkingDays('2027-05-06', 1.5, 'england')).toThrow(RangeError);
  });
});
