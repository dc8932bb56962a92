import type { Clock } from '../clock';
import type { EmailHasher } from '../subscriptions/email';
import type { ErasureCounts, SubjectData } from './model';

/**
 * Whether an address was erased (UK GDPR art. 17): its marker holds the hash only. A bulk import
 * must skip an erased address, so that it is never invited again by an administrator; the person's
 * own sign-up is not blocked (it is new consent).
 */
export interface ErasureMarkers {
  isErased(emailHmac: string): Promise<boolean>;
}

/** Every item keyed by an address hash, read and removed together. The DynamoDB adapter implements it. */
export interface SubjectDataStore extends ErasureMarkers {
  /** Everything held about the address (subscriptions, throttles, delivery records, suppression, marker). */
  collect(emailHmac: string): Promise<SubjectData>;
  /**
   * Writes the erasure marker first (so an import racing the erasure already skips the address), then
   * removes every other item keyed by or holding the hash. Repeating it is harmless.
   */
  erase(emailHmac: string, at: Date): Promise<ErasureCounts>;
}

/**
 * One entry of the admin audit log (functions/lib/audit, the approvals work): `actor` is the admin's
 * email or IAM principal (or `self-service`), never a subscriber's data; `detail` holds counts only.
 */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  campaignId?: string;
  detail?: Record<string, unknown>;
}

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

export interface SubjectRightsDeps {
  store: SubjectDataStore;
  /** The address hasher, keyed from the token secret (loaded once per cold start). */
  hashEmail: () => Promise<EmailHasher>;
  clock: Clock;
  /** The admin audit log; absent where no admin acts (self-service), so only the application log records it. */
  audit?: AuditTrail;
}
