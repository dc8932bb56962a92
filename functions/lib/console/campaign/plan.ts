import { planSteps } from '../../campaigns/campaigns';
import { type Campaign, type CampaignStep, FIRED_STATUSES } from '../../campaigns/model';
import type { CreateCampaignInput, UpdateCampaignInput } from '../../campaigns/schema';
import { ValidationError } from '../../errors';
import { DEFAULT_PLAYBOOK_ID, getPlaybook } from '../../playbooks/index';
import { localDateOf } from '../../timeline/dates';
import { layOutTimeline } from '../../timeline/lay-out';
import { TimetableInputError } from '../../timetable/errors';
import type { Milestone } from '../../timetable/timetable';

/**
 * What a campaign will do before it is saved, for the "check your answers" page: the statutory
 * timetable and each reminder with when it will go, laid out and planned by the same functions
 * createCampaign and updateCampaign use (layOutTimeline, planSteps), so the page shows what saving
 * will do. Pure apart from reading the playbook; throws ValidationError naming `pollDate` for a poll
 * the timetable refuses (in the past, outside the bank-holiday data).
 */

export interface PlannedStep {
  key: string;
  title: string;
  roles: CampaignStep['roles'];
  sendAt: string;
  /** scheduled: at its time; late: at once, in order (it was due already); skipped: too late to help. */
  outcome: 'scheduled' | 'late' | 'skipped' | 'unchanged';
  plannedSendAt?: string;
  skipReason?: string;
  /** On an edit: the time it had before, when that differs. */
  previousSendAt?: string;
  /** On an edit: a step that has gone (or is going) stays as it is. */
  status?: CampaignStep['status'];
}

export interface CampaignPlan {
  milestones: Milestone[];
  steps: PlannedStep[];
}

const assertNotPast = (pollDate: string, timezone: string, now: Date) => {
  const today = localDateOf(now, timezone);
  if (pollDate < today) {
    throw new ValidationError([
      { path: 'pollDate', message: `pollDate must be today or later (today is ${today})` },
    ]);
  }
};

const layOut = (
  input: {
    election: Campaign['election'];
    nation: Campaign['nation'];
    pollDate: string;
    nonWorkingDays: string[];
  },
  playbookId: string,
  timezone: string,
) => {
  const playbook = getPlaybook(playbookId);
  if (!playbook) throw new ValidationError([{ path: 'playbook', message: 'playbook is not known' }]);
  try {
    return layOutTimeline(playbook, { ...input, timezone });
  } catch (error) {
    // Named as the campaign core names it: one issue on the field at fault.
    if (error instanceof TimetableInputError) throw new ValidationError([error.toIssue()]);
    throw error;
  }
};

const fromPlan = (entry: ReturnType<typeof planSteps>[number]): PlannedStep => ({
  key: entry.laid.key,
  title: entry.laid.title,
  roles: entry.laid.roles,
  sendAt: entry.plan.sendAt ?? entry.laid.sendAt,
  outcome: entry.plan.status === 'skipped' ? 'skipped' : entry.plan.late ? 'late' : 'scheduled',
  ...(entry.plan.late ? { plannedSendAt: entry.plan.late.plannedSendAt } : {}),
  ...(entry.plan.skipReason ? { skipReason: entry.plan.skipReason } : {}),
});

/** A new campaign's timetable and reminders, as createCampaign would lay them out now. */
export const planNewCampaign = (input: CreateCampaignInput, now: Date): CampaignPlan => {
  const timezone = input.timezone ?? 'Europe/London';
  assertNotPast(input.pollDate, timezone, now);
  const laidOut = layOut(
    {
      election: input.election ?? 'local',
      nation: input.nation,
      pollDate: input.pollDate,
      nonWorkingDays: [...new Set(input.nonWorkingDays ?? [])].sort(),
    },
    input.playbook ?? DEFAULT_PLAYBOOK_ID,
    timezone,
  );
  return { milestones: laidOut.milestones, steps: planSteps(laidOut.steps, now, timezone).map(fromPlan) };
};

/**
 * A change's timetable and reminders: steps that have fired (or were cancelled) stay as they are,
 * the rest are planned again from the new timetable, as updateCampaign does.
 */
export const planCampaignChange = (
  campaign: Campaign,
  input: UpdateCampaignInput,
  now: Date,
): CampaignPlan => {
  const pollDate = input.pollDate ?? campaign.pollDate;
  if (input.pollDate === undefined && input.nonWorkingDays === undefined) {
    return {
      milestones: campaign.milestones,
      steps: campaign.steps.map((step) => ({
        key: step.key,
        title: step.title,
        roles: step.roles,
        sendAt: step.sendAt,
        outcome: 'unchanged',
        status: step.status,
      })),
    };
  }
  if (input.pollDate) assertNotPast(pollDate, campaign.timezone, now);
  const laidOut = layOut(
    {
      election: campaign.election,
      nation: campaign.nation,
      pollDate,
      nonWorkingDays: [...new Set(input.nonWorkingDays ?? campaign.nonWorkingDays)].sort(),
    },
    campaign.playbook,
    campaign.timezone,
  );
  const fixed = new Map(
    campaign.steps
      .filter((step) => FIRED_STATUSES.includes(step.status) || step.status === 'cancelled')
      .map((step) => [step.key, step]),
  );
  const before = new Map(campaign.steps.map((step) => [step.key, step]));
  const planned = new Map(
    planSteps(
      laidOut.steps.filter((laid) => !fixed.has(laid.key) && before.has(laid.key)),
      now,
      campaign.timezone,
    ).map((entry) => [entry.laid.key, fromPlan(entry)]),
  );
  const steps = campaign.steps
    .map((step): PlannedStep => {
      const next = planned.get(step.key);
      if (!next) {
        return {
          key: step.key,
          title: step.title,
          roles: step.roles,
          sendAt: step.sendAt,
          outcome: 'unchanged',
          status: step.status,
        };
      }
      return next.sendAt === step.sendAt ? next : { ...next, previousSendAt: step.sendAt };
    })
    .sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt));
  return { milestones: laidOut.milestones, steps };
};
