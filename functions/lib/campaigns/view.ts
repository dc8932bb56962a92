import type { Role } from '../domain/roles';
import type { StepMove } from './campaigns';
import type { Campaign, CampaignAlert, CampaignStep, StepStatus } from './model';
import { STEP_STATUSES } from './model';
import type { DeliveryCounts } from './ports';

export interface StepView {
  id: string;
  key: string;
  title: string;
  roles: CampaignStep['roles'];
  /** The statutory milestone the step is timed from, and how far from it. */
  milestone: CampaignStep['milestone'];
  offset: CampaignStep['offset'];
  date: string;
  sendAt: string;
  /** The last moment it is still worth sending. */
  until: string;
  /** Set when its time had passed when it was laid out, so it goes at once. */
  late?: CampaignStep['late'];
  /** Why a skipped step will not be sent. */
  skipReason?: string;
  status: StepStatus;
  version: number;
  firedAt?: string;
  sentAt?: string;
  delivery: DeliveryCounts | null;
}

const stepView = (step: CampaignStep, delivery?: DeliveryCounts): StepView => ({
  id: step.id,
  key: step.key,
  title: step.title,
  ...(step.kind ? { kind: step.kind } : {}),
  roles: step.roles,
  milestone: step.milestone,
  offset: step.offset,
  date: step.date,
  sendAt: step.sendAt,
  until: step.until,
  ...(step.late ? { late: step.late } : {}),
  ...(step.skipReason ? { skipReason: step.skipReason } : {}),
  status: step.status,
  version: step.version,
  ...(step.firedAt ? { firedAt: step.firedAt } : {}),
  ...(step.sentAt ? { sentAt: step.sentAt } : {}),
  delivery: delivery ?? null,
});

const countByStatus = (steps: CampaignStep[]) =>
  Object.fromEntries(
    STEP_STATUSES.map((status) => [status, steps.filter((s) => s.status === status).length]),
  );

/** The admin API's full campaign: settings, per-step status and (later) delivery counts. */
export const campaignView = (campaign: Campaign, deliveries: Record<string, DeliveryCounts> = {}) => ({
  id: campaign.id,
  name: campaign.name,
  ...(campaign.organiser ? { organiser: campaign.organiser } : {}),
  contacts: campaign.contacts,
  pollDate: campaign.pollDate,
  election: campaign.election,
  nation: campaign.nation,
  nonWorkingDays: campaign.nonWorkingDays,
  playbook: campaign.playbook,
  timezone: campaign.timezone,
  status: campaign.status,
  version: campaign.version,
  createdAt: campaign.createdAt,
  updatedAt: campaign.updatedAt,
  ...(campaign.cancelledAt ? { cancelledAt: campaign.cancelledAt } : {}),
  ...(campaign.createdBy ? { createdBy: campaign.createdBy } : {}),
  ...(campaign.authors ? { authors: campaign.authors } : {}),
  ...(campaign.approvedBy ? { approvedBy: campaign.approvedBy, approvedAt: campaign.approvedAt } : {}),
  /** The change waiting for a second admin's approval, or null. */
  pendingChange: campaign.pendingChange ?? null,
  alerts: (campaign.alerts ?? []).map(alertView),
  stepCounts: countByStatus(campaign.steps),
  milestones: campaign.milestones,
  steps: campaign.steps.map((step) => stepView(step, deliveries[step.key])),
});

/** An alert as the admin view shows it: its Markdown as written, who prepared and approved it. */
export const alertView = (alert: CampaignAlert) => ({
  id: alert.id,
  subject: alert.subject,
  body: alert.body,
  roles: alert.roles,
  status: alert.status,
  createdBy: alert.createdBy,
  createdAt: alert.createdAt,
  ...(alert.approvedBy ? { approvedBy: alert.approvedBy, approvedAt: alert.approvedAt } : {}),
  ...(alert.withdrawnBy ? { withdrawnBy: alert.withdrawnBy, withdrawnAt: alert.withdrawnAt } : {}),
  ...(alert.stepKey ? { stepKey: alert.stepKey } : {}),
});

/** One line of the admin list: no steps, just where the campaign stands. */
export const campaignSummary = (campaign: Campaign) => ({
  id: campaign.id,
  name: campaign.name,
  organiserName: campaign.organiser?.name ?? null,
  pollDate: campaign.pollDate,
  election: campaign.election,
  nation: campaign.nation,
  status: campaign.status,
  /** What waits for a second admin: the draft itself, a change, or draft alerts. */
  awaitingApproval: awaitingApproval(campaign),
  stepCounts: countByStatus(campaign.steps),
  // A draft's steps are laid out, not scheduled: nothing is sent until it is approved.
  nextSendAt:
    campaign.status === 'draft'
      ? null
      : (campaign.steps.find((step) => step.status === 'scheduled')?.sendAt ?? null),
});

const awaitingApproval = (campaign: Campaign): string[] => [
  ...(campaign.status === 'draft' ? ['draft'] : []),
  ...(campaign.pendingChange ? [`change:${campaign.pendingChange.kind}`] : []),
  ...(campaign.alerts ?? []).filter((alert) => alert.status === 'draft').map((alert) => `alert:${alert.id}`),
];

/** The admin API's campaign answers, as the CLI and other clients read them. */
export type CampaignView = ReturnType<typeof campaignView>;
export type CampaignSummaryView = ReturnType<typeof campaignSummary>;
/** `POST /admin/campaigns`: the campaign, and the steps left out (already past) and why. */
export type CreatedCampaignView = CampaignView & {
  skipped: { key: string; sendAt: string; reason?: string }[];
};
/** `GET /admin/campaigns/{id}`: the campaign, and its confirmed subscribers by role (counts only). */
export type CampaignDetailView = CampaignView & { subscribers?: Record<Role, number> };
/** `PATCH /admin/campaigns/{id}`: the campaign, and the steps whose send time moved. */
export type UpdatedCampaignView = CampaignView & { moved: StepMove[] };
/** `PATCH`, `DELETE` and cancel: applied at once to a draft (200), or proposed on a live campaign (202). */
export type ChangedCampaignView = CampaignView & { outcome: 'applied' | 'proposed'; moved?: StepMove[] };
/** `POST …/approve`: what was approved, and what it did. */
export type ApprovedCampaignView = CampaignView & {
  approved: 'draft' | 'update' | 'cancel' | 'alert';
  changeId?: string;
  moved?: StepMove[];
  skipped?: { key: string; sendAt: string; reason?: string }[];
  alert?: AlertView;
  stepKey?: string;
};
export type AlertView = ReturnType<typeof alertView>;
