import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIONS_BY_ELECTION } from '../../functions/lib/timetable/elections';
import { bootLocalStack } from '../support/local-stack';

/**
 * Every election type and nation through the admin API on the local stack: each campaign keeps the
 * statutory timetable GET /timetable answers, and times its steps from it so every message is true.
 */

let ctx: Awaited<ReturnType<typeof bootLocalStack>>;

interface Milestone {
  key: string;
  date: string;
  time: string | null;
}
interface CampaignBody {
  milestones: Milestone[];
  steps: { key: string; sendAt: string; milestone: string; date: string; roles: string[] }[];
  skipped: unknown[];
}

const organiser = { name: 'Anytown Borough Council', email: 'elections@anytown.example.org' };
const pairs = Object.entries(NATIONS_BY_ELECTION).flatMap(([election, nations]) =>
  nations.map((nation) => [election, nation] as const),
);

beforeAll(async () => {
  ctx = await bootLocalStack();
  const clock = await fetch(`${ctx.stack.apiUrl}/local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now: '2027-01-04T12:00:00Z' }),
  });
  expect(clock.status).toBe(200);
});
afterAll(async () => ctx?.stop());

describe('campaigns for every election type and nation', () => {
  it.each(pairs)(
    '%s in %s: the statutory milestones, and steps timed from them',
    async (election, nation) => {
      const pollDate = '2027-05-06';
      const created = await fetch(`${ctx.stack.apiUrl}/admin/campaigns`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.stack.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${election} ${nation} 2027`, election, nation, pollDate, organiser }),
      });
      expect(created.status).toBe(201);
      const campaign = (await created.json()) as CampaignBody;
      const timetable = (await (
        await fetch(
          `${ctx.stack.apiUrl}/timetable?election=${election}&nation=${nation}&pollDate=${pollDate}`,
        )
      ).json()) as { milestones: Milestone[] };

      expect(campaign.milestones).toEqual(timetable.milestones);
      expect(campaign.skipped).toEqual([]);
      const close = timetable.milestones.find((m) => m.key === 'close-of-nominations');
      for (const key of ['know-your-police-contact', 'candidate-safety-briefing']) {
        expect(campaign.steps.find((step) => step.key === key)?.sendAt.slice(0, 16)).toBe(
          `${close?.date}T16:30`,
        );
      }
      for (const step of campaign.steps.filter((s) => s.date === pollDate && s.key !== 'count-security')) {
        expect(step.sendAt.slice(11, 16) < '07:00').toBe(true);
      }
      // A general election starts at dissolution: no six-week step.
      const secure = campaign.steps.find((step) => step.key === 'secure-accounts');
      if (election === 'uk-parliament') expect(secure?.milestone).toBe('notice-of-election');
      else expect(secure?.sendAt.slice(0, 10)).toBe('2027-03-25');
    },
  );
});
