import type { Audience } from '../../../functions/lib/domain/roles';

/**
 * The reminder plan (issue #10), by audience, in sending order; each step needs a
 * `<stepKey>-<audience>` template.
 */
export const EXPECTED_STEPS: Record<Audience, string[]> = {
  candidates: [
    'secure-accounts',
    'lock-down-profiles',
    'know-your-police-contact',
    'safer-canvassing',
    'spot-phishing-and-fakes',
    'keep-records',
    'final-checklist',
    'polling-day',
    'after-the-declaration',
  ],
  officials: [
    'police-contacts-and-risks',
    'candidate-safety-briefing',
    'polling-staff-guide',
    'venues-and-count-plan',
    'presiding-officer-card',
    'polling-day-searches',
    'count-security',
    'after-the-count',
  ],
  'polling-staff': [
    'polling-station-briefing',
    'presiding-officer-card',
    'polling-day-searches',
    'count-security',
  ],
};
