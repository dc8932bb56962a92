import type { Clock } from '../clock';
import { localDateOf } from '../timeline/dates';
import type { PublicCampaign } from './model';
import type { CampaignRepository } from './ports';

/** Campaigns a person can still sign up for: open, with the poll not yet passed (UK date). */
export const listOpenCampaigns = async (deps: {
  campaigns: CampaignRepository;
  clock: Clock;
}): Promise<PublicCampaign[]> => {
  const today = localDateOf(deps.clock.now(), 'Europe/London');
  const all = await deps.campaigns.listCampaigns({ pollDateFrom: today });
  return all
    .filter((campaign) => campaign.status === 'open' && campaign.pollDate >= today)
    .sort((a, b) => a.pollDate.localeCompare(b.pollDate) || a.name.localeCompare(b.name))
    .map(({ id, name, pollDate, organiser }) => ({
      id,
      name,
      pollDate,
      ...(organiser ? { organiser: { name: organiser.name } } : {}),
    }));
};
