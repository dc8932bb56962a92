import type { Campaign } from './model';

/** Storage port for campaigns; the DynamoDB adapter implements it, tests may fake it. */
export interface CampaignRepository {
  listCampaigns(): Promise<Campaign[]>;
}
