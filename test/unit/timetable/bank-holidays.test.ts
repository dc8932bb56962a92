import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BANK_HOLIDAYS,
  type BankHolidayFile,
  bankHolidayFileSchema,
  DIVISIONS,
  indexBankHolidays,
  mergeBankHolidays,
} from '../../../functions/lib/timetable/bank-holidays';
import data from '../../../functions/lib/timetable/bank-holidays.json' with { type: 'json' };
import { addDays, easterSunday } from '../../../functions/lib/timetable/dates';
import { updateBankHolidays } from '../../../scripts/bank-holidays-update';

const ours = () => bankHolidayFileSchema.parse(structuredClone(data));
const event = (title: string, date: string, notes = '') => ({ title, date, notes, bunting: true });
const fileWith = (events: Partial<Record<(typeof DIVISIONS)[number], ReturnType<typeof event>[]>>) =>
  Object.fromEntries(
    DIVISIONS.map((division) => [division, { division, events: events[division] ?? [] }]),
  ) as BankHolidayFile;

describe('the shipped GOV.UK data', () => {
  it('is GOV.UK’s format for all three calendars, 2018 to 2028, each in date order without repeats', () => {
    const file = ours();
    expect(BANK_HOLIDAYS.coveredYears).toEqual({ from: 2018, to: 2028 });
    for (const division of DIVISIONS) {
      const dates = file[division].events.map((e) => e.date);
      expect(dates).toEqual([...new Set(dates)].sort());
    }
  });

  it('has the facts file’s 2026-2028 dates, the World Cup day and 12 July', () => {
    const { dates } = BANK_HOLIDAYS;
    expect(dates.scotland.has('2026-06-15')).toBe(true);
    expect(dates['england-and-wales'].has('2026-06-15')).toBe(false);
    expect(dates['northern-ireland'].has('2027-07-12')).toBe(true);
    expect(dates['northern-ireland'].has('2026-07-13')).toBe(true);
    expect(dates.scotland.has('2027-08-02')).toBe(true);
    expect(dates['england-and-wales'].has('2028-01-03')).toBe(true);
  });

  it('agrees with the computed Easter: Good Friday in every calendar, Easter Monday in none of Scotland’s', () => {
    for (let year = 2018; year <= 2028; year += 1) {
      const easter = easterSunday(year);
      for (const division of DIVISIONS)
        expect(BANK_HOLIDAYS.dates[division].has(addDays(easter, -2))).toBe(true);
      expect(BANK_HOLIDAYS.dates.scotland.has(addDays(easter, 1))).toBe(false);
      expect(BANK_HOLIDAYS.dates['england-and-wales'].has(addDays(easter, 1))).toBe(true);
    }
  });

  it('derives covered years from the data: those every calendar holds', () => {
    const file = fileWith({
      'england-and-wales': [event('A', '2018-01-01'), event('B', '2029-01-01')],
      scotland: [event('A', '2018-01-01'), event('B', '2028-01-01')],
      'northern-ireland': [event('A', '2019-01-01'), event('B', '2029-01-01')],
    });
    expect(indexBankHolidays(file).coveredYears).toEqual({ from: 2019, to: 2028 });
  });
});

describe('mergeBankHolidays', () => {
  it('adds the newer file’s dates per calendar, keeps ours, sorts, and reports what it added', () => {
    const current = fileWith({ scotland: [event('A', '2028-01-03'), event('C', '2028-12-26')] });
    const newer = fileWith({
      scotland: [event('B', '2028-06-01'), event('A', '2028-01-03'), event('D', '2029-01-01')],
      'northern-ireland': [event('E', '2029-07-12')],
    });
    const { merged, added } = mergeBankHolidays(current, newer);
    expect(merged.scotland.events.map((e) => e.date)).toEqual([
      '2028-01-03',
      '2028-06-01',
      '2028-12-26',
      '2029-01-01',
    ]);
    expect(merged['northern-ireland'].events).toEqual([event('E', '2029-07-12')]);
    expect(added.scotland.map((e) => e.date)).toEqual(['2028-06-01', '2029-01-01']);
    expect(added['england-and-wales']).toEqual([]);
  });

  it('takes the newer file’s title and notes for a date both hold', () => {
    const current = fileWith({ scotland: [event('Old title', '2028-01-03')] });
    const newer = fileWith({ scotland: [event('New title', '2028-01-03', 'Substitute day')] });
    const { merged, added } = mergeBankHolidays(current, newer);
    expect(merged.scotland.events).toEqual([event('New title', '2028-01-03', 'Substitute day')]);
    expect(added.scotland).toEqual([]);
  });
});

describe('npm run bank-holidays:update', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const workspace = () => {
    const dir = mkdtempSync(join(tmpdir(), 'esr-bank-holidays-'));
    dirs.push(dir);
    const dataFile = join(dir, 'bank-holidays.json');
    writeFileSync(dataFile, `${JSON.stringify(ours(), null, 2)}\n`);
    return { dir, dataFile };
  };

  it('merges a newer GOV.UK file into ours, extends the covered years and prints the additions', () => {
    const { dir, dataFile } = workspace();
    const newer = ours();
    for (const division of DIVISIONS) newer[division].events.push(event('New Year’s Day', '2029-01-01'));
    newer['northern-ireland'].events.push(event('Battle of the Boyne (Orangemen’s Day)', '2029-07-12'));
    writeFileSync(join(dir, 'newer.json'), JSON.stringify(newer));

    const printed = updateBankHolidays(join(dir, 'newer.json'), dataFile);

    expect(printed).toEqual([
      'Added 4 event(s):',
      '  england-and-wales: 2029-01-01 New Year’s Day',
      '  scotland: 2029-01-01 New Year’s Day',
      '  northern-ireland: 2029-01-01 New Year’s Day',
      '  northern-ireland: 2029-07-12 Battle of the Boyne (Orangemen’s Day)',
      'Bank holidays now cover 2018 to 2029.',
    ]);
    const written = bankHolidayFileSchema.parse(JSON.parse(readFileSync(dataFile, 'utf8')));
    expect(written['northern-ireland'].events.at(-1)?.date).toBe('2029-07-12');
    expect(indexBankHolidays(written).coveredYears).toEqual({ from: 2018, to: 2029 });
  });

  it('changes nothing when the newer file holds nothing new, byte for byte', () => {
    const { dataFile } = workspace();
    const before = readFileSync(dataFile, 'utf8');
    expect(updateBankHolidays(dataFile, dataFile)[0]).toBe('Nothing new: every event is already held.');
    expect(readFileSync(dataFile, 'utf8')).toBe(before);
    // Our shipped file is written exactly as the script writes it, so an update's diff is only the additions.
    expect(
      readFileSync(new URL('../../../functions/lib/timetable/bank-holidays.json', import.meta.url), 'utf8'),
    ).toBe(before);
  });

  it('refuses a file that is not GOV.UK’s shape, naming what is wrong, and leaves ours alone', () => {
    const { dir, dataFile } = workspace();
    const before = readFileSync(dataFile, 'utf8');
    const bad = ours() as unknown as Record<string, { events: { date: string }[] }>;
    (bad.scotland as { events: { date: string }[] }).events[0] = { date: '2029-02-30' };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    expect(() => updateBankHolidays(join(dir, 'bad.json'), dataFile)).toThrow(
      /scotland\.events\.0\.(title|date)/,
    );
    expect(readFileSync(dataFile, 'utf8')).toBe(before);
  });
});
