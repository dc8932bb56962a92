import { z } from 'zod';
import { logger } from '../logger';
import type { AuditEntry, AuditLog } from './ports';

/**
 * The audit core: what goes into an entry and how entries are read. The actions of the campaign
 * approvals (functions/lib/campaigns/approvals.ts, alerts.ts) and the console's own (sign-in and so on)
 * all pass through `recordAudit`.
 */

/**
 * Two years: longer than a campaign's whole life (about six weeks before polling day to a week
 * after), any election petition (brought within 21 or 28 days of the result) and the following
 * year's review of how the election ran, yet not for ever, since an entry names a member of staff.
 */
export const DEFAULT_AUDIT_RETENTION_DAYS = 730;

export const AUDIT_ACTION_PATTERN = /^[a-z]+(\.[a-z-]+)+$/;

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 500;

// Anything that looks like an email address in a detail value is not kept: the detail is for ids,
// field names and counts, and a subscriber's address must never reach the log by accident.
const EMAIL_LIKE = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g;
const MAX_DETAIL_VALUE = 200;

const cleanValue = (value: string) =>
  value.replace(EMAIL_LIKE, '[address removed]').slice(0, MAX_DETAIL_VALUE);

/** The detail with any address-like text removed and long values cut: never personal data of anyone. */
export const sanitiseDetail = (detail: AuditEntry['detail']): AuditEntry['detail'] => {
  if (!detail) return undefined;
  return Object.fromEntries(
    Object.entries(detail).map(([key, value]) => [
      key,
      typeof value === 'string'
        ? cleanValue(value)
        : Array.isArray(value)
          ? value.slice(0, 20).map(cleanValue)
          : value,
    ]),
  );
};

/**
 * Writes an entry for an action that has happened. A failed write is logged as an error (ids only)
 * and does not undo the action, which has already reached DynamoDB or Scheduler; the error log is
 * what an alarm watches.
 */
export const recordAudit = async (log: AuditLog, entry: AuditEntry): Promise<void> => {
  if (!AUDIT_ACTION_PATTERN.test(entry.action)) throw new Error(`Not an audit action: ${entry.action}`);
  const clean: AuditEntry = {
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    ...(entry.campaignId ? { campaignId: entry.campaignId } : {}),
    ...(entry.detail ? { detail: sanitiseDetail(entry.detail) } : {}),
  };
  try {
    await log.record(clean);
  } catch (error) {
    logger.error('Audit entry not written', {
      errorName: (error as Error)?.name,
      action: entry.action,
      campaignId: entry.campaignId,
    });
  }
};

export const auditQuerySchema = z.strictObject({
  campaignId: z
    .string()
    .regex(/^[a-z2-7]{16}$/, 'campaignId must be a campaign id (16 characters a-z, 2-7)')
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a whole number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_AUDIT_LIMIT, `limit must be at most ${MAX_AUDIT_LIMIT}`)
    .optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Newest first, at most `limit` (default 100). */
export const listAudit = (log: AuditLog, query: AuditQuery = {}): Promise<AuditEntry[]> =>
  log.list({
    ...(query.campaignId ? { campaignId: query.campaignId } : {}),
    limit: query.limit ?? DEFAULT_AUDIT_LIMIT,
  });
