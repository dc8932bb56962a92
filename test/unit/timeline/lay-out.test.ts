import { describe, expect, it } from 'vitest';
import { getPlaybook, PLAYBOOKS } from '../../../functions/lib/playbooks/index';
import type { Playbook } from '../../../functions/lib/playbooks/schema';
import {
  InvalidPollDateError,
  isValidPollDate,
  type LayOutOptions,
  layOutTimeline,
} from '../../../functions/lib/timeline/lay-out';
import { UnknownTimeZoneError } from '../../../functions/lib/timeline/send-time';
import { NATIONS_BY_ELECTION } from '../../../functions/lib/timetable/elections';

const defaultPlaybook = (): Playbook => {
  const playbook = getPlaybook('uk-election-security');
  if (!playbook) throw new Error('default playbook missing');
  return playbook;
};

const localEngland: LayOutOptions = { election: 'local', nation: 'england', pollDate: '2027-05-06' };

const byKey = (options: LayOutOptions) =>
  new Map(layOutTimeline(defaultPlaybook(), options).steps.map((step) => [step.key, step]));

const onePlaybookStep = (step: Partial<Playbook['steps'][number]>): Playbook => ({
  id: 'test',
  name: 'Test',
  description: 'Test',
  steps: [
    {
      key: 'one',
      title: 'One',
      at: { milestone: 'polling-day', offset: { days: 0, unit: 'calendar' }, time: '09:00' },
      until: { milestone: 'polling-day', days: 0, time: '22:00' },
      roles: ['candidate'],
      templates: { candidates: 'one-candidates' },
      ...step,
    },
  ],
});

describe('layOutTimeline', () => {
  it('lays out the default playbook for English local elections on Thu 6 May 2027 from their milestones', () => {
    const { steps, milestones } = layOutTimeline(defaultPlaybook(), localEngland);

    // Milestones (timetable-facts.md worked example): nominations close 8 Apr, SOPN 9 Apr.
    expect(milestones.find((m) => m.key === 'close-of-nominations')).toMatchObject({
      date: '2027-04-08',
      time: '16:00',
    });
    expect(steps.map((step) => [step.key, step.sendAt])).toEqual([
      ['secure-accounts', '2027-03-25T09:00:00+00:00'],
      ['police-contacts-and-risks', '2027-03-25T09:00:00+00:00'],
      ['lock-down-profiles', '2027-04-01T09:00:00+01:00'],
      ['know-your-police-contact', '2027-04-08T16:30:00+01:00'],
      ['candidate-safety-briefing', '2027-04-08T16:30:00+01:00'],
      ['safer-canvassing', '2027-04-15T09:00:00+01:00'],
      ['polling-staff-guide', '2027-04-19T09:00:00+01:00'],
      ['spot-phishing-and-fakes', '2027-04-22T09:00:00+01:00'],
      ['keep-records', '2027-04-29T09:00:00+01:00'],
      ['venues-and-count-plan', '2027-04-29T09:00:00+01:00'],
      ['polling-station-briefing', '2027-04-29T09:00:00+01:00'],
      // Three working days before Thursday 6 May: Mon 3 May is a bank holiday, so Fri 30 Apr.
      ['presiding-officer-card', '2027-04-30T09:00:00+01:00'],
      ['final-checklist', '2027-05-05T18:00:00+01:00'],
      ['polling-day-searches', '2027-05-06T05:30:00+01:00'],
      ['polling-day', '2027-05-06T06:00:00+01:00'],
      ['count-security', '2027-05-06T18:00:00+01:00'],
      ['after-the-declaration', '2027-05-10T10:00:00+01:00'],
      ['after-the-count', '2027-05-13T10:00:00+01:00'],
    ]);
  });

  it('names each step’s milestone, offset and the moment it stops being worth sending', () => {
    const steps = byKey(localEngland);

    expect(steps.get('know-your-police-contact')).toMatchObject({
      milestone: 'close-of-nominations',
      offset: { days: 0, unit: 'working' },
      until: '2027-05-06T07:00:00+01:00',
      untilMs: Date.UTC(2027, 4, 6, 6),
    });
    expect(steps.get('presiding-officer-card')).toMatchObject({
      milestone: 'polling-day',
      offset: { days: -3, unit: 'working' },
      roles: ['returning-officer', 'election-staff', 'polling-staff'],
      templates: {
        officials: 'presiding-officer-card-officials',
        'polling-staff': 'presiding-officer-card-polling-staff',
      },
    });
  });

  it('keeps local wall-clock times on both sides of the March clock change', () => {
    const steps = byKey(localEngland);

    expect(steps.get('secure-accounts')).toMatchObject({
      sendAtUtc: '2027-03-25T09:00:00Z',
      epochMs: Date.UTC(2027, 2, 25, 9),
    });
    expect(steps.get('lock-down-profiles')).toMatchObject({ sendAtUtc: '2027-04-01T08:00:00Z' });
  });

  it('gives a UK general election no six-week step: its first reminders go at dissolution', () => {
    const steps = byKey({ election: 'uk-parliament', nation: 'uk', pollDate: '2027-05-06' });
    const noticeOfElection = layOutTimeline(defaultPlaybook(), {
      election: 'uk-parliament',
      nation: 'uk',
      pollDate: '2027-05-06',
    }).milestones.find((m) => m.key === 'notice-of-election');

    expect(steps.get('secure-accounts')?.milestone).toBe('notice-of-election');
    expect(steps.get('secure-accounts')?.offset).toEqual({ days: -3, unit: 'working' });
    expect(steps.get('lock-down-profiles')?.date).toBe(noticeOfElection?.date);
    expect(steps.get('police-contacts-and-risks')?.sendAt.slice(11, 16)).toBe('09:00');
  });

  it('leaves out steps that do not apply to the election type, and uses a per-type anchor', () => {
    const playbook = onePlaybookStep({
      elections: ['scottish-parliament'],
    });
    const other = onePlaybookStep({
      atFor: {
        senedd: { milestone: 'close-of-nominations', offset: { days: 1, unit: 'working' }, time: '08:00' },
      },
    });

    expect(layOutTimeline(playbook, localEngland).steps).toEqual([]);
    expect(
      layOutTimeline(other, { election: 'senedd', nation: 'wales', pollDate: '2027-05-06' }).steps[0],
    ).toMatchObject({ milestone: 'close-of-nominations', offset: { days: 1, unit: 'working' } });
  });

  it('uses the campaign time zone', () => {
    const { steps } = layOutTimeline(onePlaybookStep({}), { ...localEngland, timezone: 'UTC' });

    expect(steps[0]?.sendAtUtc).toBe('2027-05-06T09:00:00Z');
  });

  it('throws InvalidPollDateError for an impossible poll date', () => {
    expect(() => layOutTimeline(defaultPlaybook(), { ...localEngland, pollDate: '2027-02-30' })).toThrow(
      InvalidPollDateError,
    );
  });

  it('throws for a poll outside the bank-holiday data', () => {
    expect(() => layOutTimeline(defaultPlaybook(), { ...localEngland, pollDate: '2029-05-03' })).toThrow(
      /2029/,
    );
  });

  it('rejects an unknown time zone', () => {
    expect(() => layOutTimeline(defaultPlaybook(), { ...localEngland, timezone: 'Mars/Olympus' })).toThrow(
      UnknownTimeZoneError,
    );
  });

  it('lays out every shipped playbook for each nation in 2027 and 2028', () => {
    for (const playbook of Object.values(PLAYBOOKS)) {
      for (const nation of ['england', 'wales', 'scotland', 'northern-ireland'] as const) {
        for (const pollDate of ['2027-05-06', '2028-05-04']) {
          expect(layOutTimeline(playbook, { election: 'local', nation, pollDate }).steps).toHaveLength(
            playbook.steps.length,
          );
        }
      }
    }
  });
});

