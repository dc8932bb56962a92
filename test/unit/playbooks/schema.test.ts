import { describe, expect, it } from 'vitest';
import { type Playbook, type PlaybookStep, playbookSchema } from '../../../functions/lib/playbooks/schema';

const candidatesStep = (): PlaybookStep => ({
  key: 'first-step',
  title: 'First step',
  at: { milestone: 'polling-day', offset: { days: -7, unit: 'calendar' }, time: '09:00' },
  until: { milestone: 'polling-day', days: 0, time: '07:00' },
  roles: ['candidate', 'agent'],
  templates: { candidates: 'first-step-candidates' },
});

const everyoneStep = (): PlaybookStep => ({
  key: 'everyone',
  title: 'Everyone',
  at: { milestone: 'close-of-nominations', offset: { days: 1, unit: 'working' }, time: '07:15' },
  atFor: {
    'uk-parliament': {
      milestone: 'notice-of-election',
      offset: { days: -3, unit: 'working' },
      time: '10:00',
    },
  },
  until: { milestone: 'polling-day', days: -1, time: '22:00' },
  elections: ['local', 'uk-parliament'],
  roles: ['candidate', 'returning-officer'],
  templates: { candidates: 'everyone-candidates', officials: 'everyone-officials' },
});

const validPlaybook = (): Playbook => ({
  id: 'test-playbook',
  name: 'Test playbook',
  description: 'For tests',
  steps: [candidatesStep(), everyoneStep()],
});

const issuesOf = (input: unknown) => {
  const result = playbookSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
};

describe('playbookSchema', () => {
  it('accepts a valid playbook, including a step for both audiences', () => {
    const playbook = validPlaybook();

    expect(playbookSchema.parse(playbook)).toEqual(playbook);
  });

  it('rejects duplicate step keys, pointing at the repeat', () => {
    const playbook = validPlaybook();
    playbook.steps.push({ ...candidatesStep(), title: 'Again' });

    expect(issuesOf(playbook)).toEqual([
      { path: ['steps', 2, 'key'], message: 'Step key "first-step" is used more than once' },
    ]);
  });

  it('rejects a step with no template for one of its audiences', () => {
    const playbook = validPlaybook();
    playbook.steps[1] = { ...everyoneStep(), templates: { candidates: 'everyone-candidates' } };

    expect(issuesOf(playbook)).toEqual([
      {
        path: ['steps', 1, 'templates', 'officials'],
        message: 'Step "everyone" targets officials but has no template for them',
      },
    ]);
  });

  it('rejects a template for an audience none of the roles belong to', () => {
    const playbook = validPlaybook();
    playbook.steps[0] = {
      ...candidatesStep(),
      templates: { candidates: 'first-step-candidates', officials: 'first-step-officials' },
    };

    expect(issuesOf(playbook)).toEqual([
      {
        path: ['steps', 0, 'templates', 'officials'],
        message: 'Step "first-step" has a template for officials but none of its roles are officials',
      },
    ]);
  });

  it('rejects a step with no roles, an unknown role or a repeated role', () => {
    for (const roles of [[], ['voter'], ['agent', 'agent']]) {
      const playbook = validPlaybook();
      const input = { ...playbook, steps: [{ ...playbook.steps[0], roles }] };

      expect(issuesOf(input).length).toBeGreaterThan(0);
    }
  });

  it('rejects keys and template names that are not kebab-case', () => {
    for (const key of ['First-step', 'first_step', 'first--step', '-first', '']) {
      const playbook = validPlaybook();
      playbook.steps[0] = { ...candidatesStep(), key };

      expect(issuesOf(playbook).map((issue) => issue.path)).toContainEqual(['steps', 0, 'key']);
    }
    const playbook = validPlaybook();
    playbook.steps[0] = { ...candidatesStep(), templates: { candidates: 'First Step' } };
    expect(issuesOf(playbook).map((issue) => issue.path)).toContainEqual([
      'steps',
      0,
      'templates',
      'candidates',
    ]);
  });

  it('rejects a fractional offset, an unknown unit or milestone, a bad time and an unknown election type', () => {
    const base = validPlaybook();
    const at = candidatesStep().at;
    const bad = [
      { ...base.steps[0], at: { ...at, offset: { days: -1.5, unit: 'calendar' } } },
      { ...base.steps[0], at: { ...at, offset: { days: -1, unit: 'weeks' } } },
      { ...base.steps[0], at: { ...at, milestone: 'dissolution-of-the-monasteries' } },
      { ...base.steps[0], at: { ...at, time: '9:00' } },
      { ...base.steps[0], at: { ...at, time: '25:00' } },
      { ...base.steps[0], until: { milestone: 'polling-day', days: 0, time: '24:00' } },
      { ...base.steps[0], until: undefined },
      { ...base.steps[0], elections: ['european-parliament'] },
      { ...base.steps[0], atFor: { 'european-parliament': at } },
    ];

    for (const step of bad) expect(issuesOf({ ...base, steps: [step] }).length).toBeGreaterThan(0);
  });

  it('rejects an empty title, unknown fields and a playbook with no steps', () => {
    const base = validPlaybook();

    expect(issuesOf({ ...base, steps: [{ ...base.steps[0], title: '  ' }] }).length).toBeGreaterThan(0);
    expect(issuesOf({ ...base, steps: [{ ...base.steps[0], colour: 'red' }] }).length).toBeGreaterThan(0);
    expect(issuesOf({ ...base, steps: [] }).length).toBeGreaterThan(0);
  });
});
