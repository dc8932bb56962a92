import { describe, expect, it } from 'vitest';
import { getPlaybook, PLAYBOOKS } from '../../../functions/lib/playbooks/index.js';
import type { Playbook } from '../../../functions/lib/playbooks/schema.js';
import { BankHolidayCoverageError } from '../../../functions/lib/timeline/bank-holidays.js';
import {
  InvalidPollDateError,
  isValidPollDate,
  layOutTimeline,
} from '../../../functions/lib/timeline/lay-out.js';
import { InvalidSendTimeError, UnknownTimeZoneError } from '../../../functions/lib/timeline/send-time.js';

const defaultPlaybook = (): Playbook => {
  const playbook = getPlaybook('uk-election-security');
  if (!playbook) throw new Error('default playbook missing');
  return playbook;
};

const byKey = (steps: ReturnType<typeof layOutTimeline>) => new Map(steps.map((step) => [step.key, step]));

describe('layOutTimeline', () => {
  it('lays out the default playbook for Thu 6 May 2027 in England on the dates worked out by hand', () => {
    const steps = layOutTimeline(defaultPlaybook(), { pollDate: '2027-05-06', nation: 'england' });

    // By hand: −42 and −35 calendar days are Thursdays 25 Mar and 1 Apr; −21 is 15 Apr; −17 is Mon 19 Apr;
    // −19 working days: 5, 4 May; Mon 3 May bank holiday skipped; then 30 Apr back to Thu 8 Apr
    // (matches the [D] English nominations deadline in timetable-facts.md).
    expect(steps.map((step) => [step.key, step.date])).toEqual([
      ['secure-accounts', '2027-03-25'],
      ['police-contacts-and-risks', '2027-03-25'],
      ['lock-down-profiles', '2027-04-01'],
      ['know-your-police-contact', '2027-04-08'],
      ['candidate-safety-briefing', '2027-04-08'],
      ['safer-canvassing', '2027-04-15'],
      ['polling-staff-guide', '2027-04-19'],
      ['spot-phishing-and-fakes', '2027-04-22'],
      ['keep-records', '2027-04-29'],
      ['venues-and-count-plan', '2027-04-29'],
      ['final-checklist', '2027-05-05'],
      ['presiding-officer-card', '2027-05-05'],
      ['polling-day', '2027-05-06'],
      ['polling-day-searches', '2027-05-06'],
      ['after-the-declaration', '2027-05-09'],
      ['after-the-count', '2027-05-13'],
    ]);
  });

  it('sends at 09:00 local on both sides of the March clock change', () => {
    const steps = byKey(layOutTimeline(defaultPlaybook(), { pollDate: '2027-05-06', nation: 'england' }));

    expect(steps.get('secure-accounts')).toMatchObject({
      sendAt: '2027-03-25T09:00:00+00:00',
      sendAtUtc: '2027-03-25T09:00:00Z',
      epochMs: Date.UTC(2027, 2, 25, 9),
    });
    expect(steps.get('lock-down-profiles')).toMatchObject({
      sendAt: '2027-04-01T09:00:00+01:00',
      sendAtUtc: '2027-04-01T08:00:00Z',
    });
  });

  it('carries each step’s title, roles and templates through', () => {
    const steps = byKey(layOutTimeline(defaultPlaybook(), { pollDate: '2027-05-06', nation: 'england' }));

    expect(steps.get('after-the-count')).toMatchObject({
      title: 'Close the issues log and remove candidate data',
      roles: ['returning-officer', 'election-staff'],
      templates: { officials: 'after-the-count-officials' },
    });
  });

  it('counts working-day offsets with the nation’s calendar', () => {
    const playbook: Playbook = {
      id: 'test',
      name: 'Test',
      description: 'Test',
      steps: [
        {
          key: 'before',
          title: 'Before',
          offset: { days: -1, unit: 'working' },
          roles: ['candidate'],
          templates: { candidates: 'before-candidates' },
        },
      ],
    };

    // Tue 1 Dec 2026, one working day back: Mon 30 Nov is St Andrew's Day in Scotland only.
    const scotland = layOutTimeline(playbook, { pollDate: '2026-12-01', nation: 'scotland' });
    const england = layOutTimeline(playbook, { pollDate: '2026-12-01', nation: 'england' });

    expect(scotland[0]?.date).toBe('2026-11-27');
    expect(england[0]?.date).toBe('2026-11-30');
  });

  it('uses the campaign send time and time zone, and lets a step override the time', () => {
    const playbook: Playbook = {
      id: 'test',
      name: 'Test',
      description: 'Test',
      steps: [
        {
          key: 'campaign-time',
          title: 'Campaign time',
          offset: { days: 0, unit: 'calendar' },
          roles: ['candidate'],
          templates: { candidates: 'campaign-time-candidates' },
        },
        {
          key: 'own-time',
          title: 'Own time',
          offset: { days: 0, unit: 'calendar' },
          roles: ['candidate'],
          templates: { candidates: 'own-time-candidates' },
          sendTime: '06:45',
        },
      ],
    };

    const steps = layOutTimeline(playbook, {
      pollDate: '2027-05-06',
      nation: 'wales',
      sendTime: '18:30',
      timezone: 'UTC',
    });

    expect(steps.map((step) => [step.key, step.sendAtUtc])).toEqual([
      ['own-time', '2027-05-06T06:45:00Z'],
      ['campaign-time', '2027-05-06T18:30:00Z'],
    ]);
  });

  it('throws InvalidPollDateError for an impossible poll date', () => {
    expect(() => layOutTimeline(defaultPlaybook(), { pollDate: '2027-02-30', nation: 'england' })).toThrow(
      InvalidPollDateError,
    );
  });

  it('throws BankHolidayCoverageError for a poll outside the bank-holiday data', () => {
    expect(() => layOutTimeline(defaultPlaybook(), { pollDate: '2029-05-03', nation: 'england' })).toThrow(
      BankHolidayCoverageError,
    );
  });

  it('rejects a bad campaign send time or time zone', () => {
    const playbook = defaultPlaybook();

    expect(() =>
      layOutTimeline(playbook, { pollDate: '2027-05-06', nation: 'england', sendTime: '9am' }),
    ).toThrow(InvalidSendTimeError);
    expect(() =>
      layOutTimeline(playbook, { pollDate: '2027-05-06', nation: 'england', timezone: 'Mars/Olympus' }),
    ).toThrow(UnknownTimeZoneError);
  });

  it('lays out every shipped playbook for each nation in 2027 and 2028', () => {
    for (const playbook of Object.values(PLAYBOOKS)) {
      for (const nation of ['england', 'wales', 'scotland', 'northern-ireland'] as const) {
        for (const pollDate of ['2027-05-06', '2028-05-04']) {
          expect(layOutTimeline(playbook, { pollDate, nation })).toHaveLength(playbook.steps.length);
        }
      }
    }
  });
});

describe('isValidPollDate', () => {
  it('accepts real YYYY-MM-DD dates, including a leap day', () => {
    expect(isValidPollDate('2027-05-06')).toBe(true);
    expect(isValidPollDate('2028-02-29')).toBe(true);
  });

  it('rejects impossible dates and other formats', () => {
    for (const bad of [
      '2027-02-30',
      '2027-02-29',
      '2027-13-01',
      '2027-5-6',
      '06/05/2027',
      '2027-05-06T00:00',
      '',
    ]) {
      expect(isValidPollDate(bad)).toBe(false);
    }
    expect(isValidPollDate(20270506)).toBe(false);
  });
});
