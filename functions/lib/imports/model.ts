import type { Role } from '../domain/roles';

/** The largest file an import takes, in data rows (blank lines not counted). */
export const MAX_IMPORT_ROWS = 20_000;
/**
 * The largest CSV body the admin API takes. Lambda takes at most 6 MB per synchronous request, and API
 * Gateway base64-encodes a body it does not know as text (4/3 larger): 4 MB of CSV fits either way.
 * 20,000 rows of a typical address, name and role are about 1.2 MB.
 */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
/** Rows kept per chunk item: 500 rows at their longest (254 + 70 + 24 characters) stay under 200 KB. */
export const CHUNK_ROWS = 500;
/** Rows handled together: one SendMessageBatch of invitations (SQS takes 10 per batch). */
export const GROUP_ROWS = 10;

/** A row of the file that may be invited: its line number in the file and the values, checked. */
export interface ImportRow {
  line: number;
  /** Trimmed and lower-cased. */
  email: string;
  name?: string;
  role: Role;
}

/**
 * Why a row was not invited. Rejected: the file is wrong or the address may not be invited.
 * Skipped: the address already waits for confirmation or is subscribed (a re-import).
 */
export const REJECT_REASONS = [
  'malformed-address',
  'unknown-role',
  'invalid-name',
  'duplicate-in-file',
  'suppressed',
  'unsubscribed',
  'erased',
] as const;
export const SKIP_REASONS = ['already-invited', 'already-subscribed'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export type SkipReason = (typeof SKIP_REASONS)[number];
export type RowReason = RejectReason | SkipReason;

/** One line of the job's report: admins only (it may hold the address as written in the file). */
export interface ReportLine {
  line: number;
  reason: RowReason;
  /** The address as the file gave it, so the admin can find the row; absent when the cell was empty. */
  email?: string;
}

export const isSkip = (reason: RowReason): reason is SkipReason =>
  (SKIP_REASONS as readonly string[]).includes(reason);

export const IMPORT_STATES = ['queued', 'running', 'done', 'stopped'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export interface ImportCounts {
  /** Rows finished: rejected at upload, plus every row the worker has passed. */
  done: number;
  invited: number;
  rejected: number;
  skipped: number;
}

/** A job: counts and progress only, never an address (those are in its chunk and report items). */
export interface ImportJob extends ImportCounts {
  jobId: string;
  campaignId: string;
  state: ImportState;
  /** Data rows in the file. */
  total: number;
  /** Rows rejected when the file was read (malformed address, unknown role, bad name, duplicate). */
  rejectedAtUpload: number;
  /** Rows to invite (the checked rows), kept in `chunks` chunk items. */
  queuedRows: number;
  chunks: number;
  /** The next row to handle, as an index into the checked rows; every row before it is finished. */
  cursor: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  firstInvitationAt?: string;
  finishedAt?: string;
  /** Why a job stopped before its end (the campaign closed). */
  stopReason?: string;
  /** Who holds the job now (a worker invocation) and until when, epoch ms of real time. */
  lease?: { owner: string; until: number };
  version: number;
}

/** How long the report's lines (which may hold addresses) are kept after the job was created. */
export const REPORT_RETENTION_DAYS = 7;
/** How long the job's counts (no personal data) are kept. */
export const JOB_RETENTION_DAYS = 90;
