import { audienceOf, ROLES, type Role, roleWithArticle } from '../domain/roles';
import { longDate } from '../shared/dates';
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

/** The organiser's own host, e.g. www.anytown.gov.uk: the standing line names it as a safe link host. */
const hostOf = (website: string | undefined) => (website ? new URL(website).hostname : undefined);

/** A phone number as a tel: link takes it: digits only ("01234 567890" → "01234567890"). */
const telOf = (phone: string | undefined) => phone?.replace(/\s+/g, '');

/** What every recipient of a campaign's reminders shares: names, dates and the nation's variants. */
export const campaignWords = (campaign: Campaign): ReminderWords =>
  defined({
    campaignName: campaign.name,
    organiserName: campaign.organiser?.name,
    organiserEmail: campaign.organiser?.email,
    organiserPhone: campaign.organiser?.phone,
    organiserTel: telOf(campaign.organiser?.phone),
    organiserWebsite: campaign.organiser?.website,
    organiserDomain: hostOf(campaign.organiser?.website),
    pollDate: longDate(campaign.pollDate),
    nominationsClose: milestoneDate(campaign, 'close-of-nominations'),
    sopnPublished: milestoneDate(campaign, 'sopn-published'),
    inScotland: flag(campaign.nation === 'scotland'),
    inNorthernIreland: flag(campaign.nation === 'northern-ireland'),
  });

/** What depends on the recipient's role: how it is named, agents' own wording, their local contact. */
export const roleWords = (role: Role, campaign?: Pick<Campaign, 'contacts'>): ReminderWords => {
  const contact = campaign?.contacts[audienceOf(role)];
  return defined({
    role: roleWithArticle(role),
    isAgent: flag(role === 'agent'),
    contactName: contact?.name,
    contactPhone: contact?.phone,
    contactTel: telOf(contact?.phone),
    contactEmail: contact?.email,
  });
};

/** Everything a reminder says to one role of the campaign. */
export const reminderWords = (campaign: Campaign, role: Role): ReminderWords => ({
  ...campaignWords(campaign),
  ...roleWords(role, campaign),
});

/**
 * The words for every role at once, for a sender that reads the campaign once per batch, with the
 * step's own data (an urgent alert's subject, HTML and text) when it has some.
 */
export const reminderWordsByRole = (
  campaign: Campaign,
  stepData?: Record<string, string>,
): Record<Role, ReminderWords> =>
  Object.fromEntries(
    ROLES.map((role) => [role, { ...reminderWords(campaign, role), ...stepData }]),
  ) as Record<Role, ReminderWords>;

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
