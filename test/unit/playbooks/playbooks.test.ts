import { describe, expect, it } from 'vitest';
import {
  AUDIENCES,
  type Audience,
  audienceOf,
  type Role,
  rolesOf,
} from '../../../functions/lib/domain/roles';
import { DEFAULT_PLAYBOOK_ID, getPlaybook, PLAYBOOKS } from '../../../functions/lib/playbooks/index';
import { playbookSchema } from '../../../functions/lib/playbooks/schema';

/** The audiences a step's roles fall into, in AUDIENCES order. */
const audiencesOf = (roles: readonly Role[]): Audience[] =>
  AUDIENCES.filter((audience) => roles.some((role) => audienceOf(role) === audience));

const defaultPlaybook = () => {
  const playbook = getPlaybook(DEFAULT_PLAYBOOK_ID);
  if (!playbook) throw new Error('default playbook missing');
  return playbook;
};

describe('PLAYBOOKS', () => {
  it('ships the default playbook under its own id, valid against the schema', () => {
    expect(DEFAULT_PLAYBOOK_ID).toBe('uk-election-security');
    expect(Object.keys(PLAYBOOKS)).toEqual(['uk-election-security']);
    for (const [id, playbook] of Object.entries(PLAYBOOKS)) {
      expect(playbook.id).toBe(id);
      expect(playbookSchema.safeParse(playbook).success).toBe(true);
    }
  });
});

describe('getPlaybook', () => {
  it('returns undefined for an unknown id, including inherited object keys', () => {
    expect(getPlaybook('nope')).toBeUndefined();
    expect(getPlaybook('toString')).toBeUndefined();
  });
});

describe('uk-election-security playbook', () => {
  it('has exactly the agreed steps, anchors, times, audiences and titles, in file order', () => {
    const steps = defaultPlaybook().steps.map((step) => [
      step.key,
      `${step.at.milestone} ${step.at.offset.days} ${step.at.offset.unit} ${step.at.time}`,
      audiencesOf(step.roles).join(),
    ]);

    expect(steps).toEqual([
      ['secure-accounts', 'polling-day -42 calendar 09:00', 'candidates'],
      ['lock-down-profiles', 'close-of-nominations -5 working 09:00', 'candidates'],
      ['know-your-police-contact', 'close-of-nominations 0 working 16:30', 'candidates'],
      ['safer-canvassing', 'polling-day -21 calendar 09:00', 'candidates'],
      ['spot-phishing-and-fakes', 'polling-day -14 calendar 09:00', 'candidates'],
      ['keep-records', 'polling-day -7 calendar 09:00', 'candidates'],
      ['final-checklist', 'polling-day -1 calendar 18:00', 'candidates'],
      ['polling-day', 'polling-day 0 calendar 06:00', 'candidates'],
      ['after-the-declaration', 'polling-day 2 working 10:00', 'candidates'],
      ['police-contacts-and-risks', 'polling-day -42 calendar 09:00', 'officials'],
      ['candidate-safety-briefing', 'close-of-nominations 0 working 16:30', 'officials'],
      ['polling-staff-guide', 'polling-day -17 calendar 09:00', 'officials'],
      ['venues-and-count-plan', 'polling-day -7 calendar 09:00', 'officials'],
      ['polling-station-briefing', 'polling-day -7 calendar 09:00', 'polling-staff'],
      ['presiding-officer-card', 'polling-day -3 working 09:00', 'officials,polling-staff'],
      ['polling-day-searches', 'polling-day 0 calendar 05:30', 'officials,polling-staff'],
      ['count-security', 'polling-day 0 calendar 18:00', 'officials,polling-staff'],
      ['after-the-count', 'polling-day 7 calendar 10:00', 'officials'],
    ]);
  });

  it('keeps every message true at its moment, by its anchor', () => {
    for (const step of defaultPlaybook().steps) {
      const anchors = [step.at, ...Object.values(step.atFor ?? {})];
      for (const at of anchors) {
        // What says nominations have closed goes after they close at 4pm on the day.
        if (at.milestone === 'close-of-nominations' && at.offset.days === 0)
          expect(at.time > '16:00').toBe(true);
        // What is for polling day arrives before polls open at 7am.
        if (at.milestone === 'polling-day' && at.offset.days === 0 && step.key !== 'count-security') {
          expect(at.time < '07:00').toBe(true);
        }
      }
    }
  });

  it('starts a UK general election at dissolution: 3 working days before the notice of election', () => {
    const general = defaultPlaybook().steps.filter((step) => step.atFor?.['uk-parliament']);

    expect(general.map((step) => [step.key, step.atFor?.['uk-parliament']?.milestone])).toEqual([
      ['secure-accounts', 'notice-of-election'],
      ['lock-down-profiles', 'notice-of-election'],
      ['police-contacts-and-risks', 'notice-of-election'],
    ]);
  });

  it('sends each step to every role of each of its audiences', () => {
    for (const step of defaultPlaybook().steps) {
      expect(step.roles).toEqual(audiencesOf(step.roles).flatMap(rolesOf));
    }
  });

  it('names every template <key>-<audience>, as the email templates expect', () => {
    for (const step of defaultPlaybook().steps) {
      const audiences = AUDIENCES.filter((audience) =>
        step.roles.some((role) => audienceOf(role) === audience),
      );
      expect(step.templates).toEqual(
        Object.fromEntries(audiences.map((audience) => [audience, `${step.key}-${audience}`])),
      );
    }
  });

  it('lists the full set of template names the email templates must provide', () => {
    const names = defaultPlaybook().steps.flatMap((step) => Object.values(step.templates));

    expect(names).toHaveLength(21);
    expect(names).toContain('secure-accounts-candidates');
    expect(names).toContain('after-the-count-officials');
  });
});
