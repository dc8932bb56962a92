import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../../functions/lib/campaigns/campaigns';
import { deliveryReport } from '../../../functions/lib/console/campaign/delivery';
import {
  CREATE_FIELDS,
  parseCreateForm,
  parseEditForm,
  pickFormValues,
  valuesOf,
} from '../../../functions/lib/console/campaign/form';
import { planCampaignChange, planNewCampaign } from '../../../functions/lib/console/campaign/plan';
import { ValidationError } from '../../../functions/lib/errors';
import { makeDeps, ORGANISER } from '../campaigns/fakes';

const EDITOR = { email: 'editor@anytown.example.org', role: 'editor' } as const;

const filled = {
  name: 'Anytown council 2027',
  election: 'local',
  nation: 'england',
  'pollDate-day': '6',
  'pollDate-month': '5',
  'pollDate-year': '2027',
  'organiser-name': ORGANISER.name,
  'organiser-email': ORGANISER.email,
  'organiser-phone': ORGANISER.phone,
  'organiser-website': ORGANISER.website,
  'contacts-officials-name': 'Election SPOC, Anytown Police',
  'contacts-officials-phone': '01234 000000',
};

describe('parseCreateForm', () => {
  it('turns a filled form into the API input: date from its three boxes, empty contacts left out', () => {
    const result = parseCreateForm(filled);
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'Anytown council 2027',
        election: 'local',
        nation: 'england',
        pollDate: '2027-05-06',
        organiser: ORGANISER,
        contacts: { officials: { name: 'Election SPOC, Anytown Police', phone: '01234 000000' } },
      },
    });
  });

  it('names every missing field once, in form order, linked to the input to fix', () => {
    const result = parseCreateForm({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { field: 'name', message: 'Campaign name is required' },
      { field: 'election', message: 'Select the type of election' },
      { field: 'nation', message: 'Select the nation' },
      { field: 'pollDate-day', message: 'Enter the poll date' },
      { field: 'organiser-name', message: 'Organiser name is required' },
      { field: 'organiser-email', message: 'Organiser email address must be an email address' },
    ]);
  });

  it('uses the schema’s own rules and words: a bad email, phone, website, a contact with no way to reach them', () => {
    const result = parseCreateForm({
      ...filled,
      'organiser-email': 'not-an-address',
      'organiser-phone': '12',
      'organiser-website': 'http://anytown.example.org',
      'contacts-candidates-name': 'Candidate safety',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field)).toEqual([
      'organiser-email',
      'organiser-phone',
      'organiser-website',
      'contacts-candidates-phone',
    ]);
    expect(result.errors[0]?.message).toBe('Organiser email address must be an email address');
    expect(result.errors[2]?.message).toBe('Organiser website must be an https address');
    expect(result.errors[3]?.message).toBe(
      'Candidates and agents: contact needs a phone number, an email address or both',
    );
  });

  it('names the missing part of a date, and refuses a date that does not exist', () => {
    const missing = parseCreateForm({ ...filled, 'pollDate-month': '', 'pollDate-year': '' });
    expect(missing.ok || missing.errors).toEqual([
      { field: 'pollDate-month', message: 'Poll date must include a month and year' },
    ]);
    const unreal = parseCreateForm({ ...filled, 'pollDate-day': '31', 'pollDate-month': '2' });
    expect(unreal.ok || unreal.errors).toEqual([
      { field: 'pollDate-day', message: 'Poll date is not a real calendar date' },
    ]);
    const letters = parseCreateForm({ ...filled, 'pollDate-day': 'six' });
    expect(letters.ok || letters.errors[0]?.field).toBe('pollDate-day');
  });

  it('refuses a nation the election type does not have, as the API does', () => {
    const result = parseCreateForm({ ...filled, election: 'senedd', nation: 'england' });
    expect(result.ok || result.errors).toEqual([
      { field: 'nation', message: 'Nation england has no senedd elections; for senedd use one of: wales' },
    ]);
  });

  it('keeps only the form’s own fields from a post, trimmed', () => {
    const posted = new URLSearchParams({ name: '  Anytown  ', csrfToken: 'x', extra: 'y' });
    const values = pickFormValues(posted, CREATE_FIELDS);
    expect(values.name).toBe('Anytown');
    expect(Object.keys(values)).toEqual([...CREATE_FIELDS]);
  });
});

