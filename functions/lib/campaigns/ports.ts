import type { Role } from '../domain/roles';
import type { Campaign } from './model';

/** Storage port for campaigns; the DynamoDB adapter implements it, tests fake it. */
export interface CampaignRepository {
  /** Every campaign, or only those polling on or after `pollDateFrom` (YYYY-MM-DD). */
  listCampaigns(options?: { pollDateFrom?: string }): Promise<Campaign[]>;
  /** The campaign, or undefined when there is none with that id. */
  getCampaign(id: string): Promise<Campaign | undefined>;
  /** Stores a new campaign; throws CampaignVersionConflictError if the id is taken. */
  createCampaign(campaign: Campaign): Promise<void>;
  /**
   * Replaces the campaign only if its stored version is still `expectedVersion` (the caller has set
   * `campaign.version` to the next one); throws CampaignVersionConflictError otherwise.
   */
  saveCampaign(campaign: Campaign, expectedVersion: number): Promise<void>;
  /**
   * Records that a step's schedule fired: only while the campaign is open, the step is `scheduled`
   * and its schedule version is `version`. Returns false (and changes nothing) otherwise.
   */
  markStepDue(campaignId: string, stepKey: string, version: number, firedAt: string): Promise<boolean>;
  /** `due` → `sending` with the recipient count, for this schedule version only; false otherwise. */
  markStepSending(campaignId: string, stepKey: string, version: number, recipients: number): Promise<boolean>;
  /** `due`/`sending` → `sent` once every recipient has settled; false if already sent or superseded. */
  markStepSent(campaignId: string, stepKey: string, version: number, sentAt: string): Promise<boolean>;
  /**
   * `due`/`sending` → `cancelled` once the campaign has been cancelled while the step was sending (the
   * senders stopped what had not yet gone), for this schedule version only; false otherwise.
   */
  markStepCancelled(campaignId: string, stepKey: string, version: number, at: string): Promise<boolean>;
}

/** One one-time schedule for one step, in local wall-clock time and its time zone. */
export interface ReminderSchedule {
  name: string;
  campaignId: string;
  stepKey: string;
  version: number;
  /** Local wall-clock time, yyyy-mm-ddThh:mm:ss (what `at(...)` takes). */
  localTime: string;
  timezone: string;
}

/**
 * Scheduling port: EventBridge Scheduler in AWS and locally, a fake in unit tests. Every failure is a
 * SchedulingFailedError (the adapter translates the SDK's errors, once).
 */
export interface ReminderScheduler {
  /** Creates or replaces the schedule with that name (creating twice is harmless). */
  upsert(schedule: ReminderSchedule): Promise<void>;
  /** Deletes the schedule; one that no longer exists (already fired) is fine. */
  remove(name: string): Promise<void>;
}

/** The compiled reminder emails as SES holds them (SES GetEmailTemplate), for their web copies. */
export interface ReminderTemplateSource {
  /** The template's HTML with its Handlebars placeholders, or undefined if SES has no such template. */
  html(name: string): Promise<string | undefined>;
}

/** Delivery counts per step, from the delivery ledger; `delivery: null` before a step fires. */
export interface DeliveryCounts {
  recipients: number;
  sent: number;
  failed: number;
  suppressed: number;
}

export interface DeliveryStats {
  countsFor(campaignId: string): Promise<Record<string, DeliveryCounts>>;
}

export interface DispatchLog {
  info(message: string, attributes: Record<string, unknown>): void;
}

/** Fans a due step out to its subscribers (functions/lib/delivery/dispatch.ts); resumable. */
export type FanOut = (step: {
  campaignId: string;
  stepKey: string;
  version: number;
  roles: Role[];
}) => Promise<{ enqueued: number; recipients: number }>;
