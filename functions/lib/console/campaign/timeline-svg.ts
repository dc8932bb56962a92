import { DateTime } from 'luxon';
import type { Campaign, CampaignStep } from '../../campaigns/model';
import { byTimelineOrder } from '../../campaigns/model';
import { zonedSendAt } from '../../timeline/send-time';
import type { Milestone } from '../../timetable/timetable';

/**
 * The campaign's timeline as a picture: the statutory milestones and every step on one date axis,
 * each step a numbered disc coloured by its status (the numbers match the table under the picture,
 * which is the text alternative), and today marked. Pure: the same campaign and instant give the
 * same SVG, laid out by `timelineLayout` so tests can check positions without parsing markup.
 */

/** What an admin needs to tell apart; `due` (dispatch accepted it) reads as sending. */
export const DISPLAY_STATUSES = ['scheduled', 'late', 'sending', 'sent', 'skipped', 'cancelled'] as const;
export type DisplayStatus = (typeof DISPLAY_STATUSES)[number];

export const displayStatus = (step: Pick<CampaignStep, 'status' | 'late'>): DisplayStatus => {
  switch (step.status) {
    case 'scheduled':
      return step.late ? 'late' : 'scheduled';
    case 'due':
    case 'sending':
      return 'sending';
    default:
      return step.status;
  }
};

/**
 * GOV.UK Design System colours. The number on each disc is white or black, whichever has at least
 * 4.5:1 contrast with the fill.
 */
export const STATUS_STYLES: Record<DisplayStatus, { fill: string; text: string; label: string }> = {
  scheduled: { fill: '#1d70b8', text: '#ffffff', label: 'Scheduled' },
  late: { fill: '#4c2c92', text: '#ffffff', label: 'Late: going at once' },
  sending: { fill: '#f47738', text: '#0b0c0c', label: 'Sending' },
  sent: { fill: '#00703c', text: '#ffffff', label: 'Sent' },
  skipped: { fill: '#b1b4b6', text: '#0b0c0c', label: 'Skipped' },
  cancelled: { fill: '#d4351c', text: '#ffffff', label: 'Cancelled' },
};

export const SVG_WIDTH = 960;
const MARGIN_X = 24;
const TOP = 20;
const ROW_HEIGHT = 18;
const LABEL_FONT = 13;
/** A rough width per character at 13 px in a system sans-serif: enough to keep labels apart. */
const CHAR_WIDTH = 6.8;
const DISC_RADIUS = 11;
const DISC_GAP = 2 * DISC_RADIUS + 3;
const DAY_MS = 86_400_000;

export interface LaidOutMilestone {
  key: string;
  label: string;
  date: string;
  x: number;
  /** The label's baseline. */
  labelY: number;
  labelAnchor: 'start' | 'end';
}

export interface LaidOutStep {
  key: string;
  /** 1-based, in timeline order: the number on the disc and in the table. */
  number: number;
  title: string;
  status: DisplayStatus;
  sendAt: string;
  x: number;
  y: number;
  fill: string;
}

export interface TimelineLayout {
  width: number;
  height: number;
  axisY: number;
  startMs: number;
  endMs: number;
  ticks: { x: number; label: string }[];
  milestones: LaidOutMilestone[];
  steps: LaidOutStep[];
  /** Where today falls, or where it lies off the axis. */
  today: { x: number; date: string; position: 'within' | 'before' | 'after' };
}

type TimelineCampaign = Pick<Campaign, 'steps' | 'timezone'>;

/** Short names for the picture; the table under it gives each milestone's full wording. */
export const MILESTONE_SHORT_LABELS: Partial<Record<Milestone['key'], string>> = {
  'notice-of-election': 'Notice of election',
  'close-of-nominations': 'Close of nominations',
  'sopn-published': 'Candidates published',
  'registration-deadline': 'Registration deadline',
  'postal-vote-deadline': 'Postal vote deadline',
  'vac-deadline': 'Voter ID deadline',
  'polling-day': 'Polling day',
};

const milestoneMs = (milestone: Milestone, timezone: string) =>
  zonedSendAt(milestone.date, milestone.time ?? '12:00', timezone).epochMs;

