import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../../functions/lib/campaigns/campaigns';
import type { Campaign } from '../../../functions/lib/campaigns/model';
import {
  displayStatus,
  STATUS_STYLES,
  SVG_WIDTH,
  timelineLayout,
  timelineSvg,
} from '../../../functions/lib/console/campaign/timeline-svg';
import { makeDeps, ORGANISER } from '../campaigns/fakes';

const input = {
  name: 'Anytown council 2027',
  pollDate: '2027-05-06',
  nation: 'england' as const,
  organiser: ORGANISER,
};

const campaignAt = async (now: string): Promise<Campaign> => {
  const deps = makeDeps(now);
  return (await createCampaign(deps, input, { email: 'editor@anytown.example.org', role: 'editor' }))
    .campaign;
};

/** Sets one step's status, as dispatch and the sender would. */
const withStatus = (
  campaign: Campaign,
  key: string,
  status: Campaign['steps'][number]['status'],
): Campaign => ({
  ...campaign,
  steps: campaign.steps.map((step) => (step.key === key ? { ...step, status } : step)),
});

/** The attributes of every element matching a tag with a data attribute, in document order. */
const groups = (svg: string, kind: 'step' | 'milestone') =>
  [
    ...svg.matchAll(
      new RegExp(`<g class="esr-timeline__${kind}" data-${kind}="([^"]+)"[^>]*>(.*?)</g>`, 'g'),
    ),
  ].map((match) => ({ key: match[1] as string, inner: match[2] as string }));

describe('timelineLayout', () => {
  it('puts every step on the axis in time order, numbered 1..n, x growing with time', async () => {
    const campaign = await campaignAt('2027-03-01T12:00:00Z');
    const layout = timelineLayout(campaign, campaign.milestones, new Date('2027-03-01T12:00:00Z'));

    expect(layout.steps).toHaveLength(campaign.steps.length);
    expect(layout.steps.map((step) => step.number)).toEqual(campaign.steps.map((_, i) => i + 1));
    const epochs = layout.steps.map((step) => Date.parse(step.sendAt));
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
    for (let i = 1; i < layout.steps.length; i++) {
      const [before, after] = [layout.steps[i - 1], layout.steps[i]];
      if (!before || !after) throw new Error('missing step');
      expect(after.x).toBeGreaterThanOrEqual(before.x);
    }
    // Everything lies inside the picture, discs under the axis.
    for (const step of layout.steps) {
      expect(step.x).toBeGreaterThan(0);
      expect(step.x).toBeLessThan(SVG_WIDTH);
      expect(step.y).toBeGreaterThan(layout.axisY);
      expect(step.y).toBeLessThan(layout.height);
    }
  });

  it('never overlaps two discs on the same level', async () => {
    const campaign = await campaignAt('2027-03-01T12:00:00Z');
    const { steps } = timelineLayout(campaign, campaign.milestones, new Date('2027-03-01T12:00:00Z'));
    for (const a of steps) {
      for (const b of steps) {
        if (a === b || a.y !== b.y) continue;
        expect(Math.abs(a.x - b.x), `${a.key} and ${b.key}`).toBeGreaterThanOrEqual(22);
      }
    }
    // Polling day's steps (05:30, 06:00, 18:00) are hours apart: they stack rather than overlap.
    const pollingDay = steps.filter((step) => step.sendAt.startsWith('2027-05-06'));
    expect(pollingDay.length).toBeGreaterThanOrEqual(3);
    expect(new Set(pollingDay.map((step) => step.y)).size).toBe(pollingDay.length);
  });

  it('places the milestones in date order, polling day right of close of nominations, labels apart', async () => {
    const campaign = await campaignAt('2027-03-01T12:00:00Z');
    const layout = timelineLayout(campaign, campaign.milestones, new Date('2027-03-01T12:00:00Z'));
    const x = (key: string) => layout.milestones.find((m) => m.key === key)?.x ?? Number.NaN;

    expect(layout.milestones.map((m) => m.key)).toEqual(
      [...campaign.milestones].sort((a, b) => a.date.localeCompare(b.date)).map((m) => m.key),
    );
    expect(x('notice-of-election')).toBeLessThan(x('close-of-nominations'));
    expect(x('close-of-nominations')).toBeLessThan(x('polling-day'));
    // Polling day's x matches its steps' day: the 06:00 step sits within a day of the milestone.
    const dayWidth = (SVG_WIDTH - 48) / ((layout.endMs - layout.startMs) / 86_400_000);
    const firstPollingDayStep = layout.steps.find((step) => step.sendAt.startsWith('2027-05-06'));
    expect(Math.abs((firstPollingDayStep?.x ?? 0) - x('polling-day'))).toBeLessThan(dayWidth);
    // Labels on the same row do not overlap: each row's labels are at least 8 px apart by estimate.
    const rows = new Map<number, typeof layout.milestones>();
    for (const m of layout.milestones) rows.set(m.labelY, [...(rows.get(m.labelY) ?? []), m]);
    expect(rows.size).toBeGreaterThan(1);
  });

  it('marks today where it falls, or says it is before or after the dates shown', async () => {
    const campaign = await campaignAt('2027-03-01T12:00:00Z');
    const within = timelineLayout(campaign, campaign.milestones, new Date('2027-04-20T12:00:00Z'));
    const nominations = within.milestones.find((m) => m.key === 'close-of-nominations');
    const polling = within.milestones.find((m) => m.key === 'polling-day');
    expect(within.today.position).toBe('within');
    expect(within.today.date).toBe('2027-04-20');
    expect(within.today.x).toBeGreaterThan(nominations?.x ?? Number.NaN);
    expect(within.today.x).toBeLessThan(polling?.x ?? Number.NaN);

    expect(
      timelineLayout(campaign, campaign.milestones, new Date('2026-12-01T12:00:00Z')).today.position,
    ).toBe('before');
    expect(
      timelineLayout(campaign, campaign.milestones, new Date('2027-09-01T12:00:00Z')).today.position,
    ).toBe('after');
  });
});

