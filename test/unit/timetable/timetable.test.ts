import { describe, expect, it } from 'vitest';
import {
  BANK_HOLIDAYS,
  type BankHolidayFile,
  bankHolidayFileSchema,
  indexBankHolidays,
  mergeBankHolidays,
} from '../../../functions/lib/timetable/bank-holidays';
import data from '../../../functions/lib/timetable/bank-holidays.json' with { type: 'json' };
import { makeCalendar } from '../../../functions/lib/timetable/calendar';
import type { ElectionType, TimetableNation } from '../../../functions/lib/timetable/elections';
import {
  BankHolidayCoverageError,
  InvalidNationError,
  InvalidNonWorkingDayError,
  InvalidPollDateError,
  TimetableInputError,
  UnknownElectionError,
} from '../../../functions/lib/timetable/errors';
import { computeTimetable, timetableCalendar } from '../../../functions/lib/timetable/timetable';

const dates = (
  election: ElectionType,
  nation: TimetableNation,
  pollDate: string,
  nonWorkingDays?: string[],
) =>
  Object.fromEntries(
    computeTimetable({ election, nation, pollDate, nonWorkingDays }).map((m) => [m.key, m.date]),
  );

const thrown = (run: () => unknown): TimetableInputError => {
  try {
    run();
  } catch (error) {
    if (error instanceof TimetableInputError) return error;
    throw error;
  }
  throw new Error('expected a TimetableInputError');
};

