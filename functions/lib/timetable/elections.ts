import type { Division } from './bank-holidays';

/**
 * Election types and the nations they are held in, with each one's statutory timetable. Day counts are
 * working days before polling day (timetable-facts.md section 6, as encoded in Democracy Club's
 * uk-election-timetables, whose docstrings name the statutory instruments).
 */
export const ELECTION_TYPES = [
  'uk-parliament',
  'local',
  'senedd',
  'scottish-parliament',
  'ni-assembly',
  'mayor',
  'pcc',
  'gla',
] as const;
export type ElectionType = (typeof ELECTION_TYPES)[number];

/** 'uk' is a UK general election only; a UK Parliament by-election names its nation. */
export const TIMETABLE_NATIONS = ['england', 'wales', 'scotland', 'northern-ireland', 'uk'] as const;
export type TimetableNation = (typeof TIMETABLE_NATIONS)[number];

/** Where each type is held. Mayors and PCCs follow Democracy Club, which times them on England's calendar. */
export const NATIONS_BY_ELECTION: Readonly<Record<ElectionType, readonly TimetableNation[]>> = {
  'uk-parliament': TIMETABLE_NATIONS,
  local: ['england', 'wales', 'scotland', 'northern-ireland'],
  senedd: ['wales'],
  'scottish-parliament': ['scotland'],
  'ni-assembly': ['northern-ireland'],
  mayor: ['england'],
  pcc: ['england', 'wales'],
  gla: ['england'],
};

export const isElectionType = (value: string): value is ElectionType =>
  (ELECTION_TYPES as readonly string[]).includes(value);
export const isTimetableNation = (value: string): value is TimetableNation =>
  (TIMETABLE_NATIONS as readonly string[]).includes(value);
export const isValidPair = (election: ElectionType, nation: TimetableNation): boolean =>
  NATIONS_BY_ELECTION[election].includes(nation);

export const ELECTION_NAMES: Readonly<Record<ElectionType, string>> = {
  'uk-parliament': 'UK Parliament',
  local: 'local council',
  senedd: 'Senedd',
  'scottish-parliament': 'Scottish Parliament',
  'ni-assembly': 'Northern Ireland Assembly',
  mayor: 'mayoral',
  pcc: 'Police and Crime Commissioner',
  gla: 'Greater London Authority (London Assembly and Mayor of London)',
};

export const NATION_NAMES: Readonly<Record<TimetableNation, string>> = {
  england: 'England',
  wales: 'Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
  uk: 'the whole UK (general election)',
};

/**
 * A working-day calendar: Saturdays, Sundays, Christmas Eve, Christmas Day and Good Friday are always
 * disregarded, plus every bank holiday of the listed divisions and, where the legislation says so,
 * Easter Monday (not a Scottish bank holiday).
 */
export interface CalendarSpec {
  divisions: readonly Division[];
  easterMonday: boolean;
}

const ENGLAND_AND_WALES: CalendarSpec = { divisions: ['england-and-wales'], easterMonday: false };
const SCOTLAND: CalendarSpec = { divisions: ['scotland'], easterMonday: false };
const NORTHERN_IRELAND: CalendarSpec = { divisions: ['northern-ireland'], easterMonday: false };
// SSI 2015/425 (Scottish Parliament) and SSI 2011/399 (Scottish councils) also disregard Easter Monday
// in their timetables (Democracy Club's EasterMondayRule); registration and absent-vote deadlines do not.
const SCOTLAND_WITH_EASTER_MONDAY: CalendarSpec = { divisions: ['scotland'], easterMonday: true };
// RPA 1983 Sch 1 r2: at a general election "a bank holiday ... in any part of the United Kingdom" is
// disregarded, so the Schedule 1 timetable skips the holidays of all three calendars.
const ANY_PART_OF_THE_UK: CalendarSpec = {
  divisions: ['england-and-wales', 'scotland', 'northern-ireland'],
  easterMonday: false,
};

/** The bank-holiday calendar of a nation (a by-election's constituency; a council's area). */
export const NATION_CALENDARS: Readonly<Record<Exclude<TimetableNation, 'uk'>, CalendarSpec>> = {
  england: ENGLAND_AND_WALES,
  wales: ENGLAND_AND_WALES,
  scotland: SCOTLAND,
  'northern-ireland': NORTHERN_IRELAND,
};

