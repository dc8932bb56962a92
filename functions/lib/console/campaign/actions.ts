import type { AdminIdentity } from '../../admins/model';
import { type AlertInput, approveAlert, createAlert, withdrawAlert } from '../../campaigns/alerts';
import {
  approveCampaign,
  changeCampaign,
  requestCancel,
  withdrawPendingChange,
} from '../../campaigns/approvals';
import { type CampaignDeps, createCampaign } from '../../campaigns/campaigns';
import type { Campaign } from '../../campaigns/model';
import type { CreateCampaignInput, UpdateCampaignInput } from '../../campaigns/schema';
import { ROLE_LABELS } from '../../domain/roles';
import { longDate } from '../../shared/dates';

/**
 * What the campaign pages ask of the campaign core: one narrow port over the approval core
 * (drafts, pending changes and alerts, each needing a second person), so the pages only show and ask.
 */

/** Something proposed by one admin, waiting for another's approval. */
export interface PendingChange {
  /** `draft` for the draft itself; `alert-<id>` for an urgent alert; else the pending change's id. */
  id: string;
  kind: 'create' | 'update' | 'cancel' | 'alert';
  /** The proposer (or the draft's creator). */
  proposedBy: string;
  proposedAt: string;
  /** Who may not decide it: whoever proposed it (and, for a draft, everyone who edited it). */
  excluded: string[];
  /** What it does, in a sentence, e.g. "Move the poll date to Thursday 13 May 2027". */
  summary: string;
  /** Whether it may be rejected here (a draft is discarded by cancelling it instead). */
  rejectable: boolean;
}

/** `applied`: it took effect at once (a draft's edit); otherwise it waits for approval. */
export interface ActionOutcome {
  applied: boolean;
}

export interface CampaignConsoleActions {
  create(input: CreateCampaignInput, by: AdminIdentity): Promise<ActionOutcome & { campaignId: string }>;
  update(campaignId: string, input: UpdateCampaignInput, by: AdminIdentity): Promise<ActionOutcome>;
  cancel(campaignId: string, by: AdminIdentity): Promise<ActionOutcome>;
  proposeAlert(campaignId: string, input: AlertInput, by: AdminIdentity): Promise<{ alertId: string }>;
  /** Everything on the campaign waiting for approval. */
  pending(campaign: Campaign): PendingChange[];
  approve(campaignId: string, changeId: string, by: AdminIdentity): Promise<void>;
  reject(campaignId: string, changeId: string, by: AdminIdentity): Promise<void>;
}

const ALERT_PREFIX = 'alert-';

const updateSummary = (campaign: Campaign, update: NonNullable<Campaign['pendingChange']>['update']) => {
  const parts: string[] = [];
  if (update?.pollDate)
    parts.push(`move the poll date from ${longDate(campaign.pollDate)} to ${longDate(update.pollDate)}`);
  if (update?.nonWorkingDays) parts.push('change the non-working days');
  if (update?.organiser) parts.push('change the organiser');
  if (update?.contacts) parts.push('change the local contacts');
  const text = parts.join(', ') || 'change the campaign';
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** Everything on a campaign that waits for a second person, from the campaign as stored. */
export const pendingOf = (campaign: Campaign): PendingChange[] => {
  const pending: PendingChange[] = [];
  if (campaign.status === 'draft') {
    const going = campaign.steps.filter((step) => step.status === 'scheduled').length;
    pending.push({
      id: 'draft',
      kind: 'create',
      proposedBy: campaign.createdBy ?? 'unknown',
      proposedAt: campaign.createdAt,
      excluded: campaign.authors ?? (campaign.createdBy ? [campaign.createdBy] : []),
      summary: `Open the campaign: schedule its ${going} reminders`,
      rejectable: false,
    });
  }
  const change = campaign.pendingChange;
  if (change) {
    pending.push({
      id: change.id,
      kind: change.kind,
      proposedBy: change.proposedBy,
      proposedAt: change.proposedAt,
      excluded: [change.proposedBy],
      summary:
        change.kind === 'cancel'
          ? 'Cancel the campaign: nothing more is sent'
          : updateSummary(campaign, change.update),
      rejectable: true,
    });
  }
  for (const alert of campaign.alerts ?? []) {
    if (alert.status !== 'draft') continue;
    pending.push({
      id: `${ALERT_PREFIX}${alert.id}`,
      kind: 'alert',
      proposedBy: alert.createdBy,
      proposedAt: alert.createdAt,
      excluded: [alert.createdBy],
      summary: `Send the urgent alert "${alert.subject}" to ${alert.roles.map((role) => ROLE_LABELS[role]).join(', ')}`,
      rejectable: true,
    });
  }
  return pending;
};

/** The pages' actions over the approval core (functions/lib/campaigns/approvals.ts and alerts.ts). */
export const approvalActions = (deps: CampaignDeps): CampaignConsoleActions => ({
  async create(input, by) {
    const { campaign } = await createCampaign(deps, input, by);
    return { applied: campaign.status !== 'draft', campaignId: campaign.id };
  },
  async update(campaignId, input, by) {
    const result = await changeCampaign(deps, { campaignId, input, actor: by });
    return { applied: result.outcome === 'applied' };
  },
  async cancel(campaignId, by) {
    const result = await requestCancel(deps, { campaignId, actor: by });
    return { applied: result.outcome === 'applied' };
  },
  async proposeAlert(campaignId, input, by) {
    const { alert } = await createAlert(deps, { campaignId, author: by, input });
    return { alertId: alert.id };
  },
  pending: pendingOf,
  async approve(campaignId, changeId, by) {
    if (changeId === 'draft') {
      await approveCampaign(deps, { campaignId, approver: by });
    } else if (changeId.startsWith(ALERT_PREFIX)) {
      await approveAlert(deps, { campaignId, alertId: changeId.slice(ALERT_PREFIX.length), approver: by });
    } else {
      await approveCampaign(deps, { campaignId, approver: by, changeId });
    }
  },
  async reject(campaignId, changeId, by) {
    if (changeId.startsWith(ALERT_PREFIX)) {
      await withdrawAlert(deps, { campaignId, alertId: changeId.slice(ALERT_PREFIX.length), actor: by });
    } else {
      await withdrawPendingChange(deps, { campaignId, actor: by, changeId });
    }
  },
});
