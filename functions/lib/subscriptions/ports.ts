import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import type { Role } from '../domain/roles';
import type { TemplateData } from '../templates';
import type { EmailSender } from '../templates/sender';
import type { TokenSigner } from '../tokens/signer';
import type { ConfirmationRequest } from './confirmation-request';
import type { EmailHasher } from './email';
import type { Subscription } from './model';
import type { ConfirmationAttempt, ThrottlePolicy } from './throttle';

/** How a confirmation email's allowance was judged; `busy`: still racing after retries (send nothing). */
export type QuotaOutcome = 'allowed' | 'limit' | 'repeat' | 'busy';

/** Storage port for subscriptions; the DynamoDB adapter implements it. */
export interface SubscriptionRepository {
  get(emailHmac: string, campaignId: string): Promise<Subscription | undefined>;
  /** Every subscription of one address (all campaigns). */
  listForAddress(emailHmac: string): Promise<Subscription[]>;
  /**
   * Writes the whole subscription if the stored one still has `previousVersion` (undefined: must not
   * exist yet). Throws StaleWriteError otherwise. A write that keeps the version (a repeated
   * sign-up's note) races no other such write.
   */
  save(subscription: Subscription, previousVersion: number | undefined): Promise<void>;
  /** Counts one confirmation email against the address's allowance for the campaign. */
  consumeConfirmQuota(
    emailHmac: string,
    campaignId: string,
    attempt: ConfirmationAttempt,
    policy: ThrottlePolicy,
  ): Promise<QuotaOutcome>;
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
  /** Who it says it is from and where replies go (the campaign's organiser); else the bare sender. */
  sender?: EmailSender;
}

export interface Mailer {
  sendTemplated(email: TemplatedEmail): Promise<void>;
}

/** The signer and the address hasher, both keyed from the one secret, loaded once per cold start. */
export interface SubscriptionKeys {
  signer: TokenSigner;
  hashEmail: EmailHasher;
}

/** Hands a recorded sign-up to the confirmation-email worker, off the request path. */
export interface ConfirmationQueue {
  request(message: ConfirmationRequest): Promise<void>;
}

export interface SubscriptionDeps {
  subscriptions: SubscriptionRepository;
  /** The welcome email after a confirmation. */
  mailer: Mailer;
  /** Confirmation emails go through this queue, so the sign-up answer takes the same time in every state. */
  confirmations: ConfirmationQueue;
  keys: () => Promise<SubscriptionKeys>;
  campaigns: CampaignRepository;
  clock: Clock;
  publicBaseUrl: string;
  /** The address confirmation emails come from (SENDER_EMAIL), named on the check-your-email page. */
  senderEmail?: string;
  /** Days after the poll date a confirmed subscription is kept. */
  retentionDays: number;
}

/** The confirmation-email worker's dependencies. */
export interface ConfirmationDeps {
  subscriptions: Pick<SubscriptionRepository, 'get' | 'consumeConfirmQuota'>;
  campaigns: Pick<CampaignRepository, 'getCampaign'>;
  mailer: Mailer;
  keys: () => Promise<Pick<SubscriptionKeys, 'signer'>>;
  clock: Clock;
  publicBaseUrl: string;
  /** True when SES feedback (bounce, complaint) has suppressed the address. */
  suppressed: (emailHmac: string) => Promise<boolean>;
}

/**
 * Confirmed subscribers of a campaign, counted by role: numbers only, never an address. For the
 * admin view of a campaign (`GET /admin/campaigns/{id}`) and the console.
 */
export interface SubscriberCounter {
  countByRole(campaignId: string): Promise<Record<Role, number>>;
}
