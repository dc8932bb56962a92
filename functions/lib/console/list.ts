import { DateTime } from 'luxon';
import type { Campaign } from '../campaigns/model';
import { ROLES, type Role } from '../domain/roles';
import { longDate } from '../shared/dates';
import { ELECTION_NAMES, NATION_NAMES } from '../timetable/elections';
import type { ConsoleDeps } from './ports';

export interface CampaignLine {
  id: string;
  name: string;
  election: string;
  nation: string;
  pollDate: string;
  status: string;
  /** When the next reminder goes, in the campaign's time zone; undefined when none is waiting. */
  nextSend?: string;
  counts: { role: Role; count: number }[];
  total: number;
}

const WAITING = new Set(['scheduled', 'due', 'sending']);

const nextSendOf = (campaign: Campaign): string | undefined => {
  if (campaign.status !== 'open') return undefined;
  const next = campaign.steps
    .filter((step) => WAITING.has(step.status))
    .sort((a, b) => a.epochMs - b.epochMs || a.position - b.position)[0];
  if (!next) return undefined;
  // GOV.UK style: "25 March 2027 at 9am", "at 4:30pm".
  const at = DateTime.fromMillis(next.epochMs, { zone: campaign.timezone }).setLocale('en-GB');
  const time = at.toFormat(at.minute === 0 ? 'ha' : 'h:mma').toLowerCase();
  return `${at.toFormat('d MMMM yyyy')} at ${time}`;
};

/** One line per campaign, soonest poll first: what the campaign list shows. */
export const campaignLines = async (
  deps: Pick<ConsoleDeps, 'campaigns' | 'counts'>,
): Promise<CampaignLine[]> => {
  const campaigns = await deps.campaigns.listCampaigns();
  return Promise.all(
    campaigns.map(async (campaign) => {
      const byRole = await deps.counts.countByRole(campaign.id);
      const counts = ROLES.map((role) => ({ role, count: byRole[role] ?? 0 }));
      const nextSend = nextSendOf(campaign);
      return {
        id: campaign.id,
        name: campaign.name,
        election: ELECTION_NAMES[campaign.election] ?? campaign.election,
        nation: NATION_NAMES[campaign.nation] ?? campaign.nation,
        pollDate: longDate(campaign.pollDate),
        status: campaign.status,
        ...(nextSend ? { nextSend } : {}),
        counts,
        total: counts.reduce((sum, entry) => sum + entry.count, 0),
      };
    }),
  );
};
