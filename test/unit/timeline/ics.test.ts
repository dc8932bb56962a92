import { describe, expect, it } from 'vitest';
import { getPlaybook } from '../../../functions/lib/playbooks/index';
import { escapeIcsText, foldIcsLine, renderTimelineIcs } from '../../../functions/lib/timeline/ics';
import { layOutTimeline, type TimelineStep } from '../../../functions/lib/timeline/lay-out';

const NOW = new Date('2027-03-01T12:34:56.789Z');

const laidOut = () => {
  const playbook = getPlaybook('uk-election-security');
  if (!playbook) throw new Error('default playbook missing');
  return layOutTimeline(playbook, { election: 'local', nation: 'england', pollDate: '2027-05-06' });
};
const defaultSteps = (): TimelineStep[] => laidOut().steps;

const render = (overrides: Partial<Parameters<typeof renderTimelineIcs>[0]> = {}) =>
  renderTimelineIcs({
    campaignId: 'camp-123',
    campaignName: 'Anytown council 2027',
    role: 'candidate',
    steps: defaultSteps(),
    now: NOW,
    ...overrides,
  });

/** RFC 5545 unfolding: a CRLF followed by one space or tab joins the lines. */
const unfold = (ics: string): string[] =>
  ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((line) => line !== '');

describe('renderTimelineIcs', () => {
  it('ends every line with CRLF and has no bare LF or CR', () => {
    const ics = render();

    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('wraps the events in a publishable Gregorian VCALENDAR 2.0', () => {
    const lines = unfold(render());

    expect(lines.slice(0, 5)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//election-security-reminders//Timeline//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
    ]);
    expect(lines.at(-1)).toBe('END:VCALENDAR');
  });

  it("includes only the role's steps, one VEVENT each", () => {
    const forCandidate = unfold(render({ role: 'candidate' }));
    const forStaff = unfold(render({ role: 'election-staff' }));

    expect(forCandidate.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(9);
    expect(forStaff.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(8);
    expect(forCandidate).toContain('UID:camp-123-secure-accounts@election-security-reminders');
    expect(forCandidate).not.toContain('UID:camp-123-after-the-count@election-security-reminders');
    expect(forStaff).toContain('UID:camp-123-after-the-count@election-security-reminders');
  });

  it('writes a stable UID, DTSTAMP, UTC DTSTART, 15-minute DURATION and the title as SUMMARY', () => {
    const lines = unfold(render());
    const start = lines.indexOf('UID:camp-123-lock-down-profiles@election-security-reminders') - 1;
    const event = lines.slice(start, lines.indexOf('END:VEVENT', start) + 1);

    expect(event).toEqual([
      'BEGIN:VEVENT',
      'UID:camp-123-lock-down-profiles@election-security-reminders',
      'DTSTAMP:20270301T123456Z',
      'DTSTART:20270401T080000Z', // 09:00 BST
      'DURATION:PT15M',
      'SUMMARY:Lock down your social media and home address',
      'DESCRIPTION:Election security reminder for Anytown council 2027: Lock down your social media and home address. We email you the guidance at this time.',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]);
  });

  it('gives the same output for the same input, so calendar clients see no spurious changes', () => {
    expect(render()).toBe(render());
  });

  it('folds lines at 75 octets without splitting multi-byte characters', () => {
    const campaignName = `Ynys Môn – Cyngor Sir ✓ ${'très long nom '.repeat(8)}`;

    const ics = render({ campaignName });

    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    expect(unfold(ics)).toContain(`X-WR-CALNAME:${campaignName}: election security reminders`);
  });

  it('escapes commas, semicolons, backslashes and newlines in TEXT values', () => {
    const steps = defaultSteps().map((step) =>
      step.key === 'secure-accounts' ? { ...step, title: 'Passwords, 2FA; backups\\keys\nnow' } : step,
    );

    const lines = unfold(render({ steps, campaignName: 'Smith, Jones; Co' }));

    expect(lines).toContain('SUMMARY:Passwords\\, 2FA\\; backups\\\\keys\\nnow');
    expect(lines).toContain('X-WR-CALNAME:Smith\\, Jones\\; Co: election security reminders');
  });

  it('adds the milestones that matter to the role: polling day from 07:00 to 22:00', () => {
    const milestones = laidOut().milestones;
    const candidate = unfold(render({ milestones }));
    const pollingStaff = unfold(render({ milestones, role: 'polling-staff' }));
    const start = candidate.indexOf('UID:camp-123-polling-day@election-security-reminders');

    expect(candidate.slice(start + 2, start + 4)).toEqual([
      'DTSTART:20270506T060000Z',
      'DTEND:20270506T210000Z',
    ]);
    expect(candidate).toContain('UID:camp-123-close-of-nominations@election-security-reminders');
    expect(candidate).toContain('UID:camp-123-postal-vote-deadline@election-security-reminders');
    expect(candidate).not.toContain('UID:camp-123-vac-deadline@election-security-reminders');
    expect(pollingStaff).toContain('UID:camp-123-polling-day@election-security-reminders');
    expect(pollingStaff).not.toContain('UID:camp-123-close-of-nominations@election-security-reminders');
  });

  it('renders an empty calendar when no step targets the role', () => {
    const steps = defaultSteps().filter((step) => step.roles.includes('candidate'));

    const lines = unfold(render({ role: 'returning-officer', steps }));

    expect(lines).not.toContain('BEGIN:VEVENT');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
  });
});

describe('escapeIcsText', () => {
  it('escapes backslash first so other escapes are not doubled', () => {
    expect(escapeIcsText('a\\b,c;d\r\ne')).toBe('a\\\\b\\,c\\;d\\ne');
  });
});

describe('foldIcsLine', () => {
  it('leaves a line of exactly 75 octets alone and folds the 76th onto a space-led line', () => {
    expect(foldIcsLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldIcsLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
  });
});
