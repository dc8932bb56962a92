import Handlebars from 'handlebars';
import { alertTemplateData } from '../../campaigns/alerts';
import type { Campaign, CampaignStep } from '../../campaigns/model';
import type { ReminderTemplateSource } from '../../campaigns/ports';
import { reminderPageUrl, reminderWords } from '../../campaigns/reminder-data';
import { renderReminderHtml } from '../../campaigns/reminder-page';
import { audienceOf, ROLE_LABELS, type Role } from '../../domain/roles';
import { NotFoundError } from '../../errors';
import { ALERT_TEMPLATE } from '../../templates/names';

/**
 * A step as one role will receive it: the SES template the sender uses, filled in through the same
 * renderer as the public web copy, with the campaign's own words (organiser, dates, the role's local
 * contact) and sample recipient data where a real email has someone's (their name, their unsubscribe
 * link). Nothing is sent; no subscriber is read.
 */

/** What stands in for a recipient: a name nobody has, links that go nowhere real. */
export const SAMPLE_RECIPIENT = { name: 'Sam Sample' } as const;

export interface StepPreview {
  step: Pick<CampaignStep, 'key' | 'title' | 'sendAt'>;
  role: Role;
  roleLabel: string;
  template: string;
  html: string;
}

/** Every role a step goes to, with the template each role gets. */
export const previewRoles = (step: CampaignStep): { role: Role; label: string; template: string }[] =>
  step.roles.flatMap((role) => {
    const template = step.templates[audienceOf(role)];
    return template ? [{ role, label: ROLE_LABELS[role], template }] : [];
  });

export const renderStepPreview = async (
  deps: { reminderTemplates: ReminderTemplateSource; publicBaseUrl: string },
  campaign: Campaign,
  stepKey: string,
  role: Role,
): Promise<StepPreview> => {
  const step = campaign.steps.find((candidate) => candidate.key === stepKey);
  const entry = step ? previewRoles(step).find((candidate) => candidate.role === role) : undefined;
  if (!step || !entry) throw new NotFoundError('That reminder does not go to that role.');
  const source = await deps.reminderTemplates.html(entry.template);
  if (!source) throw new NotFoundError(`The email template ${entry.template} is missing.`);
  const html = renderReminderHtml(source, {
    ...reminderWords(campaign, role),
    name: SAMPLE_RECIPIENT.name,
    // Where the real links would point; the unsubscribe link's token is the one part left out.
    unsubscribeUrl: `${deps.publicBaseUrl.replace(/\/+$/, '')}/unsubscribe?token=sample`,
    webVersionUrl: reminderPageUrl(deps.publicBaseUrl, campaign.id, step.key, role),
  });
  return {
    step: { key: step.key, title: step.title, sendAt: step.sendAt },
    role,
    roleLabel: entry.label,
    template: entry.template,
    html,
  };
};

/**
 * An urgent alert as `role` will receive it, before it is saved: the urgent-alert SES template filled
 * in with the alert's rendered Markdown (the approval core's own renderer) and the campaign's words,
 * as the sender fills it.
 */
export const renderAlertPreview = async (
  deps: { reminderTemplates: ReminderTemplateSource; publicBaseUrl: string },
  campaign: Campaign,
  alert: { subject: string; body: string },
  role: Role,
): Promise<{ role: Role; roleLabel: string; html: string }> => {
  const source = await deps.reminderTemplates.html(ALERT_TEMPLATE);
  if (!source) throw new NotFoundError(`The email template ${ALERT_TEMPLATE} is missing.`);
  const { alertHtml, ...words } = alertTemplateData(alert);
  const html = renderReminderHtml(source, {
    ...reminderWords(campaign, role),
    ...words,
    // Our HTML, rendered from checked Markdown: it goes in as it is, as the sender passes it.
    alertHtml: new Handlebars.SafeString(alertHtml ?? ''),
    name: SAMPLE_RECIPIENT.name,
    unsubscribeUrl: `${deps.publicBaseUrl.replace(/\/+$/, '')}/unsubscribe?token=sample`,
  });
  return { role, roleLabel: ROLE_LABELS[role], html };
};
