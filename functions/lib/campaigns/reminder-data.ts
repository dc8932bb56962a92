import { type Role, roleWithArticle } from '../domain/roles';
import { longDate } from '../subscriptions/dates';
import type { MilestoneKey } from '../timetable/timetable';
import { type Campaign, FIRED_STATUSES } from './model';

/**
 * The words a reminder template fills in, shared by the sender and the web copy of each reminder so
 * both say the same. Flags are present ("yes") or absent, as Handlebars' {{#if}} reads them.
 */
export type ReminderWords = Record<string, string>;

const milestoneDate = (campaign: Campaign, key: MilestoneKey) => {
  const date = campaign.milestones.find((milestone) => milestone.key === key)?.date;
  return date ? longDate(date) : undefined;
};

const flag = (on: boolean) => (on ? 'yes' : undefined);

const defined = (entries: Record<string, string | undefined>): ReminderWords =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as ReminderWords;

/** What every recipient of a campaign's reminders shares: names, dates and the nation's variants. */
export const campaignWords = (campaign: Campaign): ReminderWords =>
  defined({
    campaignName: campaign.name,
    pollDate: longDate(campaign.pollDate),
    nominationsClose: milestoneDate(campaign, 'close-of-nominations'),
    sopnPublished: milestoneDate(campaign, 'sopn-published'),
    inScotland: flag(campaign.nation === 'scotland'),
    inNorthernIreland: flag(campaign.nation === 'northern-ireland'),
  });

/** What depends on the recipient's role: how it is named, and agents' own wording. */
export const roleWords = (role: Role): ReminderWords =>
  defined({ role: roleWithArticle(role), isAgent: flag(role === 'agent') });

/** The public web copy of a reminder for a role: no personal data, safe to share. */
export const reminderPageUrl = (baseUrl: string, campaignId: string, stepKey: string, role: Role): string =>
  `${baseUrl.replace(/\/+$/, '')}/campaigns/${encodeURIComponent(campaignId)}/reminders/${encodeURIComponent(stepKey)}?role=${encodeURIComponent(role)}`;

/**
 * The reminders a late joiner has missed that still apply to their role: steps that have gone out
 * and are still worth reading now, in timeline order, each with its web copy.
 */
export const missedReminders = (
  campaign: Campaign,
  role: Role,
  now: Date,
  baseUrl: string,
): { title: string; url: string }[] =>
  campaign.steps
    .filter(
      (step) =>
        FIRED_STATUSES.includes(step.status) && step.roles.includes(role) && step.untilMs > now.getTime(),
    )
    .map((step) => ({ title: step.title, url: reminderPageUrl(baseUrl, campaign.id, step.key, role) }));
