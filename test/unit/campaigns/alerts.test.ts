import { describe, expect, it } from 'vitest';
import { checkAlertMarkdown, renderAlertMarkdown } from '../../../functions/lib/campaigns/alert-markdown';
import {
  alertInputSchema,
  approveAlert,
  createAlert,
  previewAlert,
  withdrawAlert,
} from '../../../functions/lib/campaigns/alerts';
import { createCampaign } from '../../../functions/lib/campaigns/campaigns';
import { ConflictError, ForbiddenError, ValidationError } from '../../../functions/lib/errors';
import {
  createOpenCampaign,
  TEST_APPROVER,
  TEST_EDITOR,
  TEST_SECOND_APPROVER,
} from '../../support/campaigns';
import { FakeAuditLog, makeDeps, ORGANISER } from './fakes';

const campaignInput = {
  name: 'Anytown 2027',
  pollDate: '2027-05-06',
  nation: 'england' as const,
  organiser: ORGANISER,
};
const alert = {
  subject: 'Fake emails about your nomination',
  body: 'Do **not** click links in emails about your nomination.\n\n- Read the [NCSC advice](https://www.ncsc.gov.uk/collection/phishing-scams)\n- Tell us',
  roles: ['candidate', 'agent'] as ('candidate' | 'agent')[],
};
const deps = (now = '2027-04-20T10:00:30Z') => ({ ...makeDeps(now), audit: new FakeAuditLog() });

describe('restricted Markdown', () => {
  it('renders paragraphs, bullets, emphasis and links, naming each link’s host as every email does', () => {
    const { html, text } = renderAlertMarkdown(alert.body);
    expect(html).toBe(
      '<p>Do <strong>not</strong> click links in emails about your nomination.</p>\n<ul>\n<li>Read the <a href="https://www.ncsc.gov.uk/collection/phishing-scams">NCSC advice (ncsc.gov.uk)</a></li>\n<li>Tell us</li>\n</ul>',
    );
    expect(text).toBe(
      'Do not click links in emails about your nomination.\n\n- Read the NCSC advice (ncsc.gov.uk)\n  https://www.ncsc.gov.uk/collection/phishing-scams\n- Tell us',
    );
  });

  it.each([
    ['# Heading', /headings are not allowed/],
    ['![logo](https://www.gov.uk/logo.png)', /images are not allowed/],
    ['<b>bold</b>', /HTML tags are not allowed/],
    ['<script>alert(1)</script>', /HTML tags are not allowed/],
    ['1. first', /numbered lists are not allowed/],
    ['> quote', /quotes are not allowed/],
    ['`code`', /code are not allowed/],
    ['[x](https://evil.example/login)', /allowed hosts.*evil\.example/],
    ['[x](http://www.gov.uk/)', /allowed hosts/],
    ['[x](javascript:alert(1))', /allowed hosts/],
    ['[x](mailto:someone@example.org)', /allowed hosts/],
  ])('refuses %s, naming the field', (body, message) => {
    const issues = checkAlertMarkdown(body, 'body');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => issue.path === 'body')).toBe(true);
    expect(issues.map((issue) => issue.message).join('\n')).toMatch(message);
  });

  it("accepts links to the organiser's own site", () => {
    expect(
      checkAlertMarkdown('[Our page](https://www.anytown.example.org/alert)', 'body', ORGANISER.website),
    ).toEqual([]);
  });

  it('validates the input: subject without markup, at least one known role', () => {
    const result = alertInputSchema.safeParse({ subject: 'Hi <b>', body: 'x', roles: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['roles', 'subject']);
  });
});

