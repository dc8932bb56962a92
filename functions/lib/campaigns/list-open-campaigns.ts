import type { Clock } from '../clock';
import { localDateOf } from '../timeline/dates';
import type { Campaign, PublicCampaign } from './model';
import type { CampaignRepository } from './ports';

interface OpenCampaignDeps {
  campaigns: CampaignRepository;
  clock: Clock;
}

/**
 * The open campaigns with who runs them, for the pages that name each organiser and how to reach
 * them (privacy notice, contact page). The organiser's details are public by design; no steps or
 * subscribers leave here.
 */
export const listOpenCampaignDetails = async (
  deps: OpenCampaignDeps,
): Promise<Pick<Campaign, 'id' | 'name' | 'pollDate' | 'organiser'>[]> => {
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

/** Campaigns a person can still sign up for: open, with the poll not yet passed (UK date). */
export const listOpenCampaigns = async (deps: OpenCampaignDeps): Promise<PublicCampaign[]> =>
  (await listOpenCampaignDetails(deps)).map(({ organiser, ...campaign }) => ({
    ...campaign,
    ...(organiser ? { organiser: { name: organiser.name } } : {}),
  }));
