/**
 * The audit log: every admin action, who did it and when. An entry names the admin (their email, or
 * the IAM principal ARN of an API caller) and the campaign; it never holds a subscriber's address,
 * name or anything typed into the sign-up form.
 */
export interface AuditEntry {
  /** ISO 8601 instant of the action. */
  at: string;
  /** The admin's email address, or the IAM principal ARN of an API caller. */
  actor: string;
  /** What was done, dotted and lower-case, e.g. `campaign.created`, `change.approved`. */
  action: string;
  campaignId?: string;
  /** Ids, field names, counts and dates only: a few short values, never personal data of subscribers. */
  detail?: Record<string, string | number | boolean | string[]>;
}

/** Storage port for the audit log; the DynamoDB adapter implements it, tests fake it. */
export interface AuditLog {
  /** Writes one entry; it expires after the configured retention. */
  record(entry: AuditEntry): Promise<void>;
  /** Newest first: the campaign's entries, or every entry when no campaignId is given. */
  list(options?: { campaignId?: string; limit?: number }): Promise<AuditEntry[]>;
}