describe('plans', () => {
  it('shows a new campaign’s timetable and reminders as createCampaign lays them out', async () => {
    const now = new Date('2027-04-08T09:00:00Z');
    const result = parseCreateForm(filled);
    if (!result.ok) throw new Error('form refused');
    const plan = planNewCampaign(result.input, now);
    const deps = makeDeps(now.toISOString());
    const { campaign } = await createCampaign(deps, result.input, EDITOR);

    expect(plan.milestones).toEqual(campaign.milestones);
    expect(plan.steps.map((step) => [step.key, step.sendAt])).toEqual(
      campaign.steps.map((step) => [step.key, step.sendAt]),
    );
    expect(plan.steps.filter((step) => step.outcome === 'late').map((step) => step.key)).toEqual(
      campaign.steps.filter((step) => step.late).map((step) => step.key),
    );
  });

  it('refuses a poll date in the past, naming pollDate', () => {
    const result = parseCreateForm({ ...filled, 'pollDate-year': '2026' });
    if (!result.ok) throw new Error('form refused');
    expect(() => planNewCampaign(result.input, new Date('2027-01-01T00:00:00Z'))).toThrow(ValidationError);
  });

  it('on a change of poll date, moves unsent steps and leaves sent ones where they were', async () => {
    const deps = makeDeps('2027-04-08T09:00:00Z');
    const result = parseCreateForm(filled);
    if (!result.ok) throw new Error('form refused');
    const { campaign } = await createCampaign(deps, result.input, EDITOR);
    const sentKey = campaign.steps[0]?.key;
    const fired = {
      ...campaign,
      steps: campaign.steps.map((step) =>
        step.key === sentKey ? { ...step, status: 'sent' as const } : step,
      ),
    };
    const edit = parseEditForm({ ...valuesOf(fired), 'pollDate-day': '13' }, fired);
    if (!edit.ok) throw new Error('edit refused');
    expect(edit.input.pollDate).toBe('2027-05-13');

    const plan = planCampaignChange(fired, edit.input, new Date('2027-04-08T09:00:00Z'));
    const sent = plan.steps.find((step) => step.key === sentKey);
    expect(sent).toMatchObject({ outcome: 'unchanged', status: 'sent' });
    const pollingDay = plan.steps.find((step) => step.key === 'polling-day');
    expect(pollingDay?.sendAt.startsWith('2027-05-13')).toBe(true);
    expect(pollingDay?.previousSendAt?.startsWith('2027-05-06')).toBe(true);
  });

  it('an edit that keeps the poll date sends no pollDate, so nothing moves', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const result = parseCreateForm(filled);
    if (!result.ok) throw new Error('form refused');
    const { campaign } = await createCampaign(deps, result.input, EDITOR);
    const edit = parseEditForm({ ...valuesOf(campaign), 'organiser-phone': '' }, campaign);
    expect(edit.ok && edit.input).toEqual({
      organiser: { name: ORGANISER.name, email: ORGANISER.email, website: ORGANISER.website },
      contacts: { officials: { name: 'Election SPOC, Anytown Police', phone: '01234 000000' } },
    });
  });
});

describe('deliveryReport', () => {
  it('counts per step with progress while sending, dashes before a step fires', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const result = parseCreateForm(filled);
    if (!result.ok) throw new Error('form refused');
    const { campaign } = await createCampaign(deps, result.input, EDITOR);
    const [first, second] = campaign.steps;
    if (!first || !second) throw new Error('steps');
    const sending = {
      ...campaign,
      steps: campaign.steps.map((step) =>
        step.key === first.key
          ? { ...step, status: 'sent' as const }
          : step.key === second.key
            ? { ...step, status: 'sending' as const, recipients: 200 }
            : step,
      ),
    };
    const report = deliveryReport(sending, {
      [first.key]: { recipients: 10, sent: 8, failed: 1, suppressed: 1 },
      [second.key]: { recipients: 200, sent: 45, failed: 2, suppressed: 3 },
    });
    expect(report.steps[0]).toMatchObject({ status: 'sent', settled: 10, percent: 100, inProgress: false });
    expect(report.steps[1]).toMatchObject({
      status: 'sending',
      recipients: 200,
      settled: 50,
      percent: 25,
      inProgress: true,
      hasCounts: true,
    });
    expect(report.steps[2]).toMatchObject({ status: 'scheduled', hasCounts: false, recipients: 0 });
    expect(report.totals).toEqual({ recipients: 210, sent: 53, failed: 3, suppressed: 4 });
    expect(report.active).toBe(true);
  });
});
