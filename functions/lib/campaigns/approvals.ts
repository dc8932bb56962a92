import { randomBytes } from 'node:crypto';
import type { AdminIdentity } from '../admins/model';
import { ConflictError, ForbiddenError } from '../errors';
import {
  type ApplyOptions,
  assertMayEdit,
  audit,
  type CampaignDeps,
  cancelCampaign,
  getCampaign,
  openDraft,
  type StepMove,
  updateCampaign,
  withVersionRetries,
} from './campaigns';
import type { Campaign, CampaignStep, PendingChange } from './model';
import type { UpdateCampaignInput } from './schema';

/**
 * Two people for anything that reaches subscribers. A new campaign is a draft until an approver who
 * neither created nor edited it approves it. On a live campaign, a new poll date, non-working days,
 * organiser or contacts, and cancelling, are proposed by one admin (a pending change on the campaign)
 * and applied only when a different admin with role `approver` approves, exactly as the change would
 * have been applied directly. A draft is edited (or discarded) freely by editors: it reaches nobody.
 */

/** 48 random bits, hex: names one pending change, so an approver approves the one they saw. */
const newChangeId = () => randomBytes(6).toString('hex');

export type ChangeOutcome =
  | { outcome: 'applied'; campaign: Campaign; moved: StepMove[] }
  | { outcome: 'proposed'; campaign: Campaign; change: PendingChange };

const assertNothingPending = (campaign: Campaign) => {
  if (campaign.pendingChange) {
    throw new ConflictError(
      `Campaign ${campaign.id} already has a pending change (${campaign.pendingChange.id}, ${campaign.pendingChange.kind}) by ${campaign.pendingChange.proposedBy}: approve or withdraw it first.`,
    );
  }
};

/** Stores `change` as the campaign's pending change, on the version read. */
const propose = async (
  deps: CampaignDeps,
  id: string,
  actor: AdminIdentity,
  change: Omit<PendingChange, 'id' | 'proposedBy' | 'proposedAt'>,
): Promise<ChangeOutcome> => {
  const campaign = await withVersionRetries(async () => {
    const current = await getCampaign(deps, id);
    if (current.status !== 'open') {
      throw new ConflictError(`Campaign ${id} is ${current.status}; only open campaigns can be changed.`);
    }
    assertNothingPending(current);
    const now = deps.clock.now().toISOString();
    const updated: Campaign = {
      ...current,
      pendingChange: { id: newChangeId(), ...change, proposedBy: actor.email, proposedAt: now },
      version: current.version + 1,
      updatedAt: now,
    };
    await deps.campaigns.saveCampaign(updated, current.version);
    return updated;
  });
  const pending = campaign.pendingChange as PendingChange;
  await audit(
    deps,
    {
      actor: actor.email,
      action: 'change.proposed',
      campaignId: id,
      detail: { changeId: pending.id, kind: pending.kind, fields: Object.keys(pending.update ?? {}) },
    },
    deps.clock,
  );
  return { outcome: 'proposed', campaign, change: pending };
};

/**
 * PATCH: a draft is changed at once (the editor joins its authors); on a live campaign the change
 * becomes the pending change for a second admin to approve. Organiser edits count as contacts:
 * they reach every subscriber's inbox.
 */
export const changeCampaign = async (
  deps: CampaignDeps,
  request: { campaignId: string; input: UpdateCampaignInput; actor: AdminIdentity },
): Promise<ChangeOutcome> => {
  assertMayEdit(request.actor);
  const current = await getCampaign(deps, request.campaignId);
  if (current.status === 'draft') {
    const { campaign, moved } = await updateCampaign(deps, current.id, request.input, {
      author: request.actor.email,
    });
    await audit(
      deps,
      {
        actor: request.actor.email,
        action: 'draft.edited',
        campaignId: current.id,
        detail: { fields: Object.keys(request.input) },
      },
      deps.clock,
    );
    return { outcome: 'applied', campaign, moved };
  }
  return propose(deps, current.id, request.actor, { kind: 'update', update: request.input });
};

/** DELETE or cancel: a draft is discarded at once; a live campaign's cancel waits for approval. */
export const requestCancel = async (
  deps: CampaignDeps,
  request: { campaignId: string; actor: AdminIdentity },
): Promise<ChangeOutcome> => {
  assertMayEdit(request.actor);
  const current = await getCampaign(deps, request.campaignId);
  if (current.status === 'draft') {
    const campaign = await cancelCampaign(deps, current.id, { author: request.actor.email });
    await audit(
      deps,
      { actor: request.actor.email, action: 'draft.discarded', campaignId: current.id },
      deps.clock,
    );
    return { outcome: 'applied', campaign, moved: [] };
  }
  if (current.status === 'cancelled') {
    // Cancelling again tidies up schedules a failed cancel left behind; nothing reaches anyone.
    return { outcome: 'applied', campaign: await cancelCampaign(deps, current.id), moved: [] };
  }
  return propose(deps, current.id, request.actor, { kind: 'cancel' });
};

