import { BANK_HOLIDAYS } from './bank-holidays';
import { makeCalendar, type WorkingDayCalendar } from './calendar';
import { formatDay, isIsoDate, yearOf } from './dates';
import {
  ELECTION_TYPES,
  type ElectionType,
  isElectionType,
  isTimetableNation,
  isValidPair,
  NATION_CALENDARS,
  NATIONS_BY_ELECTION,
  TIMETABLE_NATIONS,
  type TimetableNation,
  timetableRule,
} from './elections';
import {
  BankHolidayCoverageError,
  InvalidNationError,
  InvalidNonWorkingDayError,
  InvalidPollDateError,
  UnknownElectionError,
} from './errors';

export const MILESTONE_KEYS = [
  'notice-of-election',
  'close-of-nominations',
  'sopn-published',
  'registration-deadline',
  'postal-vote-deadline',
  'vac-deadline',
  'polling-day',
] as const;
export type MilestoneKey = (typeof MILESTONE_KEYS)[number];

export interface Milestone {
  key: MilestoneKey;
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM local time, or null where the rule gives a day only. */
  time: string | null;
  /** Polling day only: when polls close. */
  endTime?: string;
  label: string;
}

export interface TimetableInput {
  election: ElectionType;
  nation: TimetableNation;
  /** YYYY-MM-DD */
  pollDate: string;
  /** One-off days of public thanksgiving or mourning (YYYY-MM-DD), disregarded like bank holidays. */
  nonWorkingDays?: readonly string[];
}

// Registration: RPA 1983 s.13A/13B, 12 working days before the poll, by midnight (Electoral Commission).
const REGISTRATION_DAYS = 12;
// Postal applications and changes: RPR (England and Wales) 2001 reg 56 and RPR (Scotland) 2001, 11 working
// days, 5pm; Northern Ireland: RPR (Northern Ireland) 2008 reg 61, 14 working days, 5pm.
const POSTAL_DAYS = 11;
const POSTAL_DAYS_NI = 14;
// New proxy applications and Voter Authority Certificates: the Voter Identification Regulations 2022,
// 6 working days, 5pm.
const VAC_DAYS = 6;
// The first polls under the Voter Identification Regulations 2022 were on 4 May 2023; a UK general
// election from October 2023 (Democracy Club's uk-election-ids: "parl" needs ID from 2023-10-01).
const VAC_FROM = '2023-05-04';
const VAC_FROM_GENERAL_ELECTION = '2023-10-01';

const checkedInput = (input: {
  election: string;
  nation: string;
  nonWorkingDays?: readonly string[];
}): { election: ElectionType; nation: TimetableNation; extra: Set<string> } => {
  const { election, nation } = input;
  if (!isElectionType(election)) {
    throw new UnknownElectionError(`election must be one of ${ELECTION_TYPES.join(', ')}.`);
  }
  if (!isTimetableNation(nation)) {
    throw new InvalidNationError(`nation must be one of ${TIMETABLE_NATIONS.join(', ')}.`);
  }
  if (!isValidPair(election, nation)) {
    throw new InvalidNationError(
      `A ${election} election is held in ${NATIONS_BY_ELECTION[election].join(', ')}, not ${nation}.` +
        (nation === 'uk' ? " 'uk' is only for a UK general election (election uk-parliament)." : ''),
    );
  }
  const days = input.nonWorkingDays ?? [];
  if (!Array.isArray(days)) throw new InvalidNonWorkingDayError('nonWorkingDays must be a list of dates.');
  for (const day of days) {
    if (typeof day !== 'string' || !isIsoDate(day)) {
      throw new InvalidNonWorkingDayError(
        `"${String(day)}" is not a real date written YYYY-MM-DD (nonWorkingDays lists days of public thanksgiving or mourning).`,
      );
    }
  }
  return { election, nation, extra: new Set(days) };
};

/**
 * The working-day calendar of a campaign's statutory timetable (notice, nominations, SOPN): the one
 * reminder steps count in. For a UK general election it disregards a bank holiday in any part of the UK;
 * in Scotland, for Scottish Parliament and council elections, Easter Monday too.
 */
export const timetableCalendar = (input: {
  election: ElectionType;
  nation: TimetableNation;
  nonWorkingDays?: readonly string[];
}): WorkingDayCalendar => {
  const { election, nation, extra } = checkedInput(input);
  return makeCalendar(timetableRule(election, nation).timetable, extra);
};

const ORDER = new Map(MILESTONE_KEYS.map((key, index) => [key, index]));

/**
 * The statutory milestones of an election, in date order. Counting back never counts polling day; the
 * SOPN is due on the next working day after nominations close, in the same calendar. Throws a
 * TimetableInputError naming the field at fault.
 */
