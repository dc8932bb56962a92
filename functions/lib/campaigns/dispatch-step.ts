import { z } from 'zod';
import type { Clock } from '../clock';
import { KEBAB_CASE } from '../playbooks/schema';
import { CAMPAIGN_ID_PATTERN } from './ids';
import type { DispatchInput } from './model';
import type { CampaignRepository, DispatchLog, FanOut } from './ports';

/** A schedule's Input: ids and the schedule version only. Anything else is refused. */
export const dispatchInputSchema = z.strictObject({
  campaignId: z.string().regex(CAMPAIGN_ID_PATTERN, 'campaignId is not a campaign id'),
  stepKey: z.string().max(80).regex(KEBAB_CASE, 'stepKey is not a step key'),
  version: z.number().int().positive(),
});

export interface DispatchDeps {
  campaigns: CampaignRepository;
  clock: Clock;
  log: DispatchLog;
  fanOut?: FanOut;
}

export type DispatchOutcome =
  | { outcome: 'due' | 'resumed'; firedAt: string; enqueued?: number; recipients?: number }
  | { outcome: 'ignored'; reason: string };

/**
 * A step's schedule fired. Records it (`scheduled` → `due`, with firedAt) only if the step still has
 * this schedule version and is still `scheduled`, then fans it out to the subscribers. A stale
 * schedule (the poll date moved), a cancelled campaign or a repeat delivery (Scheduler is
 * at-least-once) changes nothing; a retry of a firing whose fan-out was interrupted (the step is
 * still `due` at this version) resumes the fan-out where it stopped.
 */
export const dispatchStep = async (deps: DispatchDeps, input: DispatchInput): Promise<DispatchOutcome> => {
  const firedAt = deps.clock.now().toISOString();
  const ids = { campaignId: input.campaignId, stepKey: input.stepKey, version: input.version };
  const accepted = await deps.campaigns.markStepDue(input.campaignId, input.stepKey, input.version, firedAt);
  const campaign = await deps.campaigns.getCampaign(input.campaignId);
  const step = campaign?.steps.find((candidate) => candidate.key === input.stepKey);
  const resumable =
    !accepted && campaign?.status === 'open' && step?.version === input.version && step.status === 'due';
  if ((accepted || resumable) && step) {
    deps.log.info(accepted ? 'Step due' : 'Resuming fan-out', { ...ids, firedAt });
    const outcome = accepted ? ('due' as const) : ('resumed' as const);
    if (!deps.fanOut) return { outcome, firedAt };
    const fanned = await deps.fanOut({ ...ids, roles: step.roles });
    deps.log.info('Step fanned out', { ...ids, ...fanned });
    return { outcome, firedAt, ...fanned };
  }
  // Why it was ignored, for the log (ids and statuses only).
  const reason = !campaign
    ? 'campaign-not-found'
    : !step
      ? 'step-not-found'
      : campaign.status !== 'open'
        ? `campaign-${campaign.status}`
        : step.version !== input.version
          ? 'stale-version'
          : `step-${step.status}`;
  deps.log.info('Schedule ignored', { ...ids, reason, currentVersion: step?.version });
  return { outcome: 'ignored', reason };
};
