import type { Role } from '../domain/roles.js';
import type { TimelineStep } from './lay-out.js';

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
  now: Date;
}

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

/** An iCalendar feed of the steps that target the role (one VEVENT each), CRLF line ends. */
export const renderTimelineIcs = (input: RenderTimelineIcsInput): string => {
  const dtstamp = icsUtc(input.now.getTime());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(`${input.campaignName}: election security reminders`)}`,
    ...input.steps
      .filter((step) => step.roles.includes(input.role))
      .flatMap((step) => eventLines(input, step, dtstamp)),
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
};
