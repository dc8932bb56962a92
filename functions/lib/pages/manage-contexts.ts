import type { Campaign } from '../campaigns/model';
import { ROLES } from '../domain/roles';
import { longDate } from '../shared/dates';
import type { SubjectData } from '../subjects/model';
import type { ManageRefusal, ManageState } from '../subscriptions/manage';
import { maskEmail } from './mask';

/** Contexts of the "Manage your reminders" pages: data only, the words come from the catalogue. */

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});
/** "22 April 2027 at 09:00", UK time. */
export const dateTime = (iso: string) => DATE_TIME.format(new Date(iso));
const DATE_ONLY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' });
/** "6 June 2027": when a record expires (DynamoDB removes it within days of its TTL). */
export const dateOnly = (iso: string) => DATE_ONLY.format(new Date(iso));

/** The page links carry the token in the query, as the emailed link does (Referrer-Policy: no-referrer). */
export const managePaths = (token: string) => {
  const query = `?token=${encodeURIComponent(token)}`;
  return {
    manageUrl: `/manage${query}`,
    dataUrl: `/manage/data${query}`,
    deleteUrl: `/manage/delete${query}`,
  };
};

export const manageContext = (
  token: string,
  state: ManageState,
  outcome: { done?: string; error?: ManageRefusal } = {},
) => {
  const subscriptions = state.subscriptions.map(({ subscription, campaign }) => ({
    campaignId: subscription.campaignId,
    campaignName: campaign?.name ?? subscription.campaignId,
    ...(campaign ? { pollDate: longDate(campaign.pollDate) } : {}),
    role: subscription.role,
    status: subscription.status,
    active: subscription.status !== 'unsubscribed',
  }));
  const active = subscriptions.filter((s) => s.active);
  return {
    token,
    ...managePaths(token),
    ...(state.email ? { maskedEmail: maskEmail(state.email) } : {}),
    subscriptions,
    activeCount: active.length,
    roles: ROLES,
    defaultRole: active[0]?.role ?? subscriptions[0]?.role ?? ROLES[0],
    canJoin: state.email !== undefined,
    joinable: state.joinable.map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      pollDate: longDate(campaign.pollDate),
    })),
    ...(outcome.done ? { done: outcome.done } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
};

/** Everything held, for the person: the export, with election names and dates a person can read. */
export const manageDataContext = (token: string, data: SubjectData, campaigns: Map<string, Campaign>) => {
  const holder =
    data.subscriptions.find((s) => s.status === 'confirmed' && s.email) ??
    data.subscriptions.find((s) => s.email);
  const nameOf = (id: string) => campaigns.get(id)?.name ?? id;
  return {
    ...managePaths(token),
    emailHmac: data.emailHmac,
    ...(holder?.email ? { email: holder.email } : {}),
    ...(holder?.name ? { name: holder.name } : {}),
    subscriptions: data.subscriptions.map((s) => ({
      campaignName: nameOf(s.campaignId),
      role: s.role,
      status: s.status,
      source: s.source,
      consentAt: dateTime(s.consentAt),
      deleteBy: dateOnly(new Date(s.expiresAt * 1000).toISOString()),
      history: [...s.history].reverse().map((entry) => ({ ...entry, at: dateTime(entry.at) })),
    })),
    deliveries: data.deliveries.map((d) => ({
      campaignName: nameOf(d.campaignId),
      stepTitle:
        campaigns.get(d.campaignId)?.steps.find((step) => step.key === d.stepKey)?.title ?? d.stepKey,
      ...(d.claimedAt ? { claimedAt: dateTime(d.claimedAt) } : {}),
      outcomes: d.outcomes.map((o) => o.status),
    })),
    ...(data.suppression
      ? { suppression: { reason: data.suppression.reason, at: dateTime(data.suppression.suppressedAt) } }
      : {}),
  };
};