describe('displayStatus', () => {
  it('reads due as sending and a late scheduled step as late', () => {
    expect(displayStatus({ status: 'due' })).toBe('sending');
    expect(displayStatus({ status: 'sending' })).toBe('sending');
    expect(displayStatus({ status: 'scheduled', late: { plannedSendAt: 'x' } })).toBe('late');
    expect(displayStatus({ status: 'scheduled' })).toBe('scheduled');
    expect(displayStatus({ status: 'skipped' })).toBe('skipped');
    expect(displayStatus({ status: 'cancelled' })).toBe('cancelled');
    expect(displayStatus({ status: 'sent' })).toBe('sent');
  });
});

describe('timelineSvg', () => {
  it('is an image named by its title and described, with today marked', async () => {
    const campaign = await campaignAt('2027-03-01T12:00:00Z');
    const svg = timelineSvg(campaign, campaign.milestones, new Date('2027-04-20T12:00:00Z'));

    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="timeline-title timeline-desc"/);
    expect(svg).toContain(
      '<title id="timeline-title">Timeline of reminders and statutory milestones</title>',
    );
    expect(svg).toMatch(
      /<desc id="timeline-desc">7 statutory milestones and 18 reminders from 25 March 2027 to 13 May 2027: 18 scheduled\. Today, 20 April 2027, is marked\./,
    );
    expect(svg).toMatch(
      /<g class="esr-timeline__today" data-today="2027-04-20" data-position="within">.*>Today</,
    );
  });

  it('colours each step by its status and numbers it in time order', async () => {
    let campaign = await campaignAt('2027-04-08T09:00:00Z'); // some steps late
    // The first three went late (secure-accounts, police-contacts-and-risks, lock-down-profiles).
    const [first, , , second, third] = campaign.steps;
    if (!first || !second || !third) throw new Error('too few steps');
    campaign = withStatus(campaign, first.key, 'sent');
    campaign = withStatus(campaign, second.key, 'sending');
    campaign = withStatus(campaign, third.key, 'cancelled');
    const last = campaign.steps.at(-1);
    if (!last) throw new Error('no steps');
    campaign = withStatus(campaign, last.key, 'skipped');

    const svg = timelineSvg(campaign, campaign.milestones, new Date('2027-04-08T09:00:00Z'));
    const steps = groups(svg, 'step');
    const fillOf = (key: string) =>
      steps.find((step) => step.key === key)?.inner.match(/<circle[^>]*fill="([^"]+)"/)?.[1];

    expect(steps.map((step) => step.key)).toEqual(campaign.steps.map((step) => step.key));
    expect(fillOf(first.key)).toBe(STATUS_STYLES.sent.fill);
    expect(fillOf(second.key)).toBe(STATUS_STYLES.sending.fill);
    expect(fillOf(third.key)).toBe(STATUS_STYLES.cancelled.fill);
    expect(fillOf(last.key)).toBe(STATUS_STYLES.skipped.fill);
    const stillLate = campaign.steps.find((step) => step.late && step.status === 'scheduled');
    expect(stillLate).toBeDefined();
    expect(fillOf(stillLate?.key ?? '')).toBe(STATUS_STYLES.late.fill);
    const onTime = campaign.steps.find((step) => !step.late && step.status === 'scheduled');
    expect(fillOf(onTime?.key ?? '')).toBe(STATUS_STYLES.scheduled.fill);
    // Each disc carries its number and a tooltip naming the step, its time and status.
    expect(steps[0]?.inner).toContain(`<title>1. ${first.title}: `);
    expect(steps[0]?.inner).toMatch(/, sent<\/title>/);
    expect(steps[0]?.inner).toMatch(/>1<\/text>$/);
    expect(steps[3]?.inner).toMatch(/>4<\/text>$/);
  });

  it('labels every milestone with a short name and its date, and escapes text', async () => {
    const campaign = await campaignAt('2027-03-01T12:00:00Z');
    const named = {
      ...campaign,
      steps: campaign.steps.map((step, i) => (i === 0 ? { ...step, title: 'Accounts <& "now">' } : step)),
    };
    const svg = timelineSvg(named, campaign.milestones, new Date('2027-03-01T12:00:00Z'));
    const found = groups(svg, 'milestone');

    expect(found.map((m) => m.key).sort()).toEqual(campaign.milestones.map((m) => m.key).sort());
    expect(found.find((m) => m.key === 'polling-day')?.inner).toMatch(/>Polling day \(6 May\)<\/text>$/);
    expect(found.find((m) => m.key === 'close-of-nominations')?.inner).toMatch(
      />Close of nominations \(8 Apr\)<\/text>$/,
    );
    expect(groups(svg, 'step')[0]?.inner).toContain('<title>1. Accounts &lt;&amp; &quot;now&quot;&gt;: ');
  });
});