export const timelineLayout = (
  campaign: TimelineCampaign,
  milestones: readonly Milestone[],
  now: Date,
): TimelineLayout => {
  const zone = campaign.timezone;
  const steps = [...campaign.steps].sort(byTimelineOrder);
  const points = [...milestones.map((m) => milestoneMs(m, zone)), ...steps.map((s) => s.epochMs)];
  const nowMs = now.getTime();
  const first = points.length > 0 ? Math.min(...points) : nowMs;
  const last = points.length > 0 ? Math.max(...points) : nowMs;
  // Two days either side, so a disc on the first or last day is not cut by the edge.
  const startMs = first - 2 * DAY_MS;
  const endMs = Math.max(last + 2 * DAY_MS, startMs + DAY_MS);
  const span = SVG_WIDTH - 2 * MARGIN_X;
  const xOf = (ms: number) => round(MARGIN_X + ((ms - startMs) / (endMs - startMs)) * span);

  // Milestone labels stacked in rows above the axis, each in the first row where it fits.
  const rowEnds: number[] = [];
  const placed = [...milestones]
    .map((milestone) => ({ milestone, ms: milestoneMs(milestone, zone) }))
    .sort((a, b) => a.ms - b.ms)
    .map(({ milestone, ms }) => {
      const x = xOf(ms);
      const label = `${MILESTONE_SHORT_LABELS[milestone.key] ?? milestone.label} (${shortDate(milestone.date)})`;
      const width = label.length * CHAR_WIDTH;
      // Labels read to the right of their line unless they would run off the picture.
      const anchor: 'start' | 'end' = x + 4 + width > SVG_WIDTH - 4 ? 'end' : 'start';
      const from = anchor === 'start' ? x + 4 : x - 4 - width;
      const to = anchor === 'start' ? x + 4 + width : x - 4;
      let row = rowEnds.findIndex((end) => end + 8 < from);
      if (row === -1) {
        row = rowEnds.length;
        rowEnds.push(to);
      } else {
        rowEnds[row] = to;
      }
      return { milestone, x, row, anchor };
    });
  const rows = Math.max(rowEnds.length, 1);
  const axisY = TOP + rows * ROW_HEIGHT + 14;

  const laidOutMilestones: LaidOutMilestone[] = placed.map(({ milestone, x, row, anchor }) => ({
    key: milestone.key,
    label: MILESTONE_SHORT_LABELS[milestone.key] ?? milestone.label,
    date: milestone.date,
    x,
    labelY: TOP + row * ROW_HEIGHT + 12,
    labelAnchor: anchor,
  }));

  // Steps as discs under the axis; discs that would overlap go a level lower.
  const levelEnds: number[] = [];
  const laidOutSteps: LaidOutStep[] = steps.map((step, index) => {
    const x = xOf(step.epochMs);
    let level = levelEnds.findIndex((end) => x - end >= DISC_GAP);
    if (level === -1) {
      level = levelEnds.length;
      levelEnds.push(x);
    } else {
      levelEnds[level] = x;
    }
    const status = displayStatus(step);
    return {
      key: step.key,
      number: index + 1,
      title: step.title,
      status,
      sendAt: step.sendAt,
      x,
      y: axisY + 24 + level * DISC_GAP,
      fill: STATUS_STYLES[status].fill,
    };
  });
  const lowest = laidOutSteps.reduce((max, step) => Math.max(max, step.y), axisY);
  const height = lowest + DISC_RADIUS + 34;

  const todayDate = DateTime.fromMillis(nowMs, { zone }).toISODate() ?? '';
  const position = nowMs < startMs ? 'before' : nowMs > endMs ? 'after' : 'within';
  const today = {
    x: position === 'before' ? MARGIN_X : position === 'after' ? SVG_WIDTH - MARGIN_X : xOf(nowMs),
    date: todayDate,
    position,
  } as const;

  return {
    width: SVG_WIDTH,
    height,
    axisY,
    startMs,
    endMs,
    ticks: monthTicks(startMs, endMs, zone).map((tick) => ({ x: xOf(tick.ms), label: tick.label })),
    milestones: laidOutMilestones,
    steps: laidOutSteps,
    today,
  };
};

/** The first of each month within the axis, labelled "1 Apr". */
const monthTicks = (startMs: number, endMs: number, zone: string) => {
  const ticks: { ms: number; label: string }[] = [];
  let month = DateTime.fromMillis(startMs, { zone }).startOf('month').plus({ months: 1 });
  while (month.toMillis() <= endMs) {
    ticks.push({ ms: month.toMillis(), label: month.setLocale('en-GB').toFormat('d LLL') });
    month = month.plus({ months: 1 });
  }
  return ticks;
};

const round = (value: number) => Math.round(value * 10) / 10;

/** "2027-04-08" → "8 Apr". */
export const shortDate = (isoDate: string): string =>
  DateTime.fromISO(isoDate).setLocale('en-GB').toFormat('d LLL');

/** "2027-04-08" → "8 April 2027". */
const mediumDate = (isoDate: string): string =>
  DateTime.fromISO(isoDate).setLocale('en-GB').toFormat('d LLLL yyyy');

/** "2027-04-08T16:30:00+01:00" → "8 Apr 16:30". */
export const shortDateTime = (local: string): string =>
  DateTime.fromISO(local, { setZone: true }).setLocale('en-GB').toFormat('d LLL HH:mm');

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const esc = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);