describe('urgent alerts', () => {
  it('needs an approver to prepare one, refuses bad Markdown (400 naming body) and drafts', async () => {
    const d = deps();
    const { campaign } = await createOpenCampaign(d, campaignInput);
    const { campaign: draft } = await createCampaign(d, campaignInput, TEST_EDITOR);

    await expect(
      createAlert(d, { campaignId: campaign.id, author: TEST_EDITOR, input: alert }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const bad = await createAlert(d, {
      campaignId: campaign.id,
      author: TEST_APPROVER,
      input: { ...alert, body: '# Loud' },
    }).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.issues[0].path).toBe('body');
    await expect(
      createAlert(d, { campaignId: draft.id, author: TEST_APPROVER, input: alert }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('is sent only once a second approver approves: a step alert-<id> for its roles, scheduled a whole minute or two ahead', async () => {
    const d = deps();
    const { campaign } = await createOpenCampaign(d, campaignInput);
    const { alert: draft } = await createAlert(d, {
      campaignId: campaign.id,
      author: TEST_APPROVER,
      input: alert,
    });
    const schedulesBefore = d.scheduler.schedules.size;

    await expect(
      approveAlert(d, { campaignId: campaign.id, alertId: draft.id, approver: TEST_APPROVER }),
    ).rejects.toThrow(/You prepared this alert/);
    expect(d.scheduler.schedules.size).toBe(schedulesBefore);

    const {
      step,
      alert: approved,
      campaign: after,
    } = await approveAlert(d, {
      campaignId: campaign.id,
      alertId: draft.id,
      approver: TEST_SECOND_APPROVER,
    });

    expect(approved).toMatchObject({
      status: 'approved',
      approvedBy: TEST_SECOND_APPROVER.email,
      stepKey: step.key,
    });
    expect(step).toMatchObject({
      key: `alert-${draft.id}`,
      kind: 'alert',
      roles: ['candidate', 'agent'],
      templates: { candidates: 'urgent-alert' },
      status: 'scheduled',
      sendAt: '2027-04-20T11:03:00+01:00',
    });
    expect(step.data?.alertHtml).toContain('<strong>not</strong>');
    expect(after.steps.some((candidate) => candidate.key === step.key)).toBe(true);
    expect(d.scheduler.schedules.get(step.scheduleName)).toMatchObject({
      stepKey: step.key,
      version: 1,
      localTime: '2027-04-20T11:03:00',
    });
    await expect(
      approveAlert(d, { campaignId: campaign.id, alertId: draft.id, approver: TEST_SECOND_APPROVER }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(
      d.audit.entries.map((entry) => entry.action).filter((action) => action.startsWith('alert.')),
    ).toEqual(['alert.created', 'alert.approved']);
  });

  it('previews through the template renderer with the campaign’s words and sample recipient data', async () => {
    const d = deps();
    const { campaign } = await createOpenCampaign(d, campaignInput);
    const { alert: draft } = await createAlert(d, {
      campaignId: campaign.id,
      author: TEST_APPROVER,
      input: alert,
    });
    const calls: [string, Record<string, string>][] = [];
    const previewer = {
      async render(template: string, data: Record<string, string>) {
        calls.push([template, data]);
        return { subject: data.alertSubject ?? '', html: data.alertHtml ?? '', text: data.alertText ?? '' };
      },
    };

    const preview = await previewAlert(
      { campaigns: d.campaigns, previewer },
      { campaignId: campaign.id, alertId: draft.id },
    );

    expect(preview.role).toBe('candidate');
    expect(calls[0]?.[0]).toBe('urgent-alert');
    expect(calls[0]?.[1]).toMatchObject({
      campaignName: 'Anytown 2027',
      organiserName: ORGANISER.name,
      alertSubject: alert.subject,
      name: 'Sample Name',
    });
  });

  it('can be withdrawn by whoever prepared it, and then not approved', async () => {
    const d = deps();
    const { campaign } = await createOpenCampaign(d, campaignInput);
    const { alert: draft } = await createAlert(d, {
      campaignId: campaign.id,
      author: TEST_APPROVER,
      input: alert,
    });

    const { alert: withdrawn } = await withdrawAlert(d, {
      campaignId: campaign.id,
      alertId: draft.id,
      actor: TEST_APPROVER,
    });

    expect(withdrawn.status).toBe('withdrawn');
    await expect(
      approveAlert(d, { campaignId: campaign.id, alertId: draft.id, approver: TEST_SECOND_APPROVER }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});
