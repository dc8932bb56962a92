import type { AdminIdentity } from '../admins/model';
import { recordAudit } from '../audit/audit';
import type { AuditEntry, AuditLog } from '../audit/ports';
import type { Clock } from '../clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { DEFAULT_PLAYBOOK_ID, getPlaybook, type Playbook } from '../playbooks/index';
import { localDateOf } from '../timeline/dates';
import {
  type LaidOutTimeline,
  type LayOutOptions,
  layOutTimeline,
  type TimelineStep,
} from '../timeline/lay-out';
import { UnknownTimeZoneError, zonedInstant } from '../timeline/send-time';
import { TimetableInputError } from '../timetable/errors';
import { CampaignVersionConflictError, SchedulingFailedError } from './errors';
import { isCampaignId, newCampaignId, scheduleNameFor, stepIdFor } from './ids';
import { byTimelineOrder, type Campaign, type CampaignStep, FIRED_STATUSES } from './model';
import type { CampaignRepository, ReminderSchedule, ReminderScheduler } from './ports';
import type { CreateCampaignInput, UpdateCampaignInput } from './schema';

/**
 * Campaign use cases: create, reschedule, cancel. Plain functions over narrow ports.
 *
 * Ordering, so a failure half-way never sends a reminder twice or at the wrong time:
 *  - create schedules first and stores the campaign after; if either fails, the schedules made so
 *    far are removed (best effort) and nothing is saved. A schedule whose campaign was never saved
 *    fires into dispatch, which finds no campaign and does nothing.
 *  - reschedule and cancel store the new state first (a conditional write on the campaign version,
 *    retried on a race), then bring the schedules in line. Every schedule carries its step's version,
 *    and dispatch acts only on the current version of a `scheduled` step, so a schedule left behind
 *    by a failure does nothing. Running the same reschedule or cancel again finishes the job: a
 *    reschedule re-applies every pending step's schedule, a cancel removes them all again.
 */

export interface CampaignDeps {
  campaigns: CampaignRepository;
  scheduler: ReminderScheduler;
  clock: Clock;
  /** Where admin actions are written down; the admin API always passes it. */
  audit?: AuditLog;
  newId?: () => string;
  /** Playbook lookup; tests pass their own playbooks. */
  playbooks?: (id: string) => Playbook | undefined;
}

/**
 * A step due sooner than this is sent late rather than at its time: Scheduler wants a time in the
 * future, and a reminder due within the minute would race its own creation.
 */
const MIN_LEAD_MS = 60_000;
/** Late steps go this far apart, in timeline order, so they arrive in the order they were meant to. */
const LATE_SPACING_MS = 60_000;
const MAX_WRITE_ATTEMPTS = 3;
const SCHEDULER_CONCURRENCY = 4;

/** A step a reschedule moved: from when to when, and its status before and after. */
export interface StepMove {
  id: string;
  key: string;
  from: string;
  to: string;
  previousStatus: CampaignStep['status'];
  status: CampaignStep['status'];
}

/**
 * Creates a campaign as a `draft`: its timeline laid out (to preview), nothing scheduled, not offered
 * to the public. A second admin's approval (approveCampaign in ./approvals.ts) schedules it.
 */
export const createCampaign = async (
  deps: CampaignDeps,
  input: CreateCampaignInput,
  author: AdminIdentity,
): Promise<{ campaign: Campaign; skipped: CampaignStep[] }> => {
  assertMayEdit(author);
  const playbookId = input.playbook ?? DEFAULT_PLAYBOOK_ID;
  const playbook = (deps.playbooks ?? getPlaybook)(playbookId);
  if (!playbook) throw new ValidationError([{ path: 'playbook', message: 'playbook is not known' }]);
  const timezone = input.timezone ?? 'Europe/London';
  const election = input.election ?? 'local';
  const nonWorkingDays = [...new Set(input.nonWorkingDays ?? [])].sort();
  const now = deps.clock.now();
  assertPollDateNotPast(input.pollDate, timezone, now);

  const id = (deps.newId ?? newCampaignId)();
  const laidOut = layOut(playbook, {
    election,
    nation: input.nation,
    pollDate: input.pollDate,
    nonWorkingDays,
    timezone,
  });
  const at = now.toISOString();
  const campaign: Campaign = {
    id,
    name: input.name,
    organiser: input.organiser,
    contacts: input.contacts ?? {},
    pollDate: input.pollDate,
    election,
    nation: input.nation,
    nonWorkingDays,
    milestones: laidOut.milestones,
    playbook: playbookId,
    timezone,
    status: 'draft',
    steps: plannedSteps(id, laidOut.steps, now, timezone),
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: author.email,
    authors: [author.email],
  };
  await deps.campaigns.createCampaign(campaign);
  await audit(deps, { actor: author.email, action: 'campaign.created', campaignId: id, at });
  return { campaign, skipped: campaign.steps.filter((step) => step.status === 'skipped') };
};

