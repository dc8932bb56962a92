import type { Campaign, Organiser, PublicCampaign } from '../campaigns/model';
import { ROLES, type Role } from '../domain/roles';
import type { Issue } from '../errors';
import { keyOfEnglishMessage } from '../i18n/catalogue';
import { longDate } from '../shared/dates';
import { localDateOf } from '../timeline/dates';
import { maskEmail } from './mask';

/**
 * What each page is given: data only (names, dates, addresses, catalogue keys), never words. The
 * views say everything through t(), so a new locale needs a catalogue and no code.
 */

/** A field's problem: its catalogue key when the en-GB catalogue knows the schema's message. */
export interface FieldError {
  path: string;
  key?: string;
  message: string;
}

/** Schema messages are English (the JSON API shares them); the page shows them by key. */
export const fieldErrors = (issues: Issue[]): FieldError[] =>
  issues.map((issue) => {
    const key = keyOfEnglishMessage(issue.message, 'signup.error.');
    return { path: issue.path, message: issue.message, ...(key ? { key } : {}) };
  });

export const signupContext = (
  campaigns: PublicCampaign[],
  retentionDays: number,
  values: Record<string, string> = {},
  issues: Issue[] = [],
) => {
  const errorList = fieldErrors(issues);
  return {
    values,
    errorList,
    errors: Object.fromEntries(errorList.map((error) => [error.path, error])),
    retentionDays,
    roles: ROLES,
    campaigns: campaigns.map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      pollDate: longDate(campaign.pollDate),
      ...(campaign.organiser ? { organiserName: campaign.organiser.name } : {}),
    })),
  };
};

export const checkEmailContext = (input: {
  email: string;
  campaign: PublicCampaign;
  senderEmail?: string;
  dailyLimit: number;
}) => ({
  email: input.email,
  dailyLimit: input.dailyLimit,
  ...(input.senderEmail ? { senderEmail: input.senderEmail } : {}),
  ...(input.campaign.organiser ? { organiserName: input.campaign.organiser.name } : {}),
  footerCampaign: footerCampaign(input.campaign),
});

/** Who runs the campaign a page is about, for the footer. */
export const footerCampaign = (campaign: Pick<Campaign, 'name'> & { organiser?: { name: string } }) => ({
  name: campaign.name,
  ...(campaign.organiser ? { organiser: { name: campaign.organiser.name } } : {}),
});

export const confirmContext = (input: { token: string; campaign: Campaign; role: Role; email: string }) => ({
  token: input.token,
  campaignName: input.campaign.name,
  role: input.role,
  maskedEmail: maskEmail(input.email),
  footerCampaign: footerCampaign(input.campaign),
});

export const calendarUrl = (campaignId: string, role: Role) =>
  `/campaigns/${encodeURIComponent(campaignId)}/timeline.ics?role=${encodeURIComponent(role)}`;

/**
 * The confirmed page: the role's reminders still to come (scheduled, not yet sent) and the
 * timetable's dates not yet passed, with the calendar feed of both.
 */
export const confirmedContext = (campaign: Campaign, role: Role, now: Date) => {
  const today = localDateOf(now, campaign.timezone);
  return {
    campaignName: campaign.name,
    pollDate: longDate(campaign.pollDate),
    role,
    reminders: campaign.steps
      .filter(
        (step) => step.status === 'scheduled' && step.roles.includes(role) && step.epochMs > now.getTime(),
      )
      .map((step) => ({ date: longDate(step.date), title: step.title })),
    milestones: campaign.milestones
      .filter((milestone) => milestone.date >= today)
      .map((milestone) => ({ date: longDate(milestone.date), key: milestone.key })),
    calendarUrl: calendarUrl(campaign.id, role),
    footerCampaign: footerCampaign(campaign),
  };
};

export const unsubscribeContext = (token: string, campaign: Campaign | undefined) => ({
  token,
  ...(campaign ? { campaignName: campaign.name, footerCampaign: footerCampaign(campaign) } : {}),
});

type OrganisedCampaign = Pick<Campaign, 'name'> & { organiser?: Organiser };

export const privacyContext = (campaigns: OrganisedCampaign[], retentionDays: number) => ({
  retentionDays,
  organisers: campaigns.flatMap((campaign) =>
    campaign.organiser ? [{ campaign: campaign.name, organiser: campaign.organiser.name }] : [],
  ),
});

/** A tel: link's number: digits and `+` only; the screen shows the number as the organiser wrote it. */
const telOf = (phone: string) => phone.replace(/[^\d+]/g, '');

export const contactContext = (campaigns: OrganisedCampaign[]) => ({
  contactCampaigns: campaigns.map(({ name, organiser }) => ({
    name,
    ...(organiser
      ? {
          organiser: {
            ...organiser,
            ...(organiser.phone ? { tel: telOf(organiser.phone) } : {}),
            ...(organiser.website ? { websiteHost: new URL(organiser.website).hostname } : {}),
          },
        }
      : {}),
  })),
});

/** The date the accessibility statement was last reviewed: change it with the statement. */
export const ACCESSIBILITY_STATEMENT_DATE = '2026-12-01';

export const accessibilityContext = () => ({ statementDate: longDate(ACCESSIBILITY_STATEMENT_DATE) });
