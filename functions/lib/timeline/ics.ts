import { DateTime } from 'luxon';
import type { Role } from '../domain/roles';
import type { Milestone, MilestoneKey } from '../timetable/timetable';
import type { TimelineStep } from './lay-out';

/** Hand-written RFC 5545 output: small enough to test fully, so no calendar dependency. */

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;
const PRODID = '-//election-security-reminders//Timeline//EN';
const UID_DOMAIN = 'election-security-reminders';

export interface RenderTimelineIcsInput {
  campaignId: string;
  campaignName: string;
  role: Role;
  steps: readonly TimelineStep[];
  /** The statutory timetable; the milestones that matter to the role become events too. */
  milestones?: readonly Milestone[];
  /** The zone the milestones' local times are in. */
  timezone?: string;
  now: Date;
}

/**
 * The deadlines each role works to: candidates and agents the close of nominations and the postal
 * vote deadline (their voters' deadline); officials the same; polling staff only polling day.
 */
const ROLE_MILESTONES: Record<Role, readonly MilestoneKey[]> = {
  candidate: ['close-of-nominations', 'postal-vote-deadline', 'polling-day'],
  agent: ['close-of-nominations', 'postal-vote-deadline', 'polling-day'],
  'returning-officer': ['close-of-nominations', 'postal-vote-deadline', 'polling-day'],
  'election-staff': ['close-of-nominations', 'postal-vote-deadline', 'polling-day'],
  'polling-staff': ['polling-day'],
};

/** TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, and newlines as \n. */
export const escapeIcsText = (value: string): string =>
  value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

/**
 * Folds a content line so no physical line exceeds 75 octets (RFC 5545 3.1); continuation lines
 * start with a space, which counts towards their 75. Never splits a UTF-8 character.
 */
export const foldIcsLine = (line: string): string => {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
};

/** 2027-03-26T09:00:00.000Z → 20270326T090000Z (UTC "form #2" date-time). */
const icsUtc = (epochMs: number): string =>
  new Date(epochMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

const eventLines = (input: RenderTimelineIcsInput, step: TimelineStep, dtstamp: string): string[] => [
  'BEGIN:VEVENT',
  `UID:${escapeIcsText(`${input.campaignId}-${step.key}@${UID_DOMAIN}`)}`,
  `DTSTAMP:${dtstamp}`,
  `DTSTART:${icsUtc(step.epochMs)}`,
  'DURATION:PT15M',
  `SUMMARY:${escapeIcsText(step.title)}`,
  `DESCRIPTION:${escapeIcsText(
    `Election security reminder for ${input.campaignName}: ${step.title}. We email you the guidance at this time.`,
  )}`,
  // A reminder, not a meeting: don't block the time in the person's calendar.
  'TRANSP:TRANSPARENT',
  'END:VEVENT',
];

const milestoneInstant = (date: string, time: string, timezone: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: timezone }).toMillis();

/** A milestone as an event: from its time (to its end time, as polling day 07:00–22:00), opaque. */
const milestoneLines = (
  input: RenderTimelineIcsInput,
  milestone: Milestone,
  dtstamp: string,
  timezone: string,
): string[] => {
  const start = milestoneInstant(milestone.date, milestone.time ?? '09:00', timezone);
  const end = milestone.endTime ? milestoneInstant(milestone.date, milestone.endTime, timezone) : start;
  return [
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(`${input.campaignId}-${milestone.key}@${UID_DOMAIN}`)}`,
    `DTSTAMP:${dtstamp}`,
    `DTSTART:${icsUtc(start)}`,
    end > start ? `DTEND:${icsUtc(end)}` : 'DURATION:PT15M',
    `SUMMARY:${escapeIcsText(milestone.label)}`,
    `DESCRIPTION:${escapeIcsText(`${milestone.label}, from the statutory timetable for ${input.campaignName}.`)}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
};

/**
 * An iCalendar feed of the steps that target the role (one VEVENT each) and the milestones that
 * matter to it, CRLF line ends.
 */
export const renderTimelineIcs = (input: RenderTimelineIcsInput): string => {
  const dtstamp = icsUtc(input.now.getTime());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(`${input.campaignName}: election security reminders`)}`,
    ...(input.milestones ?? [])
      .filter((milestone) => ROLE_MILESTONES[input.role].includes(milestone.key) && milestone.time !== null)
      .flatMap((milestone) => milestoneLines(input, milestone, dtstamp, input.timezone ?? 'Europe/London')),
    ...input.steps
      .filter((step) => step.roles.includes(input.role))
      .flatMap((step) => eventLines(input, step, dtstamp)),
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
};
