import { FIRED_STATUSES } from '../campaigns/model';
import type { CampaignRepository } from '../campaigns/ports';
import { reminderWordsByRole } from '../campaigns/reminder-data';
import type { StepContext, StepLookup } from './ports';

/** Statuses in which a cancelled campaign's step was still sending (not yet `sent`). */
const INTERRUPTED: readonly string[] = ['due', 'sending'];

/**
 * The campaigns store as the sender sees it. The campaign is read at most once every `cacheMs` per
 * function instance (every batch needs it; it changes rarely): a cancellation stops sending within
 * that time. The cache runs on real (monotonic) time, not the service clock: the local clock can
 * stand still at a set time, and a cache on it would never see the cancellation.
 */
export const createStepLookup = (
  campaigns: CampaignRepository,
  options: { cacheMs: number; elapsedMs?: () => number },
): StepLookup => {
  const elapsedMs = options.elapsedMs ?? (() => performance.now());
  const cache = new Map<string, { at: number; context: Promise<StepContext | undefined> }>();
  const load = async (
    campaignId: string,
    stepKey: string,
    version: number,
  ): Promise<StepContext | undefined> => {
    const campaign = await campaigns.getCampaign(campaignId);
    const step = campaign?.steps.find((candidate) => candidate.key === stepKey);
    if (!campaign || !step) return undefined;
    const atVersion = step.version === version;
    return {
      words: reminderWordsByRole(campaign, step.data),
      // Queued batches may send while the step has fired (due, sending, sent) at this version.
      live: campaign.status === 'open' && atVersion && FIRED_STATUSES.includes(step.status),
      interrupted: campaign.status === 'cancelled' && atVersion && INTERRUPTED.includes(step.status),
      templates: step.templates,
    };
  };
  return {
    stepContext(step, version) {
      const key = `${step.campaignId}/${step.stepKey}/${version}`;
      const now = elapsedMs();
      const hit = cache.get(key);
      if (hit && now - hit.at < options.cacheMs) return hit.context;
      const context = load(step.campaignId, step.stepKey, version);
      cache.set(key, { at: now, context });
      context.catch(() => cache.delete(key));
      return context;
    },
    async markSending(step, version, recipients) {
      await campaigns.markStepSending(step.campaignId, step.stepKey, version, recipients);
    },
    async markSent(step, version, at) {
      await campaigns.markStepSent(step.campaignId, step.stepKey, version, at.toISOString());
      cache.clear();
    },
    async markCancelled(step, version, at) {
      await campaigns.markStepCancelled(step.campaignId, step.stepKey, version, at.toISOString());
      cache.clear();
    },
  };
};
