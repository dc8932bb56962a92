import { z } from 'zod';
import type { Clock } from '../clock';
import { CAMPAIGN_ID_PATTERN } from './ids';
import type { DispatchInput } from './model';
import type { CampaignRepository } from './ports';

/** A schedule's Input: ids and the schedule version only. Anything else is refused. */
export const dispatchInputSchema = z.strictObject({
  campaignId: z.string().regex(CAMPAIGN_ID_PATTERN, 'campaignId is not a campaign id'),
  stepKey: z
    .string()
    .max(80)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'stepKey is not a step key'),
  version: z.number().int().positive(),
});

export class InvalidDispatchInputError extends Error {
  override readonly name = 'InvalidDispatchInputError';
}

export const parseDispatchInput = (event: unknown): DispatchInput => {
  const result = dispatchInputSchema.safeParse(event);
  if (!result.success) {
    // Paths and messages only: the event is ours, but never echo input into logs.
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`,
    );
    throw new InvalidDispatchInputError(`Invalid schedule input: ${problems.join('; ')}`);
  }
  return result.data;
};

export interface DispatchLog {
  info(message: string, attributes: Record<string, unknown>): void;
}

export interface DispatchDeps {
  campaigns: CampaignRepository;
  clock: Clock;
  log: DispatchLog;
}

export type DispatchOutcome = { outcome: 'due'; firedAt: string } | { outcome: 'ignored'; reason: string };

/**
 * A step's schedule fired. Records it (`scheduled` → `due`, with firedAt) only if the step still has
 * this schedule version and is still `scheduled`: a stale schedule (the poll date moved), a cancelled
 * campaign or a repeat delivery (Scheduler is at-least-once) changes nothing. The fan-out to
 * subscribers is a later issue; it will start here.
 */
export const dispatchStep = async (deps: DispatchDeps, input: DispatchInput): Promise<DispatchOutcome> => {
  const firedAt = deps.clock.now().toISOString();
  const ids = { campaignId: input.campaignId, stepKey: input.stepKey, version: input.version };
  if (await deps.campaigns.markStepDue(input.campaignId, input.stepKey, input.version, firedAt)) {
    deps.log.info('Step due', { ...ids, firedAt });
    return { outcome: 'due', firedAt };
  }
  // Why it was ignored, for the log (ids and statuses only).
  const campaign = await deps.campaigns.getCampaign(input.campaignId);
  const step = campaign?.steps.find((candidate) => candidate.key === input.stepKey);
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