export const computeTimetable = (input: TimetableInput): Milestone[] => {
  const { election, nation, extra } = checkedInput(input);
  const { pollDate } = input;
  if (typeof pollDate !== 'string' || !isIsoDate(pollDate)) {
    throw new InvalidPollDateError(
      `"${String(pollDate)}" is not a real date written YYYY-MM-DD, e.g. 2027-05-06.`,
    );
  }
  const { from, to } = BANK_HOLIDAYS.coveredYears;
  if (yearOf(pollDate) < from || yearOf(pollDate) > to) {
    throw new BankHolidayCoverageError(yearOf(pollDate), BANK_HOLIDAYS.coveredYears);
  }

  const rule = timetableRule(election, nation);
  const timetable = makeCalendar(rule.timetable, extra);
  const deadlines = makeCalendar(rule.deadlines, extra);
  const before = (calendar: WorkingDayCalendar, days: number) => calendar.addWorkingDays(pollDate, -days);

  const closeOfNominations = before(timetable, rule.nominationDays);
  const postalDays = nation === 'northern-ireland' ? POSTAL_DAYS_NI : POSTAL_DAYS;
  const registration = before(deadlines, REGISTRATION_DAYS);
  const postal = before(deadlines, postalDays);
  const vacFrom = nation === 'uk' ? VAC_FROM_GENERAL_ELECTION : VAC_FROM;
  const vac = nation !== 'northern-ireland' && pollDate >= vacFrom ? before(deadlines, VAC_DAYS) : null;

  // A general election's deadlines are counted on one nation's calendar (see timetableRule): the label
  // says so and gives the other nations' dates where they differ.
  const otherNations = (date: string, days: number, northernIreland: { days: number } | string): string => {
    if (nation !== 'uk') return '';
    const englandAndWales = makeCalendar(NATION_CALENDARS.england, extra).addWorkingDays(pollDate, -days);
    const ni =
      typeof northernIreland === 'string'
        ? northernIreland
        : makeCalendar(NATION_CALENDARS['northern-ireland'], extra).addWorkingDays(
            pollDate,
            -northernIreland.days,
          );
    const others = [
      englandAndWales === date ? null : `England and Wales ${formatDay(englandAndWales)}`,
      ni === date ? null : isIsoDate(ni) ? `Northern Ireland ${formatDay(ni)}` : ni,
    ].filter((text) => text !== null);
    return others.length === 0
      ? ' (the same day in every nation)'
      : ` (counted on Scotland's bank holidays; ${others.join('; ')})`;
  };

  const milestones: Milestone[] = [
    {
      key: 'notice-of-election',
      date: before(timetable, rule.noticeDays),
      time: rule.noticeTime,
      label: 'Notice of election: the latest day it can be published',
    },
    {
      key: 'close-of-nominations',
      date: closeOfNominations,
      time: '16:00',
      label: 'Nominations close at 4pm',
    },
    {
      key: 'sopn-published',
      date: timetable.addWorkingDays(closeOfNominations, 1),
      time: '16:00',
      label: 'Statement of persons nominated (the list of candidates) published by 4pm at the latest',
    },
    {
      key: 'registration-deadline',
      date: registration,
      time: '23:59',
      label: `Deadline to register to vote, by midnight${otherNations(registration, REGISTRATION_DAYS, { days: REGISTRATION_DAYS })}`,
    },
    {
      key: 'postal-vote-deadline',
      date: postal,
      time: '17:00',
      label:
        `Deadline for new postal vote applications and changes, 5pm` +
        (nation === 'northern-ireland' ? ' (14 working days before polling day in Northern Ireland)' : '') +
        otherNations(postal, POSTAL_DAYS, { days: POSTAL_DAYS_NI }),
    },
    ...(vac
      ? [
          {
            key: 'vac-deadline' as const,
            date: vac,
            time: '17:00',
            label:
              (rule.photoId
                ? 'Deadline for Voter Authority Certificate and new proxy applications, 5pm'
                : 'Deadline for new proxy applications, 5pm (no photo ID is needed at this election)') +
              otherNations(
                vac,
                VAC_DAYS,
                'none in Northern Ireland, which has its own Electoral Identity Card',
              ),
          },
        ]
      : []),
    {
      key: 'polling-day',
      date: pollDate,
      time: '07:00',
      endTime: '22:00',
      label: 'Polling day: polls open 7am to 10pm',
    },
  ];
  return milestones.sort(
    (a, b) => a.date.localeCompare(b.date) || (ORDER.get(a.key) ?? 0) - (ORDER.get(b.key) ?? 0),
  );
};