export interface TimetableRule {
  /** Latest day for the notice of election, in working days before the poll. */
  noticeDays: number;
  /** The notice's latest time, where the rules give one. */
  noticeTime: string | null;
  /** Close of nominations (4pm), in working days before the poll; the SOPN follows on the next working day. */
  nominationDays: number;
  /** The calendar of the statutory timetable (notice, nominations, SOPN). */
  timetable: CalendarSpec;
  /** The calendar of the registration, postal and proxy/VAC deadlines (never with Easter Monday). */
  deadlines: CalendarSpec;
  /** Whether voters need photo ID (Elections Act 2022), so a Voter Authority Certificate is offered. */
  photoId: boolean;
}

/** The statutory timetable of an election type in a nation (the pair must be valid). */
export const timetableRule = (election: ElectionType, nation: TimetableNation): TimetableRule => {
  if (nation === 'uk') {
    // A UK general election. RPA 1983 Sch 1 r1 (timetable) and r2 (computation of time). Registration
    // and absent-vote deadlines count on Scotland's bank holidays, as Democracy Club's library does for a
    // UK-wide parliamentary election with no country (its calendar lookup falls through to Scotland's);
    // the labels give the other nations' dates where they differ.
    return {
      noticeDays: 22,
      noticeTime: '16:00',
      nominationDays: 19,
      timetable: ANY_PART_OF_THE_UK,
      deadlines: SCOTLAND,
      photoId: true,
    };
  }
  const own = NATION_CALENDARS[nation];
  const base = { noticeTime: null, timetable: own, deadlines: own, photoId: true };
  switch (election) {
    case 'uk-parliament':
      // A by-election: RPA 1983 Sch 1 r1 and r2, bank holidays "in that part of the United Kingdom in
      // which the constituency is situated" (no Easter Monday rule in Scotland).
      return {
        ...base,
        noticeDays: 22,
        noticeTime: '16:00',
        nominationDays: 19,
        photoId: nation !== 'northern-ireland',
      };
    case 'local':
      if (nation === 'scotland') {
        // The Scottish Local Government Elections Order 2011 (SSI 2011/399): notice 28, nominations 23.
        return {
          ...base,
          noticeDays: 28,
          nominationDays: 23,
          timetable: SCOTLAND_WITH_EASTER_MONDAY,
          photoId: false,
        };
      }
      if (nation === 'northern-ireland') {
        // The Local Elections (Northern Ireland) Order 2010 (SI 2010/2977) Sch 1: notice 25, nominations 16.
        return { ...base, noticeDays: 25, nominationDays: 16, photoId: false };
      }
      // The Local Elections (Principal Areas) (England and Wales) Rules 2006 (SI 2006/3304) Sch 3 r1-r2,
      // as amended by SI 2014/494 (nominations close at 4pm on the 19th day); Welsh councils have no
      // photo ID requirement.
      return { ...base, noticeDays: 25, nominationDays: 19, photoId: nation === 'england' };
    case 'senedd':
      // The National Assembly for Wales (Representation of the People) Order 2007, as amended by
      // SI 2016/272, and the Senedd and Elections (Wales) Act 2020: nominations 19. No photo ID.
      return { ...base, noticeDays: 25, nominationDays: 19, photoId: false };
    case 'scottish-parliament':
      // The Scottish Parliament (Elections etc.) Order 2015 (SSI 2015/425) Sch 2 r1: notice between the
      // 35th and the 28th day, nominations 4pm on the 23rd day, SOPN the 22nd. No photo ID.
      return {
        ...base,
        noticeDays: 28,
        nominationDays: 23,
        timetable: SCOTLAND_WITH_EASTER_MONDAY,
        photoId: false,
      };
    case 'ni-assembly':
      // The Northern Ireland Assembly (Elections) (Amendment) Order 2009 (SI 2009/256) Sch 5 r1-r2.
      return { ...base, noticeDays: 25, nominationDays: 16, photoId: false };
    case 'mayor':
      // The Local Authorities (Mayoral Elections) (England and Wales) (Amendment) Regulations 2014
      // (SI 2014/370) and The Combined Authorities (Mayoral Elections) Order 2017 (SI 2017/67).
      return { ...base, noticeDays: 25, nominationDays: 19 };
    case 'pcc':
      // The Police and Crime Commissioner Elections (Amendment) Order 2014 (SI 2014/921): nominations 18.
      return { ...base, noticeDays: 25, nominationDays: 18 };
    case 'gla':
      // The Greater London Authority Elections (Amendment) Rules 2016 (SI 2016/24): notice 30,
      // nominations 22.
      return { ...base, noticeDays: 30, nominationDays: 22 };
  }
};
