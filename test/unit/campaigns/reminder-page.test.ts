import { describe, expect, it } from 'vitest';
import { renderReminderPage } from '../../../functions/lib/campaigns/reminder-page';
import { NotFoundError } from '../../../functions/lib/errors';
import { createOpenCampaign } from '../../support/campaigns';
import { makeDeps, ORGANISER } from './fakes';

const input = {
  name: 'Anytown council 2027',
  pollDate: '2027-05-06',
  election: 'local' as const,
  nation: 'northern-ireland' as const,
  organiser: ORGANISER,
};

// A stand-in for SES's stored template: the same Handlebars the real templates use.
const templates = {
  async html(name: string) {
    return name === 'know-your-police-contact-candidates'
      ? '<p>{{campaignName}} for {{role}}{{#if isAgent}} (agent){{/if}}{{#if inNorthernIreland}}: Chief Electoral Officer{{/if}}</p>{{#if unsubscribeUrl}}<a href="{{unsubscribeUrl}}">Unsubscribe</a>{{/if}}{{name}}{{contactName}}{{contactPhone}}'
      : undefined;
  },
};

const setUp = async () => {
  const deps = makeDeps('2027-03-01T12:00:00Z');
  const { campaign } = await createOpenCampaign(deps, {
    ...input,
    // A police contact is for the people emailed, never for the public page.
    contacts: { candidates: { name: 'Candidate safety, PSNI', phone: '01234 000000' } },
  });
  return { deps: { ...deps, reminderTemplates: templates }, campaign };
};

describe('renderReminderPage', () => {
  it('renders a sent step for the role with the campaign’s words and nobody’s details', async () => {
    const { deps, campaign } = await setUp();
    await deps.campaigns.markStepDue(campaign.id, 'know-your-police-contact', 1, '2027-04-13T15:30:00Z');

    const html = await renderReminderPage(deps, {
      campaignId: campaign.id,
      stepKey: 'know-your-police-contact',
      role: 'agent',
    });

    expect(html).toBe('<p>Anytown council 2027 for an election agent (agent): Chief Electoral Officer</p>');
  });

  it('shows nothing before the step has gone, nor to a role it is not for', async () => {
    const { deps, campaign } = await setUp();

    await expect(
      renderReminderPage(deps, {
        campaignId: campaign.id,
        stepKey: 'know-your-police-contact',
        role: 'agent',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);

    await deps.campaigns.markStepDue(campaign.id, 'know-your-police-contact', 1, '2027-04-13T15:30:00Z');
    await expect(
      renderReminderPage(deps, {
        campaignId: campaign.id,
        stepKey: 'know-your-police-contact',
        role: 'returning-officer',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      renderReminderPage(deps, { campaignId: campaign.id, stepKey: 'nope', role: 'agent' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