describe('worked examples (timetable-facts.md sections 2, 5 and 6)', () => {
  it('UK general election, 4 July 2024: the Electoral Commission table, with times', () => {
    expect(
      computeTimetable({ election: 'uk-parliament', nation: 'uk', pollDate: '2024-07-04' }),
    ).toMatchObject([
      { key: 'notice-of-election', date: '2024-06-04', time: '16:00' },
      { key: 'close-of-nominations', date: '2024-06-07', time: '16:00' },
      { key: 'sopn-published', date: '2024-06-10', time: '16:00' },
      { key: 'registration-deadline', date: '2024-06-18', time: '23:59' },
      { key: 'postal-vote-deadline', date: '2024-06-19', time: '17:00' },
      { key: 'vac-deadline', date: '2024-06-26', time: '17:00' },
      { key: 'polling-day', date: '2024-07-04', time: '07:00', endTime: '22:00' },
    ]);
  });

  it('Northern Ireland, 4 July 2024: postal applications close 14 working days before (Fri 14 Jun)', () => {
    expect(dates('uk-parliament', 'northern-ireland', '2024-07-04')['postal-vote-deadline']).toBe(
      '2024-06-14',
    );
    const [postal] = computeTimetable({
      election: 'uk-parliament',
      nation: 'uk',
      pollDate: '2024-07-04',
    }).filter((m) => m.key === 'postal-vote-deadline');
    expect(postal?.label).toContain('Northern Ireland Fri 14 Jun 2024');
  });

  it('English councils, 7 May 2026', () => {
    expect(dates('local', 'england', '2026-05-07')).toEqual({
      'notice-of-election': '2026-03-30',
      'close-of-nominations': '2026-04-09',
      'sopn-published': '2026-04-10',
      'registration-deadline': '2026-04-20',
      'postal-vote-deadline': '2026-04-21',
      'vac-deadline': '2026-04-28',
      'polling-day': '2026-05-07',
    });
  });

  it('Senedd, 7 May 2026: as the English councils, registration Mon 20 Apr', () => {
    expect(dates('senedd', 'wales', '2026-05-07')).toEqual(dates('local', 'england', '2026-05-07'));
  });

  it('Scottish Parliament, 7 May 2026: notice by 25 Mar, nominations Wed 1 Apr, register 20, postal 21, proxy 28 Apr', () => {
    expect(dates('scottish-parliament', 'scotland', '2026-05-07')).toEqual({
      'notice-of-election': '2026-03-25',
      'close-of-nominations': '2026-04-01',
      'sopn-published': '2026-04-02',
      'registration-deadline': '2026-04-20',
      'postal-vote-deadline': '2026-04-21',
      'vac-deadline': '2026-04-28',
      'polling-day': '2026-05-07',
    });
  });

  it('English councils, 6 May 2027', () => {
    expect(dates('local', 'england', '2027-05-06')).toEqual({
      'notice-of-election': '2027-03-31',
      'close-of-nominations': '2027-04-08',
      'sopn-published': '2027-04-09',
      'registration-deadline': '2027-04-19',
      'postal-vote-deadline': '2027-04-20',
      'vac-deadline': '2027-04-27',
      'polling-day': '2027-05-06',
    });
  });

  it('Scottish councils, 6 May 2027: notice 24 Mar, nominations 2 Apr (Easter Monday disregarded)', () => {
    expect(dates('local', 'scotland', '2027-05-06')).toMatchObject({
      'notice-of-election': '2027-03-24',
      'close-of-nominations': '2027-04-02',
      'sopn-published': '2027-04-05',
    });
  });

  it('Northern Ireland councils and Assembly, 6 May 2027: nominations close 13 Apr; no VAC', () => {
    for (const election of ['local', 'ni-assembly'] as const) {
      const got = dates(election, 'northern-ireland', '2027-05-06');
      expect(got['close-of-nominations']).toBe('2027-04-13');
      expect(got).not.toHaveProperty('vac-deadline');
    }
  });

  it('NI registration is 12 working days: 14 Apr for the 5 May 2022 Assembly poll', () => {
    expect(dates('ni-assembly', 'northern-ireland', '2022-05-05')['registration-deadline']).toBe(
      '2022-04-14',
    );
  });

  it('English councils, 4 May 2028', () => {
    expect(dates('local', 'england', '2028-05-04')).toMatchObject({
      'notice-of-election': '2028-03-27',
      'close-of-nominations': '2028-04-04',
      'registration-deadline': '2028-04-13',
      'postal-vote-deadline': '2028-04-18',
      'vac-deadline': '2028-04-25',
    });
  });

  it('the latest next general election, 15 Aug 2029, is outside the data: refused naming pollDate and how to update', () => {
    const error = thrown(() =>
      computeTimetable({ election: 'uk-parliament', nation: 'uk', pollDate: '2029-08-15' }),
    );
    expect(error).toBeInstanceOf(BankHolidayCoverageError);
    expect(error.toIssue().path).toBe('pollDate');
    expect(error.message).toContain('2018 to 2028');
    expect(error.message).toContain('npm run bank-holidays:update');
  });

  it('with 2029 added, 15 Aug 2029 is the 25th working day after 9 Jul 2029 (skipping 12 Jul NI and 6 Aug Scotland)', () => {
    const event = (title: string, date: string) => ({ title, date, notes: '', bunting: true });
    const file = bankHolidayFileSchema.parse(data);
    const newer: BankHolidayFile = {
      'england-and-wales': {
        division: 'england-and-wales',
        events: [event('New Year’s Day', '2029-01-01'), event('Summer bank holiday', '2029-08-27')],
      },
      scotland: {
        division: 'scotland',
        events: [event('New Year’s Day', '2029-01-01'), event('Summer bank holiday', '2029-08-06')],
      },
      'northern-ireland': {
        division: 'northern-ireland',
        events: [
          event('New Year’s Day', '2029-01-01'),
          event('Battle of the Boyne (Orangemen’s Day)', '2029-07-12'),
        ],
      },
    };
    const with2029 = indexBankHolidays(mergeBankHolidays(file, newer).merged);
    const anyPartOfTheUk = {
      divisions: ['england-and-wales', 'scotland', 'northern-ireland'] as const,
      easterMonday: false,
    };
    expect(makeCalendar(anyPartOfTheUk, new Set(), with2029).addWorkingDays('2029-07-09', 25)).toBe(
      '2029-08-15',
    );
  });
});

