import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ElectionType,
  NATIONS_BY_ELECTION,
  type TimetableNation,
} from '../../../functions/lib/timetable/elections';
import { computeTimetable, type Milestone } from '../../../functions/lib/timetable/timetable';

/**
 * Every election type and nation on poll dates spread over 2019-2028 (every Thursday, plus every fifth
 * day so that every weekday and windows starting anywhere are met), against an independent, simpler
 * re-implementation written here from timetable-facts.md section 6 and Democracy Club's
 * uk-election-timetables (read, not run): it reads the raw GOV.UK file itself, finds Easter from the
 * "Good Friday" entries instead of computing it, and counts by indexing a list of working days rather
 * than stepping day by day.
 */

type Division = 'england-and-wales' | 'scotland' | 'northern-ireland';
const raw = JSON.parse(
  readFileSync(new URL('../../../functions/lib/timetable/bank-holidays.json', import.meta.url), 'utf8'),
) as Record<Division, { events: { title: string; date: string }[] }>;

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const shift = (date: string, n: number) => iso(new Date(day(date).getTime() + n * 86_400_000));

const goodFridays = raw['england-and-wales'].events
  .filter((e) => e.title === 'Good Friday')
  .map((e) => e.date);
const easterMondays = goodFridays.map((date) => shift(date, 3));

/** Sorted working days from 2018-01-01 to 2028-12-31 for a calendar. */
const workingDays = (divisions: Division[], easterMonday: boolean): string[] => {
  const closed = new Set<string>(goodFridays);
  for (const division of divisions) for (const e of raw[division].events) closed.add(e.date);
  if (easterMonday) for (const date of easterMondays) closed.add(date);
  const days: string[] = [];
  for (let d = '2018-01-01'; d <= '2028-12-31'; d = shift(d, 1)) {
    const weekday = day(d).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (d.endsWith('-12-24') || d.endsWith('-12-25')) continue;
    if (!closed.has(d)) days.push(d);
  }
  return days;
};

/** For each calendar: the working days, and for every date the index of the first working day on or after it. */
const indexed = (days: string[]) => {
  const firstOnOrAfter = new Map<string, number>();
  let index = 0;
  for (let d = '2018-01-01'; d <= '2028-12-31'; d = shift(d, 1)) {
    while (index < days.length && (days[index] as string) < d) index += 1;
    firstOnOrAfter.set(d, index);
  }
  return { days, firstOnOrAfter };
};

const CALENDARS = {
  ew: indexed(workingDays(['england-and-wales'], false)),
  sc: indexed(workingDays(['scotland'], false)),
  scEaster: indexed(workingDays(['scotland'], true)),
  ni: indexed(workingDays(['northern-ireland'], false)),
  anyUk: indexed(workingDays(['england-and-wales', 'scotland', 'northern-ireland'], false)),
};
type CalendarName = keyof typeof CALENDARS;

/** The nth working day strictly before the date (the date itself never counts). */
const before = (calendar: CalendarName, date: string, n: number): string | undefined => {
  const { days, firstOnOrAfter } = CALENDARS[calendar];
  return days[(firstOnOrAfter.get(date) as number) - n];
};
const nextAfter = (calendar: CalendarName, date: string) => {
  const { days, firstOnOrAfter } = CALENDARS[calendar];
  return days[firstOnOrAfter.get(shift(date, 1)) as number];
};

// [notice, nominations, timetable calendar, deadlines calendar] per pair, from the facts file's table.
const ownCalendar = { england: 'ew', wales: 'ew', scotland: 'sc', 'northern-ireland': 'ni' } as const;
const ruleOf = (election: string, nation: string): [number, number, CalendarName, CalendarName] => {
  if (nation === 'uk') return [22, 19, 'anyUk', 'sc'];
  const own: CalendarName = ownCalendar[nation as keyof typeof ownCalendar];
  if (election === 'uk-parliament') return [22, 19, own, own];
  if (election === 'local' && nation === 'scotland') return [28, 23, 'scEaster', own];
  if (election === 'local' && nation === 'northern-ireland') return [25, 16, own, own];
  if (election === 'scottish-parliament') return [28, 23, 'scEaster', own];
  if (election === 'ni-assembly') return [25, 16, own, own];
  if (election === 'pcc') return [25, 18, own, own];
  if (election === 'gla') return [30, 22, own, own];
  return [25, 19, own, own]; // local (England, Wales), senedd, mayor
};

const expected = (election: string, nation: string, pollDate: string) => {
  const [notice, nominations, timetable, deadlines] = ruleOf(election, nation);
  const close = before(timetable, pollDate, nominations) as string;
  const vacFrom = nation === 'uk' ? '2023-10-01' : '2023-05-04';
  return {
    'notice-of-election': before(timetable, pollDate, notice),
    'close-of-nominations': close,
    'sopn-published': nextAfter(timetable, close),
    'registration-deadline': before(deadlines, pollDate, 12),
    'postal-vote-deadline': before(deadlines, pollDate, nation === 'northern-ireland' ? 14 : 11),
    ...(nation !== 'northern-ireland' && pollDate >= vacFrom
      ? { 'vac-deadline': before(deadlines, pollDate, 6) }
      : {}),
    'polling-day': pollDate,
  };
};

const pollDates = (() => {
  const dates = new Set<string>();
  for (let d = '2019-01-03'; d <= '2028-12-28'; d = shift(d, 7)) dates.add(d); // Thursdays
  for (let d = '2019-01-01'; d <= '2028-12-31'; d = shift(d, 5)) dates.add(d);
  return [...dates].sort();
})();
const pairs = (Object.entries(NATIONS_BY_ELECTION) as [ElectionType, readonly TimetableNation[]][]).flatMap(
  ([election, nations]) => nations.map((nation) => [election, nation] as const),
);

describe('computeTimetable against an independent re-implementation', () => {
  it.each(pairs)('%s in %s: every milestone on every poll date from 2019 to 2028', (election, nation) => {
    let checked = 0;
    for (const pollDate of pollDates) {
      const milestones: Milestone[] = computeTimetable({ election, nation, pollDate });
      const got = Object.fromEntries(milestones.map((m) => [m.key, m.date]));
      expect({ pollDate, ...got }).toEqual({ pollDate, ...expected(election, nation, pollDate) });
      const dates = milestones.map((m) => m.date);
      expect(dates).toEqual([...dates].sort());
      checked += milestones.length;
    }
    expect(checked).toBeGreaterThanOrEqual(pollDates.length * 6);
  });

  it('covers the spread it claims', () => {
    expect(pairs).toHaveLength(16);
    expect(pollDates.length).toBeGreaterThan(1100);
    expect(pollDates[0]).toBe('2019-01-01');
    expect(pollDates.at(-1)).toBe('2028-12-29');
  });
});
