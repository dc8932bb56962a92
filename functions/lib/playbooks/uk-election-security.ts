import type { Playbook } from './schema.js';

/**
 * The default reminder timeline, from content-brief.md section D. Offsets count from polling day
 * (negative = before). "Nominations" steps use 19 working days, when nominations close for UK
 * Parliamentary, English local and Senedd polls. Template names are `<key>-<audience>`.
 * Steps are grouped by audience and ordered by when they fall.
 */
export const ukElectionSecurity: Playbook = {
  id: 'uk-election-security',
  name: 'UK election security',
  description:
    'Security reminders for candidates, agents, returning officers and election staff, from six weeks before polling day until after the count.',
  steps: [
    // Candidates and agents
    {
      key: 'secure-accounts',
      title: 'Secure your accounts',
      offset: { days: -42, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'secure-accounts-candidates' },
    },
    {
      key: 'lock-down-profiles',
      title: 'Lock down your social media',
      offset: { days: -35, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'lock-down-profiles-candidates' },
    },
    {
      key: 'know-your-police-contact',
      title: 'Nominations close: know your police contact',
      offset: { days: -19, unit: 'working' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'know-your-police-contact-candidates' },
    },
    {
      key: 'safer-canvassing',
      title: 'Canvass safely',
      offset: { days: -21, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'safer-canvassing-candidates' },
    },
    {
      key: 'spot-phishing-and-fakes',
      title: 'Spot phishing, fake accounts and deepfakes',
      offset: { days: -14, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'spot-phishing-and-fakes-candidates' },
    },
    {
      key: 'keep-records',
      title: 'Keep records and report incidents',
      offset: { days: -7, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'keep-records-candidates' },
    },
    {
      key: 'final-checklist',
      title: 'Your final checklist',
      offset: { days: -1, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'final-checklist-candidates' },
    },
    {
      key: 'polling-day',
      title: 'Polling day: know what to do',
      offset: { days: 0, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'polling-day-candidates' },
    },
    {
      key: 'after-the-declaration',
      title: 'After the declaration',
      offset: { days: 3, unit: 'calendar' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'after-the-declaration-candidates' },
    },
    // Returning officers and election staff
    {
      key: 'police-contacts-and-risks',
      title: 'Agree police contacts and a risk register',
      offset: { days: -42, unit: 'calendar' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'police-contacts-and-risks-officials' },
    },
    {
      key: 'candidate-safety-briefing',
      title: 'Nominations: candidate safety and police briefings',
      offset: { days: -19, unit: 'working' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'candidate-safety-briefing-officials' },
    },
    {
      key: 'polling-staff-guide',
      title: 'Give polling staff the security guide',
      offset: { days: -17, unit: 'calendar' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'polling-staff-guide-officials' },
    },
    {
      key: 'venues-and-count-plan',
      title: 'Fix venue, count and evacuation plans',
      offset: { days: -7, unit: 'calendar' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'venues-and-count-plan-officials' },
    },
    {
      key: 'presiding-officer-card',
      title: 'Presiding officer card',
      offset: { days: -1, unit: 'calendar' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'presiding-officer-card-officials' },
    },
    {
      key: 'polling-day-searches',
      title: 'Polling day: search, repeat, know who is present',
      offset: { days: 0, unit: 'calendar' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'polling-day-searches-officials' },
    },
    {
      key: 'after-the-count',
      title: 'Close the issues log and remove candidate data',
      offset: { days: 7, unit: 'calendar' },
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'after-the-count-officials' },
    },
  ],
};