describe("values from Democracy Club's uk-election-timetables tests", () => {
  it('UK general election 12 Dec 2019: nominations 14 Nov; postal 26 Nov (Scotland, St Andrew’s Day substitute)', () => {
    expect(dates('uk-parliament', 'uk', '2019-12-12')).toMatchObject({
      'close-of-nominations': '2019-11-14',
      'postal-vote-deadline': '2019-11-26',
    });
  });

  it('UK general election 4 Jul 2024: notice 4 Jun', () => {
    expect(dates('uk-parliament', 'uk', '2024-07-04')['notice-of-election']).toBe('2024-06-04');
  });

  it('English councils 6 May 2021: SOPN 9 Apr, register 19 Apr, postal 20 Apr', () => {
    expect(dates('local', 'england', '2021-05-06')).toMatchObject({
      'sopn-published': '2021-04-09',
      'registration-deadline': '2021-04-19',
      'postal-vote-deadline': '2021-04-20',
    });
  });

  it('an English by-election on 2 May 2024: nominations 5 Apr, register 16, postal 17, VAC 24 Apr', () => {
    expect(dates('uk-parliament', 'england', '2024-05-02')).toMatchObject({
      'close-of-nominations': '2024-04-05',
      'registration-deadline': '2024-04-16',
      'postal-vote-deadline': '2024-04-17',
      'vac-deadline': '2024-04-24',
    });
  });

  it('an English poll on 4 May 2023: VAC 25 Apr', () => {
    expect(dates('uk-parliament', 'england', '2023-05-04')['vac-deadline']).toBe('2023-04-25');
  });
});

