import { describe, expect, it } from 'vitest';
import {
  AUDIENCES,
  type Audience,
  audienceOf,
  type Role,
  rolesOf,
} from '../../../functions/lib/domain/roles.js';
import { DEFAULT_PLAYBOOK_ID, getPlaybook, PLAYBOOKS } from '../../../functions/lib/playbooks/index.js';
import { playbookSchema } from '../../../functions/lib/playbooks/schema.js';

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
  it('has exactly the agreed steps, offsets, roles and titles, in file order', () => {
    const steps = defaultPlaybook().steps.map((step) => [
      step.key,
      step.offset.days,
      step.offset.unit,
      audiencesOf(step.roles).join(),
      step.title,
    ]);

    expect(steps).toEqual([
      ['secure-accounts', -42, 'calendar', 'candidates', 'Secure your accounts'],
      ['lock-down-profiles', -35, 'calendar', 'candidates', 'Lock down your social media'],
      [
        'know-your-police-contact',
        -19,
        'working',
        'candidates',
        'Nominations close: know your police contact',
      ],
      ['safer-canvassing', -21, 'calendar', 'candidates', 'Canvass safely'],
      [
        'spot-phishing-and-fakes',
        -14,
        'calendar',
        'candidates',
        'Spot phishing, fake accounts and deepfakes',
      ],
      ['keep-records', -7, 'calendar', 'candidates', 'Keep records and report incidents'],
      ['final-checklist', -1, 'calendar', 'candidates', 'Your final checklist'],
      ['polling-day', 0, 'calendar', 'candidates', 'Polling day: know what to do'],
      ['after-the-declaration', 3, 'calendar', 'candidates', 'After the declaration'],
      [
        'police-contacts-and-risks',
        -42,
        'calendar',
        'officials',
        'Agree police contacts and a risk register',
      ],
      [
        'candidate-safety-briefing',
        -19,
        'working',
        'officials',
        'Nominations: candidate safety and police briefings',
      ],
      ['polling-staff-guide', -17, 'calendar', 'officials', 'Give polling staff the security guide'],
      ['venues-and-count-plan', -7, 'calendar', 'officials', 'Fix venue, count and evacuation plans'],
      ['presiding-officer-card', -1, 'calendar', 'officials', 'Presiding officer card'],
      [
        'polling-day-searches',
        0,
        'calendar',
        'officials',
        'Polling day: search, repeat, know who is present',
      ],
      ['after-the-count', 7, 'calendar', 'officials', 'Close the issues log and remove candidate data'],
    ]);
  });

  it('sends each step to every role of one audience', () => {
    for (const step of defaultPlaybook().steps) {
      const [audience, ...others] = audiencesOf(step.roles);
      expect(others).toEqual([]);
      expect(step.roles).toEqual(audience && rolesOf(audience));
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

    expect(names).toHaveLength(16);
    expect(names).toContain('secure-accounts-candidates');
    expect(names).toContain('after-the-count-officials');
  });
});
