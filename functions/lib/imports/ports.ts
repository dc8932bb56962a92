import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import type { ConfirmationRequest } from '../subscriptions/confirmation-request';
import type { SubscriptionKeys, SubscriptionRepository } from '../subscriptions/ports';
import type { ImportCounts, ImportJob, ImportRow, ImportState, ReportLine } from './model';

/** Progress made on a job: rows `from` … `to` (exclusive) of the checked rows are finished. */
export interface ImportAdvance {
  owner: string;
  from: number;
  to: number;
  add: Omit<ImportCounts, 'done'>;
  /** Real time (epoch ms) until which the owner holds the job after this. */
  leaseUntil: number;
  at: string;
  firstInvitationAt?: string;
}

/** Storage port for import jobs: the job (counts only), its chunks of rows and its report lines. */
export interface ImportJobStore {
  /** Writes the chunks and the upload's report lines, then the job (queued). */
  create(job: ImportJob, chunks: ImportRow[][], rejected: ReportLine[]): Promise<void>;
  get(jobId: string): Promise<ImportJob | undefined>;
  /** The rows of one chunk (undefined once deleted after use). */
  chunk(jobId: string, index: number): Promise<ImportRow[] | undefined>;
  /** Deletes a chunk whose rows are all finished: the addresses are kept no longer than needed. */
  deleteChunk(jobId: string, index: number): Promise<void>;
  /**
   * Takes the job for `owner` until `until` (epoch ms) when nobody holds it (or their hold has run
   * out, or it is already `owner`'s) and it is not finished; the job as taken, else undefined.
   */
  acquire(
    jobId: string,
    owner: string,
    until: number,
    nowMs: number,
    at: string,
  ): Promise<ImportJob | undefined>;
  /** Records progress, only while `owner` holds the job at cursor `from`; false otherwise (changes nothing). */
  advance(jobId: string, progress: ImportAdvance): Promise<boolean>;
  /** Lets go of the job (so a continuation can take it at once). */
  release(jobId: string, owner: string): Promise<void>;
  /** Ends the job, only while `owner` holds it. */
  finish(
    jobId: string,
    owner: string,
    state: Extract<ImportState, 'done' | 'stopped'>,
    at: string,
    stopReason?: string,
  ): Promise<void>;
  /** Stores report lines under a key unique to the rows they are about (writing them again changes nothing). */
  putReport(jobId: string, key: string, lines: ReportLine[]): Promise<void>;
  /** Every report line, in line order. */
  report(jobId: string): Promise<ReportLine[]>;
}

/** Import jobs to work on (ids only): SQS in AWS, the SQS stand-in locally. */
export interface ImportQueue {
  enqueue(jobId: string): Promise<void>;
}

/** Confirmation requests (ids only) to the confirmation-email worker, up to 10 at once, optionally delayed. */
export interface InvitationQueue {
  send(requests: ConfirmationRequest[], delaySeconds: number): Promise<void>;
  /** Messages waiting on the queue for its worker (visible: not delayed, not in flight), approximately. */
  backlog(): Promise<number>;
}

/** What the admin API needs to create a job. */
export interface ImportCreateDeps {
  jobs: Pick<ImportJobStore, 'create' | 'get' | 'report'>;
  queue: ImportQueue;
  campaigns: Pick<CampaignRepository, 'getCampaign'>;
  clock: Clock;
  newJobId?: () => string;
}

/** The import worker's dependencies. */
export interface ImportWorkerDeps {
  jobs: ImportJobStore;
  subscriptions: Pick<SubscriptionRepository, 'get' | 'save'>;
  /** True when SES feedback (bounce, complaint) has suppressed the address. */
  suppressed: (emailHmac: string) => Promise<boolean>;
  /** True when the address was erased at the person's request (its hash-only marker). */
  erased: (emailHmac: string) => Promise<boolean>;
  campaigns: Pick<CampaignRepository, 'getCampaign'>;
  invitations: InvitationQueue;
  /** Where the worker hands the rest of a job when its invocation runs out of time. */
  continuation: ImportQueue;
  keys: () => Promise<Pick<SubscriptionKeys, 'hashEmail'>>;
  /** The service's clock (local clock locally): times recorded on the job and the subscriptions. */
  clock: Clock;
  /** Real time, epoch ms: leases and pacing are about processes, not the election's calendar. */
  realNowMs: () => number;
  /** Invitations per second this job may send (a share of the SES account's rate). */
  invitationRate: () => Promise<number>;
  /** How long a worker holds a job without recording progress before another may take it over. */
  leaseMs: number;
  /** Invitations are enqueued this long before their sign-up is written (see run.ts). */
  invitationDelaySeconds: number;
  /** Waits (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}
