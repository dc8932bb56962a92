import { createHash, randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const CAMPAIGN_ID_LENGTH = 16;
export const CAMPAIGN_ID_PATTERN = /^[a-z2-7]{16}$/;

/** 16 random base32 characters (80 bits): short, url-safe, unguessable, safe in keys and schedule names. */
export const newCampaignId = (): string => {
  const bytes = randomBytes(CAMPAIGN_ID_LENGTH);
  let id = '';
  // 256 is a multiple of 32, so `byte % 32` is unbiased.
  for (const byte of bytes) id += BASE32[byte % 32];
  return id;
};

export const isCampaignId = (value: unknown): value is string =>
  typeof value === 'string' && CAMPAIGN_ID_PATTERN.test(value);

const MAX_SCHEDULE_NAME = 64;

/**
 * The schedule's name, `esr-<campaignId>-<stepKey>`: deterministic, so creating it twice is harmless
 * and a reschedule replaces it in place. Scheduler allows 64 characters of [0-9a-zA-Z-_.]; a long step
 * key is cut and suffixed with a hash of the whole key so two long keys cannot collide.
 */
export const scheduleNameFor = (campaignId: string, stepKey: string): string => {
  const name = `esr-${campaignId}-${stepKey}`;
  if (name.length <= MAX_SCHEDULE_NAME) return name;
  const hash = createHash('sha256').update(stepKey).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_SCHEDULE_NAME - hash.length - 1)}-${hash}`;
};

export const stepIdFor = (campaignId: string, stepKey: string): string => `${campaignId}.${stepKey}`;
