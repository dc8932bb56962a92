import type { Audience, Role } from '../domain/roles';
import type { Playbook, PlaybookStep, StepAnchor, StepOffset } from '../playbooks/schema';
import {
  computeTimetable,
  type Milestone,
  type MilestoneKey,
  type TimetableInput,
  timetableCalendar,
} from '../timetable/timetable';
import { addCalendarDays, isIsoDate } from './dates';
import { isValidTimeZone, UnknownTimeZoneError, zonedSendAt } from './send-time';

export { InvalidPollDateError } from '../timetable/errors';

export interface LayOutOptions extends TimetableInput {
  timezone?: string;
}

export interface TimelineStep {
  key: string;
  title: string;
  roles: Role[];
  templates: Partial<Record<Audience, string>>;
  /** The milestone the step is timed from, and how far from it. */
  milestone: MilestoneKey;
  offset: StepOffset;
  /** Local calendar date of the send, YYYY-MM-DD. */
  date: string;
  /** ISO 8601 with the local offset, e.g. 2027-03-29T09:00:00+01:00. */
  sendAt: string;
  /** The same instant in UTC, e.g. 2027-03-29T08:00:00Z. */
  sendAtUtc: string;
  epochMs: number;
  /** The last moment the step is still worth sending (local ISO 8601), and its instant. */
  until: string;
  untilMs: number;
}

export interface LaidOutTimeline {
  milestones: Milestone[];
  steps: TimelineStep[];
}

/** True only for a real date written exactly as YYYY-MM-DD. */
export const isValidPollDate = (value: unknown): value is string =>
  typeof value === 'string' && isIsoDate(value);

const anchorOf = (step: PlaybookStep, options: TimetableInput): StepAnchor =>
  step.atFor?.[options.election] ?? step.at;

const appliesTo = (step: PlaybookStep, options: TimetableInput) =>
  !step.elections || step.elections.includes(options.election);

/**
 * The statutory milestones of the election and the send instant of every playbook step that applies to
 * it, earliest first (ties keep playbook order). Working-day offsets count in the election's own
 * timetable calendar. Throws UnknownTimeZoneError, or the timetable's TimetableInputError naming the
 * field at fault (a bad poll date, a pair that does not exist, a year without bank-holiday data).
 */
export const layOutTimeline = (playbook: Playbook, options: LayOutOptions): LaidOutTimeline => {
  const { timezone = 'Europe/London', ...input } = options;
  if (!isValidTimeZone(timezone)) throw new UnknownTimeZoneError(timezone);
  const milestones = computeTimetable(input);
  const dateOf = new Map(milestones.map((milestone) => [milestone.key, milestone.date]));
  const calendar = timetableCalendar(input);
  const milestoneDate = (key: MilestoneKey, stepKey: string) => {
    const date = dateOf.get(key);
    if (!date) throw new Error(`Step "${stepKey}" is timed from ${key}, which this election does not have`);
    return date;
  };

  const steps = playbook.steps
    .filter((step) => appliesTo(step, input))
    .map((step): TimelineStep => {
      const anchor = anchorOf(step, input);
      const from = milestoneDate(anchor.milestone, step.key);
      const date =
        anchor.offset.unit === 'working'
          ? calendar.addWorkingDays(from, anchor.offset.days)
          : addCalendarDays(from, anchor.offset.days);
      const at = zonedSendAt(date, anchor.time, timezone);
      const until = zonedSendAt(
        addCalendarDays(milestoneDate(step.until.milestone, step.key), step.until.days),
        step.until.time,
        timezone,
      );
      return {
        key: step.key,
        title: step.title,
        roles: [...step.roles],
        templates: { ...step.templates },
        milestone: anchor.milestone,
        offset: { ...anchor.offset },
        date,
        sendAt: at.local,
        sendAtUtc: at.utc,
        epochMs: at.epochMs,
        until: until.local,
        untilMs: until.epochMs,
      };
    });
  // Array.prototype.sort is stable, so equal instants stay in playbook order.
  return { milestones, steps: steps.sort((a, b) => a.epochMs - b.epochMs) };
};