describe('bank-holiday edge cases', () => {
  it('Christmas Eve on a weekday is disregarded: English poll 7 Jan 2027 registers by 16 Dec, not 17 Dec', () => {
    const calendar = timetableCalendar({ election: 'local', nation: 'england' });
    expect(calendar.isWorkingDay('2026-12-24')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-23')).toBe(true);
    expect(dates('local', 'england', '2027-01-07')).toMatchObject({
      'registration-deadline': '2026-12-16',
      'postal-vote-deadline': '2026-12-17',
      'vac-deadline': '2026-12-29',
    });
  });

  it('a window across Christmas and New Year differs by calendar: Scotland also skips 4 Jan 2027 (2 January substitute)', () => {
    expect(dates('local', 'england', '2027-01-14')).toMatchObject({
      'registration-deadline': '2026-12-23',
      'postal-vote-deadline': '2026-12-29',
    });
    expect(dates('local', 'scotland', '2027-01-14')).toMatchObject({
      'registration-deadline': '2026-12-22',
      'postal-vote-deadline': '2026-12-23',
    });
  });

  it('Easter: Scotland’s timetable skips Easter Monday, its registration and absent-vote deadlines do not', () => {
    const scotland = timetableCalendar({ election: 'local', nation: 'scotland' });
    expect(scotland.isWorkingDay('2024-04-01')).toBe(false);
    expect(
      timetableCalendar({ election: 'uk-parliament', nation: 'scotland' }).isWorkingDay('2024-04-01'),
    ).toBe(true);
    expect(timetableCalendar({ election: 'local', nation: 'england' }).isWorkingDay('2024-04-01')).toBe(
      false,
    );
    // Poll 11 Apr 2024: England skips Easter Monday (a bank holiday there); Scotland's deadlines count it.
    expect(dates('local', 'scotland', '2024-04-11')['registration-deadline']).toBe('2024-03-25');
    expect(dates('local', 'england', '2024-04-11')['registration-deadline']).toBe('2024-03-22');
  });

  it('12 July in Northern Ireland: Assembly poll 29 Jul 2027 registers by 13 Jul, postal by 8 Jul', () => {
    expect(dates('ni-assembly', 'northern-ireland', '2027-07-29')).toMatchObject({
      'postal-vote-deadline': '2027-07-08',
      'registration-deadline': '2027-07-13',
    });
  });

  it('the Scottish August holiday (2 Aug 2027) moves a Scottish poll’s deadlines, not an English one’s', () => {
    expect(dates('local', 'scotland', '2027-08-12')['registration-deadline']).toBe('2027-07-26');
    expect(dates('local', 'england', '2027-08-12')['registration-deadline']).toBe('2027-07-27');
  });

  it('the 2026 World Cup day (15 Jun, Scotland only) moves a Scottish by-election’s deadlines', () => {
    expect(dates('uk-parliament', 'scotland', '2026-06-25')['registration-deadline']).toBe('2026-06-08');
    expect(dates('uk-parliament', 'england', '2026-06-25')['registration-deadline']).toBe('2026-06-09');
  });

  it('a general election disregards one nation’s bank holiday everywhere: 13 Jul 2026 (NI) moves nominations to 25 Jun', () => {
    expect(timetableCalendar({ election: 'uk-parliament', nation: 'uk' }).isWorkingDay('2026-07-13')).toBe(
      false,
    );
    expect(dates('uk-parliament', 'uk', '2026-07-23')['close-of-nominations']).toBe('2026-06-25');
    expect(dates('uk-parliament', 'england', '2026-07-23')['close-of-nominations']).toBe('2026-06-26');
  });

  it('a general election skips holidays of two nations in one window (RPA 1983 Sch 1 r2: any part of the UK)', () => {
    // Poll 13 Aug 2026: 3 Aug (Scotland) and 13 Jul (NI) are both disregarded, so the notice is due 10 Jul.
    // Democracy Club's library takes the earliest single-nation count instead and would say 13 Jul.
    expect(dates('uk-parliament', 'uk', '2026-08-13')).toMatchObject({
      'notice-of-election': '2026-07-10',
      'close-of-nominations': '2026-07-16',
    });
  });

  it('a one-off non-working day (thanksgiving or mourning) moves every milestone counted across it', () => {
    expect(dates('local', 'england', '2027-05-06', ['2027-04-20'])).toEqual({
      'notice-of-election': '2027-03-30',
      'close-of-nominations': '2027-04-07',
      'sopn-published': '2027-04-08',
      'registration-deadline': '2027-04-16',
      'postal-vote-deadline': '2027-04-19',
      'vac-deadline': '2027-04-27',
      'polling-day': '2027-05-06',
    });
    const calendar = timetableCalendar({
      election: 'local',
      nation: 'england',
      nonWorkingDays: ['2027-04-20'],
    });
    expect(calendar.isWorkingDay('2027-04-20')).toBe(false);
  });
});

describe('VAC cut-over', () => {
  it('GB polls from 4 May 2023 have a VAC deadline; earlier ones do not', () => {
    expect(dates('local', 'england', '2022-05-05')).not.toHaveProperty('vac-deadline');
    expect(dates('local', 'england', '2023-05-04')['vac-deadline']).toBe('2023-04-25');
    expect(dates('uk-parliament', 'england', '2023-04-27')).not.toHaveProperty('vac-deadline');
    expect(dates('uk-parliament', 'england', '2023-07-20')).toHaveProperty('vac-deadline');
  });

  it('a UK general election from October 2023 (Democracy Club: 2023-10-01)', () => {
    expect(dates('uk-parliament', 'uk', '2023-09-28')).not.toHaveProperty('vac-deadline');
    expect(dates('uk-parliament', 'uk', '2023-10-05')).toHaveProperty('vac-deadline');
  });

  it('never in Northern Ireland', () => {
    for (const election of ['uk-parliament', 'local', 'ni-assembly'] as const) {
      expect(dates(election, 'northern-ireland', '2027-05-06')).not.toHaveProperty('vac-deadline');
    }
  });

  it('where no photo ID is needed, the 6-day deadline is for new proxy applications and says so', () => {
    for (const [election, nation] of [
      ['scottish-parliament', 'scotland'],
      ['senedd', 'wales'],
      ['local', 'scotland'],
      ['local', 'wales'],
    ] as const) {
      const vac = computeTimetable({ election, nation, pollDate: '2026-05-07' }).find(
        (m) => m.key === 'vac-deadline',
      );
      expect(vac?.label).toMatch(/new proxy applications.*no photo ID/);
    }
    const english = computeTimetable({ election: 'local', nation: 'england', pollDate: '2026-05-07' });
    expect(english.find((m) => m.key === 'vac-deadline')?.label).toContain('Voter Authority Certificate');
  });
});

describe('labels', () => {
  it('a general election’s deadlines say which calendar counted them and give other nations’ dates', () => {
    const milestones = computeTimetable({ election: 'uk-parliament', nation: 'uk', pollDate: '2024-04-11' });
    const registration = milestones.find((m) => m.key === 'registration-deadline');
    expect(registration).toMatchObject({ date: '2024-03-25' });
    expect(registration?.label).toContain("counted on Scotland's bank holidays");
    expect(registration?.label).toContain('England and Wales Fri 22 Mar 2024');
  });

  it('every milestone has a label; only polling day has an end time', () => {
    for (const m of computeTimetable({ election: 'gla', nation: 'england', pollDate: '2028-05-04' })) {
      expect(m.label.length).toBeGreaterThan(10);
      expect('endTime' in m).toBe(m.key === 'polling-day');
    }
  });
});

describe('errors name their field', () => {
  it.each([
    [{ election: 'euro', nation: 'england', pollDate: '2027-05-06' }, UnknownElectionError, 'election'],
    [{ election: 'local', nation: 'mars', pollDate: '2027-05-06' }, InvalidNationError, 'nation'],
    [{ election: 'senedd', nation: 'scotland', pollDate: '2027-05-06' }, InvalidNationError, 'nation'],
    [{ election: 'local', nation: 'uk', pollDate: '2027-05-06' }, InvalidNationError, 'nation'],
    [{ election: 'local', nation: 'england', pollDate: '2027-02-30' }, InvalidPollDateError, 'pollDate'],
    [{ election: 'local', nation: 'england', pollDate: '6 May 2027' }, InvalidPollDateError, 'pollDate'],
    [{ election: 'local', nation: 'england', pollDate: '2017-06-08' }, BankHolidayCoverageError, 'pollDate'],
    // In a covered year, but its timetable reaches back into December 2017.
    [{ election: 'local', nation: 'england', pollDate: '2018-01-11' }, BankHolidayCoverageError, 'pollDate'],
    [
      { election: 'local', nation: 'england', pollDate: '2027-05-06', nonWorkingDays: ['2027-13-01'] },
      InvalidNonWorkingDayError,
      'nonWorkingDays',
    ],
  ])('%o', (input, type, field) => {
    const error = thrown(() => computeTimetable(input as never));
    expect(error).toBeInstanceOf(type);
    expect(error.field).toBe(field);
  });

  it('an invalid pair says which nations the election is held in', () => {
    expect(
      thrown(() => computeTimetable({ election: 'senedd', nation: 'scotland', pollDate: '2026-05-07' }))
        .message,
    ).toContain('wales');
  });
});

describe('timetableCalendar', () => {
  it('moves n working days either way without counting the start; 0 keeps the date', () => {
    const calendar = timetableCalendar({ election: 'local', nation: 'england' });
    expect(calendar.addWorkingDays('2027-04-08', 0)).toBe('2027-04-08');
    expect(calendar.addWorkingDays('2027-04-08', 1)).toBe('2027-04-09');
    expect(calendar.addWorkingDays('2027-05-06', -19)).toBe('2027-04-08');
    expect(calendar.addWorkingDays('2027-03-25', 1)).toBe('2027-03-30'); // Good Friday, weekend, Easter Monday
    expect(() => calendar.addWorkingDays('2027-04-08', 1.5)).toThrow(RangeError);
  });

  it('holds the shipped data for 2018 to 2028', () => {
    expect(BANK_HOLIDAYS.coveredYears).toEqual({ from: 2018, to: 2028 });
  });
});