/** The laid-out steps planned from `now`: at their time, late (at once) or skipped. */
const plannedSteps = (id: string, laid: readonly TimelineStep[], now: Date, timezone: string) =>
  planSteps(laid, now, timezone).map(
    ({ laid, position, plan }): CampaignStep => ({
      id: stepIdFor(id, laid.key),
      ...laid,
      ...plan,
      position,
      version: 1,
      scheduleName: scheduleNameFor(id, laid.key),
    }),
  );

/**
 * Opens an approved draft: lays its timeline out again from now (time has passed since it was
 * drafted), schedules every step first and stores the campaign `open` after, on the draft's version,
 * so an approval of a draft someone changed meanwhile fails (409) and unschedules what it made. A
 * schedule whose campaign is still a draft fires into dispatch, which ignores it.
 */
export const openDraft = async (
  deps: CampaignDeps,
  draft: Campaign,
  approval: { approvedBy: string; approvedAt: string },
): Promise<{ campaign: Campaign; skipped: CampaignStep[] }> => {
  const { scheduler } = deps;
  const playbook = (deps.playbooks ?? getPlaybook)(draft.playbook);
  if (!playbook) throw new Error(`Campaign ${draft.id} uses playbook ${draft.playbook}, which is gone`);
  const now = deps.clock.now();
  assertPollDateNotPast(draft.pollDate, draft.timezone, now);
  const laidOut = layOut(playbook, {
    election: draft.election,
    nation: draft.nation,
    pollDate: draft.pollDate,
    nonWorkingDays: draft.nonWorkingDays,
    timezone: draft.timezone,
  });
  const campaign: Campaign = {
    ...draft,
    status: 'open',
    milestones: laidOut.milestones,
    steps: plannedSteps(draft.id, laidOut.steps, now, draft.timezone),
    version: draft.version + 1,
    updatedAt: now.toISOString(),
    ...approval,
  };
  const scheduled = campaign.steps.filter((step) => step.status === 'scheduled');
  const done: string[] = [];
  try {
    await forEachLimited(scheduled, async (step) => {
      await scheduler.upsert(scheduleFor(campaign, step));
      done.push(step.scheduleName);
    });
    await deps.campaigns.saveCampaign(campaign, draft.version);
  } catch (error) {
    // Undo what was scheduled, so nothing goes out for a campaign that is still a draft.
    await forEachLimited(done, (name) => scheduler.remove(name).catch(() => undefined));
    if (error instanceof SchedulingFailedError) {
      throw new SchedulingFailedError(
        'Could not schedule the reminders, so the campaign is still a draft. Approve it again in a moment.',
        { cause: error },
      );
    }
    if (error instanceof CampaignVersionConflictError) {
      throw new ConflictError(
        'The draft changed while it was being approved. Review it again, then approve it.',
      );
    }
    throw error;
  }
  return { campaign, skipped: campaign.steps.filter((step) => step.status === 'skipped') };
};

export const getCampaign = async (deps: Pick<CampaignDeps, 'campaigns'>, id: string): Promise<Campaign> => {
  const campaign = isCampaignId(id) ? await deps.campaigns.getCampaign(id) : undefined;
  if (!campaign) throw new NotFoundError('There is no campaign with that id.');
  return campaign;
};

export const listCampaigns = async (deps: Pick<CampaignDeps, 'campaigns'>): Promise<Campaign[]> =>
  (await deps.campaigns.listCampaigns()).sort(
    (a, b) => a.pollDate.localeCompare(b.pollDate) || a.createdAt.localeCompare(b.createdAt),
  );

/**
 * Changes a campaign: its organiser and contacts, and its timing. A new poll date, or a new list of
 * one-off non-working days, moves every milestone: steps that fired (due, sending, sent) stay as they
 * are; every other step is laid out again from its milestone: to a new time (its schedule replaced,
 * version bumped), at once if that time has passed but the step is still worth sending, or `skipped`
 * (its schedule removed). Answers with the steps that moved.
 */
