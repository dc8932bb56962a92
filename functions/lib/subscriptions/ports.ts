import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import type { TemplateData } from '../templates';
import type { TokenSigner } from '../tokens/signer';
import type { EmailHasher } from './email';
import type { Subscription } from './model';
import type { ThrottlePolicy } from './throttle';

/** Storage port for subscriptions; the DynamoDB adapter implements it. */
export interface SubscriptionRepository {
  get(emailHmac: string, campaignId: string): Promise<Subscription | undefined>;
  /** Every subscription of one address (all campaigns). */
  listForAddress(emailHmac: string): Promise<Subscription[]>;
  /**
   * Writes the whole subscription if the stored one still has `previousVersion` (undefined: must not
   * exist yet). Throws StaleWriteError otherwise.
   */
  save(subscription: Subscription, previousVersion: number | undefined): Promise<void>;
  /** Counts one confirmation email against the address's allowance; false when it is used up. */
  consumeConfirmQuota(emailHmac: string, now: Date, policy: ThrottlePolicy): Promise<boolean>;
}

export interface EmailHeader {
  name: string;
  value: string;
}

export interface TemplatedEmail {
  to: string;
  /** Template name without the stack prefix (e.g. `confirm-subscription`). */
  template: string;
  data: TemplateData;
  headers?: EmailHeader[];
}

export interface Mailer {
  sendTemplated(email: TemplatedEmail): Promise<void>;
}

/** The signer and the address hasher, both keyed from the one secret, loaded once per cold start. */
export interface SubscriptionKeys {
  signer: TokenSigner;
  hashEmail: EmailHasher;
}

export interface SubscriptionDeps {
  subscriptions: SubscriptionRepository;
  mailer: Mailer;
  keys: () => Promise<SubscriptionKeys>;
  campaigns: CampaignRepository;
  clock: Clock;
  publicBaseUrl: string;
  /** Days after the poll date a confirmed subscription is kept. */
  retentionDays: number;
  /** True when SES feedback (bounce, complaint) has suppressed the address. */
  suppressed: (emailHmac: string) => Promise<boolean>;
}
