/**
 * The audit log: who did what, when. `actor` is an admin's email address or an IAM principal, never
 * a subscriber's data; `detail` holds ids and reasons only.
 */
export interface AuditEntry {
  /** ISO 8601 instant. */
  at: string;
  actor: string;
  action: string;
  campaignId?: string;
  detail?: Record<string, string | number | boolean>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first; only the campaign's entries when `campaignId` is given. */
  list(options?: { campaignId?: string; limit?: number }): Promise<AuditEntry[]>;
}
