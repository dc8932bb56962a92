import type { Clock } from '../clock';
import { localDateOf } from '../timeline/dates';
import type { Campaign } from './model';
import type { CampaignRepository } from './ports';

/**
 * Read-only: the open campaigns (as listOpenCampaigns chooses them, in the same order) with who runs
 * them, for the pages that name each organiser and how to reach them (privacy notice, contact page).
 * The organiser's details are public by design; no steps or subscribers leave here.
 */
export const listOpenCampaignDetails = async (deps: {
  campaigns: CampaignRepository;
  clock: Clock;
}): Promise<Pick<Campaign, 'id' | 'name' | 'pollDate' | 'organiser'>[]> => {
  const today = localDateOf(deps.clock.now(), 'Europe/London');
  const all = await deps.campaigns.listCampaigns({ pollDateFrom: today });
  return all
    .filter((campaign) => campaign.status === 'open' && campaign.pollDate >= today)
    .sort((a, b) => a.pollDate.localeCompare(b.pollDate) || a.name.localeCompare(b.name))
    .map(({ id, name, pollDate, organiser }) => ({
      id,
      name,
      pollDate,
      ...(organiser ? { organiser } : {}),
    }));
};