export type ApprovalOutcome =
  | { approved: 'draft'; campaign: Campaign; skipped: CampaignStep[] }
  | { approved: 'update'; campaign: Campaign; moved: StepMove[]; changeId: string }
  | { approved: 'cancel'; campaign: Campaign; changeId: string };

const assertApprover = (approver: AdminIdentity) => {
  if (approver.role !== 'approver') {
    throw new ForbiddenError(`Your role is ${approver.role}: only an approver can approve.`);
  }
};

/**
 * Approves what is waiting on the campaign: the draft (it opens and its steps are scheduled) or the
 * pending change (applied exactly as a direct change would be). `changeId`, when given, must name the
 * pending change, so an approver approves what they reviewed. 403 for one's own draft or proposal
 * or a role other than approver; 409 when nothing is pending.
 */
export const approveCampaign = async (
  deps: CampaignDeps,
  request: { campaignId: string; approver: AdminIdentity; changeId?: string },
): Promise<ApprovalOutcome> => {
  const { approver } = request;
  assertApprover(approver);
  const current = await getCampaign(deps, request.campaignId);
  const at = deps.clock.now().toISOString();
  if (current.status === 'draft') {
    if (request.changeId !== undefined) {
      throw new ConflictError(
        `Campaign ${current.id} is a draft: approve the draft itself, without a changeId.`,
      );
    }
    if ((current.authors ?? [current.createdBy]).includes(approver.email)) {
      throw new ForbiddenError(
        'You created or edited this draft, so you cannot approve it: another approver must.',
      );
    }
    const { campaign, skipped } = await openDraft(deps, current, {
      approvedBy: approver.email,
      approvedAt: at,
    });
    await audit(deps, {
      actor: approver.email,
      action: 'campaign.approved',
      campaignId: current.id,
      at,
      detail: {
        createdBy: current.createdBy ?? 'unknown',
        scheduled: campaign.steps.filter((step) => step.status === 'scheduled').length,
        skipped: skipped.length,
      },
    });
    return { approved: 'draft', campaign, skipped };
  }
  const pending = current.pendingChange;
  if (!pending) {
    throw new ConflictError(`Campaign ${current.id} is ${current.status} with nothing waiting for approval.`);
  }
  if (request.changeId !== undefined && request.changeId !== pending.id) {
    throw new ConflictError(
      `The pending change is ${pending.id}, not ${request.changeId}: it was replaced. Review it again.`,
    );
  }
  if (pending.proposedBy === approver.email) {
    throw new ForbiddenError('You proposed this change, so you cannot approve it: another approver must.');
  }
  const options: ApplyOptions = { pendingChangeId: pending.id };
  const detail = { changeId: pending.id, kind: pending.kind, proposedBy: pending.proposedBy };
  if (pending.kind === 'cancel') {
    const campaign = await cancelCampaign(deps, current.id, options);
    await audit(deps, {
      actor: approver.email,
      action: 'change.approved',
      campaignId: current.id,
      at,
      detail,
    });
    return { approved: 'cancel', campaign, changeId: pending.id };
  }
  const { campaign, moved } = await updateCampaign(deps, current.id, pending.update ?? {}, options);
  await audit(deps, {
    actor: approver.email,
    action: 'change.approved',
    campaignId: current.id,
    at,
    detail: { ...detail, fields: Object.keys(pending.update ?? {}), moved: moved.length },
  });
  return { approved: 'update', campaign, moved, changeId: pending.id };
};

/**
 * Drops the pending change: withdrawn by the admin who proposed it, or rejected by an approver.
 * 409 when nothing is pending (or `changeId` names another change).
 */
export const withdrawPendingChange = async (
  deps: CampaignDeps,
  request: { campaignId: string; actor: AdminIdentity; changeId?: string },
): Promise<Campaign> => {
  const { actor } = request;
  let dropped: PendingChange | undefined;
  const campaign = await withVersionRetries(async () => {
    const current = await getCampaign(deps, request.campaignId);
    const pending = current.pendingChange;
    if (!pending || (request.changeId !== undefined && request.changeId !== pending.id)) {
      throw new ConflictError(`Campaign ${current.id} has no such change waiting for approval.`);
    }
    if (pending.proposedBy !== actor.email && actor.role !== 'approver') {
      throw new ForbiddenError('Only the admin who proposed this change, or an approver, can drop it.');
    }
    const { pendingChange: _dropped, ...rest } = current;
    const now = deps.clock.now().toISOString();
    const updated: Campaign = { ...rest, version: current.version + 1, updatedAt: now };
    await deps.campaigns.saveCampaign(updated, current.version);
    dropped = pending;
    return updated;
  });
  const change = dropped as PendingChange;
  await audit(
    deps,
    {
      actor: actor.email,
      action: change.proposedBy === actor.email ? 'change.withdrawn' : 'change.rejected',
      campaignId: campaign.id,
      detail: { changeId: change.id, kind: change.kind, proposedBy: change.proposedBy },
    },
    deps.clock,
  );
  return campaign;
};