export const updateCampaign = async (
  deps: CampaignDeps,
  id: string,
  input: UpdateCampaignInput,
  options: ApplyOptions = {},
): Promise<{ campaign: Campaign; moved: StepMove[] }> => {
  const { scheduler } = deps;
  const retimed = input.pollDate !== undefined || input.nonWorkingDays !== undefined;
  const { campaign, moved, withdrawn } = await withVersionRetries(async () => {
    const found = await getCampaign(deps, id);
    if (found.status !== 'open' && found.status !== 'draft') {
      throw new ConflictError(`Campaign ${id} is ${found.status}; only open campaigns can be changed.`);
    }
    const current = applyOptions(found, options);
    const details: Pick<Campaign, 'organiser' | 'contacts'> = {
      organiser: input.organiser ?? current.organiser,
      contacts: input.contacts ?? current.contacts,
    };
    if (!retimed) {
      const updated: Campaign = {
        ...current,
        ...details,
        version: current.version + 1,
        updatedAt: deps.clock.now().toISOString(),
      };
      await deps.campaigns.saveCampaign(updated, current.version);
      return { campaign: updated, moved: [], withdrawn: [] };
    }
    const now = deps.clock.now();
    const pollDate = input.pollDate ?? current.pollDate;
    const nonWorkingDays = input.nonWorkingDays
      ? [...new Set(input.nonWorkingDays)].sort()
      : current.nonWorkingDays;
    if (input.pollDate) assertPollDateNotPast(pollDate, current.timezone, now);
    const playbook = (deps.playbooks ?? getPlaybook)(current.playbook);
    if (!playbook) throw new Error(`Campaign ${id} uses playbook ${current.playbook}, which is gone`);
    const laidOut = layOut(playbook, {
      election: current.election,
      nation: current.nation,
      pollDate,
      nonWorkingDays,
      timezone: current.timezone,
    });
    // Only steps that can still move take part in planning, so late ones are spaced among themselves.
    const movable = new Set(
      current.steps
        .filter((step) => !FIRED_STATUSES.includes(step.status) && step.status !== 'cancelled')
        .map((step) => step.key),
    );
    const planned = new Map(
      planSteps(
        laidOut.steps.filter((laid) => movable.has(laid.key)),
        now,
        current.timezone,
      ).map((entry) => [entry.laid.key, entry]),
    );
    const positions = new Map(laidOut.steps.map((laid, position) => [laid.key, position]));

    const moves: StepMove[] = [];
    const toWithdraw: string[] = [];
    const steps = current.steps.map((step): CampaignStep => {
      const next = planned.get(step.key);
      // Fired steps stay put; a step the playbook no longer has is left as it is.
      if (!next) return step;
      const position = positions.get(step.key) ?? step.position;
      const { laid, plan } = next;
      const updated: CampaignStep = {
        ...step,
        ...laid,
        late: undefined,
        skipReason: undefined,
        ...plan,
        position,
      };
      if (laid.sendAt === step.sendAt && plan.status === step.status && !plan.late && !step.late) {
        return { ...updated, version: step.version };
      }
      moves.push({
        id: step.id,
        key: step.key,
        from: step.sendAt,
        to: updated.sendAt,
        previousStatus: step.status,
        status: plan.status,
      });
      if (step.status === 'scheduled' && plan.status === 'skipped') toWithdraw.push(step.scheduleName);
      return { ...updated, version: step.version + 1 };
    });
    const updated: Campaign = {
      ...current,
      ...details,
      pollDate,
      nonWorkingDays,
      milestones: laidOut.milestones,
      steps: sortSteps(steps.map(withoutUndefined)),
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    await deps.campaigns.saveCampaign(updated, current.version);
    return { campaign: updated, moved: moves, withdrawn: toWithdraw };
  });

  // A draft has no schedules: its steps are laid out again on approval.
  if (!retimed || campaign.status === 'draft') return { campaign, moved };
  // Re-applies every pending schedule (not only the moved ones), so repeating a request that failed
  // half-way brings the schedules back in line with what is stored.
  const failures = await settleLimited([
    ...campaign.steps
      .filter((step) => step.status === 'scheduled')
      .map((step) => () => scheduler.upsert(scheduleFor(campaign, step))),
    ...withdrawn.map((name) => () => scheduler.remove(name)),
  ]);
  if (failures.length > 0) {
    throw new SchedulingFailedError(
      `Campaign ${id} now has poll date ${campaign.pollDate}, but ${failures.length} schedule(s) could not be updated. ` +
        'Run the same reschedule again to finish.',
      { cause: failures[0] },
    );
  }
  return { campaign, moved };
};

/** Cancels the campaign: every pending step becomes `cancelled` and its schedule is deleted. */
export const cancelCampaign = async (
  deps: CampaignDeps,
  id: string,
  options: ApplyOptions = {},
): Promise<Campaign> => {
  const { scheduler } = deps;
  const campaign = await withVersionRetries(async () => {
    const found = await getCampaign(deps, id);
    // Cancelling again is allowed: it deletes any schedule a failed first attempt left behind.
    if (found.status === 'cancelled') return found;
    if (found.status !== 'open' && found.status !== 'draft') {
      throw new ConflictError(`Campaign ${id} is ${found.status}; only open campaigns can be cancelled.`);
    }
    const current = applyOptions(found, options);
    const now = deps.clock.now().toISOString();
    const updated: Campaign = {
      ...current,
      status: 'cancelled',
      cancelledAt: now,
      updatedAt: now,
      version: current.version + 1,
      steps: current.steps.map((step) =>
        step.status === 'scheduled' ? { ...step, status: 'cancelled', version: step.version + 1 } : step,
      ),
    };
    await deps.campaigns.saveCampaign(updated, current.version);
    return updated;
  });
  const failures = await settleLimited(
    campaign.steps
      .filter((step) => step.status === 'cancelled')
      .map((step) => () => scheduler.remove(step.scheduleName)),
  );
  if (failures.length > 0) {
    throw new SchedulingFailedError(
      `Campaign ${id} is cancelled and nothing more will be sent, but ${failures.length} schedule(s) could not ` +
        'be deleted. Cancel it again to tidy up.',
      { cause: failures[0] },
    );
  }
  return campaign;
};

/**
 * How an approved change is applied: `pendingChangeId` must still be the campaign's pending change
 * (else 409: it was withdrawn or replaced meanwhile) and is cleared in the same write; `author` joins
 * a draft's authors.
 */
export interface ApplyOptions {
  pendingChangeId?: string;
  author?: string;
}

const applyOptions = (campaign: Campaign, options: ApplyOptions): Campaign => {
  if (options.pendingChangeId !== undefined && campaign.pendingChange?.id !== options.pendingChangeId) {
    throw new ConflictError(
      'That change is no longer pending: it was withdrawn, rejected or already approved.',
    );
  }
  const { pendingChange, ...rest } = campaign;
  const kept = options.pendingChangeId !== undefined ? rest : campaign;
  if (!options.author) return kept;
  return { ...kept, authors: [...new Set([...(campaign.authors ?? []), options.author])] };
};

/** Editors and approvers change campaigns; viewers only look. */
export const assertMayEdit = (admin: AdminIdentity) => {
  if (admin.role === 'viewer') {
    throw new ForbiddenError('Your role is viewer: ask an editor or an approver to make this change.');
  }
};

/** Writes an audit entry when the deps have an audit log (the admin API always passes one). */
export const audit = async (
  deps: Pick<CampaignDeps, 'audit'>,
  entry: Omit<AuditEntry, 'at'> & { at?: string },
  clock?: Clock,
) => {
  if (!deps.audit) return;
  await recordAudit(deps.audit, {
    ...entry,
    at: entry.at ?? (clock ?? { now: () => new Date() }).now().toISOString(),
  });
};

/** The schedule for a step: its local wall-clock time in the campaign's zone, ids only. */
export const scheduleFor = (campaign: Campaign, step: CampaignStep): ReminderSchedule => ({
  name: step.scheduleName,
  campaignId: campaign.id,
  stepKey: step.key,
  version: step.version,
  // sendAt is local time with its offset (2027-03-29T09:00:00+01:00): the first 19 characters are the
  // wall clock that `at(...)` wants, read in ScheduleExpressionTimezone, so DST is Scheduler's job.
  localTime: step.sendAt.slice(0, 19),
  timezone: campaign.timezone,
});

type StepPlan = Pick<CampaignStep, 'status' | 'late' | 'skipReason'> &
  Partial<Pick<CampaignStep, 'date' | 'sendAt' | 'sendAtUtc' | 'epochMs'>>;

/**
 * What becomes of each laid-out step (a pure decision): scheduled at its time if that is still ahead;
 * if it has passed but the step is still worth sending, scheduled at once (a minute apart, in
 * timeline order); otherwise skipped, saying why. Nothing is skipped silently.
 */
export const planSteps = (
  laidOut: readonly TimelineStep[],
  now: Date,
  timezone: string,
): { laid: TimelineStep; position: number; plan: StepPlan }[] => {
  const earliest = now.getTime() + MIN_LEAD_MS;
  // Whole minutes: Scheduler's at() is read to the second, and a round time reads better in the view.
  const firstLate = Math.ceil(earliest / 60_000) * 60_000 + LATE_SPACING_MS;
  let late = 0;
  return laidOut.map((laid, position) => {
    const due = laid.epochMs <= earliest;
    // A step due before the last late one would overtake it: it joins the late ones instead.
    const lastLateAt = late > 0 ? firstLate + (late - 1) * LATE_SPACING_MS : 0;
    if (!due && laid.epochMs > lastLateAt) return { laid, position, plan: { status: 'scheduled' } };
    const at = firstLate + late * LATE_SPACING_MS;
    if (laid.untilMs > at) {
      late += 1;
      const instant = zonedInstant(at, timezone);
      return {
        laid,
        position,
        plan: {
          status: 'scheduled',
          late: { plannedSendAt: laid.sendAt },
          date: instant.date,
          sendAt: instant.local,
          sendAtUtc: instant.utc,
          epochMs: instant.epochMs,
        },
      };
    }
    // Not yet due, but it cannot wait its turn: better to overtake than not to send.
    if (!due) return { laid, position, plan: { status: 'scheduled' } };
    return {
      laid,
      position,
      plan: {
        status: 'skipped',
        skipReason: `Its time (${laid.sendAt}) had passed, and it was worth sending only until ${laid.until}.`,
      },
    };
  });
};

/** Drops keys set to undefined, so a stored step does not keep a cleared late or skip reason. */
const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const sortSteps = (steps: CampaignStep[]) => [...steps].sort(byTimelineOrder);

/** Polling day may be today (its later steps still go out) but not in the past, in the campaign's zone. */
const assertPollDateNotPast = (pollDate: string, timezone: string, now: Date) => {
  const today = localDateOf(now, timezone);
  if (pollDate < today) {
    throw new ValidationError([
      { path: 'pollDate', message: `pollDate ${pollDate} is in the past (today is ${today})` },
    ]);
  }
};

/** Lays out the timeline, naming the field at fault for anything the timeline refuses. */
const layOut = (playbook: Playbook, options: LayOutOptions): LaidOutTimeline => {
  try {
    return layOutTimeline(playbook, options);
  } catch (error) {
    if (error instanceof UnknownTimeZoneError) {
      throw new ValidationError([{ path: 'timezone', message: error.message }]);
    }
    // Named among the campaign's other fields (one ValidationError with every issue).
    if (error instanceof TimetableInputError) throw new ValidationError([error.toIssue()]);
    throw error;
  }
};

/** Re-reads and retries when another writer got in first (a dispatch firing, a second admin). */
export const withVersionRetries = async <T>(attempt: () => Promise<T>): Promise<T> => {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof CampaignVersionConflictError)) throw error;
      if (tries >= MAX_WRITE_ATTEMPTS) {
        throw new ConflictError('The campaign kept changing while we were updating it. Try again.');
      }
    }
  }
};

/**
 * Runs the tasks a few at a time (Scheduler's API rate is limited). After a failure no new task
 * starts; it waits for those running, then rejects with the first error, so callers can undo cleanly.
 */
const forEachLimited = async <T>(items: readonly T[], run: (item: T) => Promise<unknown>) => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await run(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SCHEDULER_CONCURRENCY, items.length) }, worker));
  if (failure) throw failure.error;
};

/** Runs every task a few at a time and returns the errors, so one failure doesn't stop the rest. */
const settleLimited = async (tasks: (() => Promise<unknown>)[]): Promise<unknown[]> => {
  const failures: unknown[] = [];
  await forEachLimited(tasks, (task) => task().catch((error: unknown) => failures.push(error)));
  return failures;
};
