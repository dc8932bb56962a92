import type { Playbook } from './schema';

const calendar = (days: number) => ({ days, unit: 'calendar' as const });
const working = (days: number) => ({ days, unit: 'working' as const });

/**
 * The default reminder timeline, from content-brief.md section D, anchored to the statutory milestones
 * of each election's timetable so every message is true when it lands:
 *  - what says "nominations have closed" goes at 16:30 on the day they close (they close at 4pm);
 *  - what is for polling day goes at 06:00, before polls open at 7am;
 *  - what follows the count goes two working days after the poll, when every count is over.
 * A UK general election is called about 25 working days out, so it has no six-week step: its first
 * reminders go at dissolution (3 working days before the latest day for the notice of election).
 * `until` is how late a step is still worth sending to someone who joins, or a campaign created, late.
 * Template names are `<key>-<audience>`.
 */
export const ukElectionSecurity: Playbook = {
  id: 'uk-election-security',
  name: 'UK election security',
  description:
    'Security reminders for candidates, agents, returning officers, electoral services teams and polling staff, from six weeks before polling day until after the count.',
  steps: [
    // Candidates and agents
    {
      key: 'secure-accounts',
      title: 'Secure your accounts',
      at: { milestone: 'polling-day', offset: calendar(-42), time: '09:00' },
      atFor: { 'uk-parliament': { milestone: 'notice-of-election', offset: working(-3), time: '10:00' } },
      until: { milestone: 'close-of-nominations', days: 0, time: '16:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'secure-accounts-candidates' },
    },
    {
      key: 'lock-down-profiles',
      title: 'Lock down your social media and home address',
      // A week before nominations close, whatever the type's timetable: it must land before then.
      at: { milestone: 'close-of-nominations', offset: working(-5), time: '09:00' },
      atFor: { 'uk-parliament': { milestone: 'notice-of-election', offset: working(0), time: '10:00' } },
      // It reminds candidates of the home address form, which goes in with the nomination papers.
      until: { milestone: 'close-of-nominations', days: 0, time: '12:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'lock-down-profiles-candidates' },
    },
    {
      key: 'know-your-police-contact',
      title: 'Nominations have closed: know your police contact',
      at: { milestone: 'close-of-nominations', offset: working(0), time: '16:30' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'know-your-police-contact-candidates' },
    },
    {
      key: 'safer-canvassing',
      title: 'Canvass safely',
      at: { milestone: 'polling-day', offset: calendar(-21), time: '09:00' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'safer-canvassing-candidates' },
    },
    {
      key: 'spot-phishing-and-fakes',
      title: 'Spot phishing, fake accounts and deepfakes',
      at: { milestone: 'polling-day', offset: calendar(-14), time: '09:00' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'spot-phishing-and-fakes-candidates' },
    },
    {
      key: 'keep-records',
      title: 'Keep records and report incidents',
      at: { milestone: 'polling-day', offset: calendar(-7), time: '09:00' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'keep-records-candidates' },
    },
    {
      key: 'final-checklist',
      title: 'Your final checklist',
      at: { milestone: 'polling-day', offset: calendar(-1), time: '18:00' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'final-checklist-candidates' },
    },
    {
      key: 'polling-day',
      title: 'Polling day: know what to do',
      at: { milestone: 'polling-day', offset: calendar(0), time: '06:00' },
      until: { milestone: 'polling-day', days: 0, time: '12:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'polling-day-candidates' },
    },
    {
      key: 'after-the-declaration',
      title: 'After the declaration',
      at: { milestone: 'polling-day', offset: working(2), time: '10:00' },
      until: { milestone: 'polling-day', days: 21, time: '10:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'after-the-declaration-candidates' },
    },
    // The returning officer and their electoral services team
    {
      key: 'police-contacts-and-risks',
      title: 'Agree police contacts and a risk register',
      at: { milestone: 'polling-day', offset: calendar(-42), time: '09:00' },
      atFor: { 'uk-parliament': { milestone: 'notice-of-election', offset: working(-3), time: '09:00' } },
      until: { milestone: 'close-of-nominations', days: 0, time: '16:00' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'police-contacts-and-risks-officials' },
    },
    {
      key: 'candidate-safety-briefing',
      title: 'Nominations have closed: candidate safety and police briefings',
      at: { milestone: 'close-of-nominations', offset: working(0), time: '16:30' },
      until: { milestone: 'polling-day', days: -7, time: '17:00' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'candidate-safety-briefing-officials' },
    },
    {
      key: 'polling-staff-guide',
      title: 'Give polling staff the security guide',
      at: { milestone: 'polling-day', offset: calendar(-17), time: '09:00' },
      until: { milestone: 'polling-day', days: -1, time: '17:00' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'polling-staff-guide-officials' },
    },
    {
      key: 'venues-and-count-plan',
      title: 'Fix venue, count and evacuation plans',
      at: { milestone: 'polling-day', offset: calendar(-7), time: '09:00' },
      until: { milestone: 'polling-day', days: -1, time: '17:00' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'venues-and-count-plan-officials' },
    },
    // Polling station and count staff
    {
      key: 'polling-station-briefing',
      title: 'Before polling day: your security briefing',
      at: { milestone: 'polling-day', offset: calendar(-7), time: '09:00' },
      until: { milestone: 'polling-day', days: -1, time: '22:00' },
      roles: ['polling-staff'],
      templates: { 'polling-staff': 'polling-station-briefing-polling-staff' },
    },
    // Both: the returning officer's team prints it, presiding officers keep it
    {
      key: 'presiding-officer-card',
      title: 'The presiding officer card is ready to print',
      at: { milestone: 'polling-day', offset: working(-3), time: '09:00' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['returning-officer', 'election-staff', 'polling-staff'],
      templates: {
        officials: 'presiding-officer-card-officials',
        'polling-staff': 'presiding-officer-card-polling-staff',
      },
    },
    {
      key: 'polling-day-searches',
      title: 'Polling day: search, repeat, know who is present',
      // Before polling station staff arrive to set up, well before polls open at 7am.
      at: { milestone: 'polling-day', offset: calendar(0), time: '05:30' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['returning-officer', 'election-staff', 'polling-staff'],
      templates: {
        officials: 'polling-day-searches-officials',
        'polling-staff': 'polling-day-searches-polling-staff',
      },
    },
    {
      key: 'count-security',
      title: 'The count: search first, control access',
      at: { milestone: 'polling-day', offset: calendar(0), time: '18:00' },
      until: { milestone: 'polling-day', days: 1, time: '12:00' },
      roles: ['returning-officer', 'election-staff', 'polling-staff'],
      templates: { officials: 'count-security-officials', 'polling-staff': 'count-security-polling-staff' },
    },
    {
      key: 'after-the-count',
      title: 'Close the issues log and remove candidate data',
      at: { milestone: 'polling-day', offset: calendar(7), time: '10:00' },
      until: { milestone: 'polling-day', days: 21, time: '10:00' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'after-the-count-officials' },
    },
  ],
};