describe('layOutTimeline across election types and nations', () => {
  const pairs = Object.entries(NATIONS_BY_ELECTION).flatMap(([election, nations]) =>
    nations.map((nation) => ({ election, nation }) as Pick<LayOutOptions, 'election' | 'nation'>),
  );
  // First Thursdays of May, a summer by-election, an autumn and a December poll, 2019–2028.
  const pollDates = ['2019-05-02', '2019-12-12', '2021-05-06', '2022-05-05', '2024-07-04', '2025-10-16'];
  pollDates.push('2026-05-07', '2026-08-20', '2027-05-06', '2027-07-22', '2028-01-13', '2028-05-04');

  it('sends what says nominations have closed after 4pm on their day, in every type and nation', () => {
    for (const pair of pairs) {
      for (const pollDate of pollDates) {
        const { steps, milestones } = layOutTimeline(defaultPlaybook(), { ...pair, pollDate });
        const close = milestones.find((m) => m.key === 'close-of-nominations');
        for (const key of ['know-your-police-contact', 'candidate-safety-briefing']) {
          const step = steps.find((candidate) => candidate.key === key);
          expect(step?.date, `${key} ${pair.election} ${pair.nation} ${pollDate}`).toBe(close?.date);
          expect(step?.sendAt.slice(11, 16) ?? '').toBe('16:30');
        }
      }
    }
  });

  it('reaches people before polls open on polling day, and follows the count after it', () => {
    for (const pair of pairs) {
      for (const pollDate of pollDates) {
        const { steps } = layOutTimeline(defaultPlaybook(), { ...pair, pollDate });
        for (const step of steps.filter((candidate) => candidate.date === pollDate)) {
          if (step.key === 'count-security') continue;
          expect(step.sendAt.slice(11, 16) < '07:00', `${step.key} ${pollDate}`).toBe(true);
        }
        for (const key of ['after-the-declaration', 'after-the-count']) {
          expect(steps.find((step) => step.key === key)?.date.localeCompare(pollDate)).toBe(1);
        }
        // Every step is worth sending at least until its own time.
        for (const step of steps) expect(step.untilMs > step.epochMs, step.key).toBe(true);
      }
    }
  });

  it('times nominations steps from each nation’s own close of nominations for 6 May 2027', () => {
    const closeOf = (nation: LayOutOptions['nation']) =>
      byKey({ election: 'local', nation, pollDate: '2027-05-06' }).get('know-your-police-contact')?.sendAt;

    // timetable-facts.md worked examples: Scotland 2 Apr (Easter Monday disregarded), NI 13 Apr.
    expect(closeOf('england')).toBe('2027-04-08T16:30:00+01:00');
    expect(closeOf('scotland')).toBe('2027-04-02T16:30:00+01:00');
    expect(closeOf('northern-ireland')).toBe('2027-04-13T16:30:00+01:00');
  });

  it('starts the 4 July 2024 general election’s reminders on dissolution day, Thu 30 May', () => {
    const steps = byKey({ election: 'uk-parliament', nation: 'uk', pollDate: '2024-07-04' });

    expect(steps.get('secure-accounts')?.sendAt).toBe('2024-05-30T10:00:00+01:00');
    expect(steps.get('police-contacts-and-risks')?.sendAt).toBe('2024-05-30T09:00:00+01:00');
    expect(steps.get('know-your-police-contact')?.sendAt).toBe('2024-06-07T16:30:00+01:00');
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