/** A sentence summing the picture up, for its <desc>. */
export const timelineDescription = (layout: TimelineLayout): string => {
  const counts = DISPLAY_STATUSES.map((status) => ({
    status,
    n: layout.steps.filter((step) => step.status === status).length,
  }))
    .filter(({ n }) => n > 0)
    .map(({ status, n }) => `${n} ${STATUS_STYLES[status].label.toLowerCase()}`);
  const first = layout.steps[0];
  const last = layout.steps.at(-1);
  const range =
    first && last
      ? ` from ${mediumDate(first.sendAt.slice(0, 10))} to ${mediumDate(last.sendAt.slice(0, 10))}`
      : '';
  const today =
    layout.today.position === 'within'
      ? `Today, ${mediumDate(layout.today.date)}, is marked.`
      : `Today, ${mediumDate(layout.today.date)}, is ${layout.today.position} the dates shown.`;
  return (
    `${layout.milestones.length} statutory milestones and ${layout.steps.length} reminders${range}` +
    `${counts.length > 0 ? `: ${counts.join(', ')}` : ''}. ${today} The table below lists every reminder.`
  );
};

/**
 * The SVG markup. Its accessible name and description come from <title> and <desc>; each disc also
 * has a <title> (a tooltip naming the step, its time and status) for sighted mouse users.
 */
export const timelineSvg = (
  campaign: TimelineCampaign,
  milestones: readonly Milestone[],
  now: Date,
): string => {
  const layout = timelineLayout(campaign, milestones, now);
  const { width, height, axisY } = layout;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="esr-timeline" viewBox="0 0 ${width} ${height}" ` +
      `role="img" aria-labelledby="timeline-title timeline-desc" font-family="system-ui, sans-serif">`,
    `<title id="timeline-title">Timeline of reminders and statutory milestones</title>`,
    `<desc id="timeline-desc">${esc(timelineDescription(layout))}</desc>`,
  );
  // The axis and month ticks.
  parts.push(
    `<line x1="${MARGIN_X}" y1="${axisY}" x2="${width - MARGIN_X}" y2="${axisY}" stroke="#0b0c0c" stroke-width="2"/>`,
  );
  for (const tick of layout.ticks) {
    parts.push(
      `<g class="esr-timeline__tick"><line x1="${tick.x}" y1="${axisY - 5}" x2="${tick.x}" y2="${axisY + 5}" stroke="#0b0c0c"/>` +
        `<text x="${tick.x}" y="${height - 8}" font-size="12" text-anchor="middle" fill="#505a5f">${esc(tick.label)}</text></g>`,
    );
  }
  // Today first, so the milestones' labels (with a white halo) stay readable across its line.
  const today = layout.today;
  const todayLabel =
    today.position === 'within'
      ? 'Today'
      : today.position === 'before'
        ? 'Today is earlier →'
        : '← Today is later';
  const todayAnchor = today.position === 'after' ? 'end' : today.position === 'before' ? 'start' : 'middle';
  parts.push(
    `<g class="esr-timeline__today" data-today="${today.date}" data-position="${today.position}">` +
      (today.position === 'within'
        ? `<line x1="${today.x}" y1="${TOP - 6}" x2="${today.x}" y2="${height - 24}" stroke="#0b0c0c" stroke-width="3"/>`
        : '') +
      `<text x="${today.x}" y="${TOP - 8}" font-size="12" font-weight="bold" text-anchor="${todayAnchor}" fill="#0b0c0c">${todayLabel}</text></g>`,
  );
  // Milestones: a dashed line from the label down to a diamond on the axis.
  for (const milestone of layout.milestones) {
    const { x, labelY } = milestone;
    const labelX = milestone.labelAnchor === 'start' ? x + 4 : x - 4;
    parts.push(
      `<g class="esr-timeline__milestone" data-milestone="${esc(milestone.key)}">` +
        `<line x1="${x}" y1="${labelY - 10}" x2="${x}" y2="${axisY}" stroke="#505a5f" stroke-dasharray="3 3"/>` +
        `<path d="M ${x} ${axisY - 6} L ${x + 6} ${axisY} L ${x} ${axisY + 6} L ${x - 6} ${axisY} Z" fill="#0b0c0c"/>` +
        `<text x="${labelX}" y="${labelY}" font-size="${LABEL_FONT}" text-anchor="${milestone.labelAnchor}" fill="#0b0c0c" stroke="#ffffff" stroke-width="4" paint-order="stroke">` +
        `${esc(milestone.label)} (${esc(shortDate(milestone.date))})</text></g>`,
    );
  }
  // Steps: numbered discs.
  for (const step of layout.steps) {
    const style = STATUS_STYLES[step.status];
    parts.push(
      `<g class="esr-timeline__step" data-step="${esc(step.key)}" data-status="${step.status}">` +
        `<title>${step.number}. ${esc(step.title)}: ${esc(shortDateTime(step.sendAt))}, ${esc(style.label.toLowerCase())}</title>` +
        `<line x1="${step.x}" y1="${axisY}" x2="${step.x}" y2="${step.y - DISC_RADIUS}" stroke="#b1b4b6"/>` +
        `<circle cx="${step.x}" cy="${step.y}" r="${DISC_RADIUS}" fill="${style.fill}" stroke="#0b0c0c" stroke-width="1"/>` +
        `<text x="${step.x}" y="${step.y + 4}" font-size="11" font-weight="bold" text-anchor="middle" fill="${style.text}">${step.number}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
};
