import type { Nation } from '../domain/roles';

export const CAMPAIGN_STATUSES = ['open', 'cancelled', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface Campaign {
  id: string;
  name: string;
  pollDate: string;
  nation: Nation;
  playbook: string;
  sendTime: string;
  timezone: string;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}

/** What the public may see of a campaign: enough to choose one on the sign-up form. */
export interface PublicCampaign {
  id: string;
  name: string;
  pollDate: string;
}
