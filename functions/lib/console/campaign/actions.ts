import type { AdminIdentity } from '../../admins/model';
import { type CampaignDeps, cancelCampaign, createCampaign, updateCampaign } from '../../campaigns/campaigns';
import type { CreateCampaignInput, UpdateCampaignInput } from '../../campaigns/schemas';
import { ConflictError } from '../../errors';

/**
 * What the campaign pages ask of the campaign core: one narrow port, so the pages do not care
 * whether a change takes effect at once or waits for a second person's approval.
 */

/** A change proposed by one admin, waiting for another's approval. */
export interface PendingChange {
  id: string;
  kind: 'create' | 'update' | 'cancel' | 'alert';
  /** The proposer's email: they may not approve it. */
  proposedBy: string;
  proposedAt: string;
  /** What it does, in a sentence, e.g. "Move the poll date from 6 May 2027 to 13 May 2027". */
  summary: string;
}

/** `applied`: it took effect at once; otherwise it waits for approval. */
export interface ActionOutcome {
  applied: boolean;
}

export interface CampaignConsoleActions {
  create(input: CreateCampaignInput, by: AdminIdentity): Promise<ActionOutcome & { campaignId: string }>;
  update(campaignId: string, input: UpdateCampaignInput, by: AdminIdentity): Promise<ActionOutcome>;
  cancel(campaignId: string, by: AdminIdentity): Promise<ActionOutcome>;
  /** Changes to the campaign waiting for approval, oldest first. */
  pending(campaignId: string): Promise<PendingChange[]>;
  approve(campaignId: string, changeId: string, by: AdminIdentity): Promise<void>;
  reject(campaignId: string, changeId: string, by: AdminIdentity): Promise<void>;
  /** Whether changes wait for a second person; the pages word their buttons and notices by it. */
  readonly approvals: boolean;
}

/**
 * The campaign core as it is before two-person approval: each action takes effect at once, through
 * the same functions as the admin API. Replaced by the approval core's drafts and pending changes.
 */
export const immediateActions = (deps: CampaignDeps): CampaignConsoleActions => ({
  approvals: false,
  async create(input) {
    const { campaign } = await createCampaign(deps, input);
    return { applied: true, campaignId: campaign.id };
  },
  async update(campaignId, input) {
    await updateCampaign(deps, campaignId, input);
    return { applied: true };
  },
  async cancel(campaignId) {
    await cancelCampaign(deps, campaignId);
    return { applied: true };
  },
  async pending() {
    return [];
  },
  async approve() {
    throw new ConflictError('There is nothing waiting for approval.');
  },
  async reject() {
    throw new ConflictError('There is nothing waiting for approval.');
  },
});
