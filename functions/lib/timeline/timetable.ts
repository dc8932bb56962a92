/**
 * TEMPORARY bridge to the statutory timetable engine (being built in parallel): the names the campaign
 * timeline needs. Replaced by re-exports of the real engine when it lands.
 */
import { addWorkingDays } from './working-days';

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
export const TIMETABLE_NATIONS = ['england', 'wales', 'scotland', 'northern-ireland', 'uk'] as const;
export type TimetableNation = (typeof TIMETABLE_NATIONS)[number];
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
  date: string;
  time: string | null;
  endTime?: string;
  label: string;
}
export interface TimetableInput {
  election: ElectionType;
  nation: TimetableNation;
  pollDate: string;
  nonWorkingDays?: readonly string[];
}

const nationOf = (nation: TimetableNation) => (nation === 'uk' ? 'england' : nation);

export const timetableCalendar = (input: TimetableInput) => ({
  addWorkingDays: (date: string, n: number) => addWorkingDays(date, n, nationOf(input.nation)),
});

export const computeTimetable = (input: TimetableInput): Milestone[] => {
  const back = (n: number) => addWorkingDays(input.pollDate, -n, nationOf(input.nation));
  return [
    { key: 'notice-of-election', date: back(25), time: null, label: 'Notice of election' },
    { key: 'close-of-nominations', date: back(19), time: '16:00', label: 'Close of nominations' },
    { key: 'sopn-published', date: back(18), time: '16:00', label: 'Statement of persons nominated' },
    { key: 'registration-deadline', date: back(12), time: '23:59', label: 'Registration deadline' },
    { key: 'postal-vote-deadline', date: back(11), time: '17:00', label: 'Postal vote deadline' },
    { key: 'vac-deadline', date: back(6), time: '17:00', label: 'Voter authority certificate deadline' },
    { key: 'polling-day', date: input.pollDate, time: '07:00', endTime: '22:00', label: 'Polling day' },
  ];
};

export const ELECTION_NATIONS: Record<ElectionType, readonly TimetableNation[]> = {
  'uk-parliament': ['uk', 'england', 'wales', 'scotland', 'northern-ireland'],
  local: ['england', 'wales', 'scotland', 'northern-ireland'],
  senedd: ['wales'],
  'scottish-parliament': ['scotland'],
  'ni-assembly': ['northern-ireland'],
  mayor: ['england'],
  pcc: ['england', 'wales'],
  gla: ['england'],
};
