import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRateLimiter } from '../delivery/rate-limiter';
import { logger } from '../logger';
import { StaleWriteError } from '../subscriptions/errors';
import type { Subscription } from '../subscriptions/model';
import { awaitingConfirmation, planSignup } from '../subscriptions/subscribe';
import {
  CHUNK_ROWS,
  GROUP_ROWS,
  type ImportJob,
  type ImportRow,
  isSkip,
  type ReportLine,
  type RowReason,
} from './model';
import type { ImportWorkerDeps } from './ports';

const BACKLOG_WAIT_MS = 250;

/** A worker stops taking new rows when its invocation has less than this left, and hands the job on. */
export const STOP_BEFORE_END_MS = 15_000;
/**
 * If a group's sign-ups took longer than this less than the invitations' delay to write, the
 * invitations may have reached the worker before them (and been dropped as stale): they are sent again
 * without delay. The confirmation worker sends one link at most once a minute, so a message that did
 * find its sign-up and its repeat make one email.
 */
const WRITE_MARGIN_MS = 1_000;

/**
 * The nonce of the sign-up this job writes for an address: derived from the job's random id and the
 * address hash, so a worker that takes a job over after a crash recognises the invitations already
 * made (and does not make them twice), and a later job (a re-import) sees them as someone else's.
 */
export const importNonce = (jobId: string, emailHmac: string): string =>
  createHash('sha256').update(`import:v1:${jobId}:${emailHmac}`).digest('base64url').slice(0, 22);

type Decision = { kind: 'invite' } | { kind: 'ours' } | { kind: 'report'; reason: RowReason };

/**
 * What to do with one address: invite it unless it already waits for confirmation (by this job: count
 * it; by anyone else: skip it), is subscribed (skip), unsubscribed or suppressed (reject: their choice,
 * or their mailbox's, stands), or was erased at the person's request and has not signed up since.
 */
export const classifyRow = (
  existing: Subscription | undefined,
  suppressed: boolean,
  nonce: string,
  now: Date,
  { erased }: { erased: boolean } = { erased: false },
): Decision => {
  const waiting = existing && awaitingConfirmation(existing, existing.nonce, now);
  if (existing?.status === 'pending' && waiting && existing.nonce === nonce) return { kind: 'ours' };
  if (suppressed) return { kind: 'report', reason: 'suppressed' };
  if (erased && !existing) return { kind: 'report', reason: 'erased' };
  if (!existing) return { kind: 'invite' };
  if (existing.status === 'unsubscribed') return { kind: 'report', reason: 'unsubscribed' };
  if (existing.status === 'confirmed') return { kind: 'report', reason: 'already-subscribed' };
  if (waiting) return { kind: 'report', reason: 'already-invited' };
  return { kind: 'invite' }; // a sign-up that expired unconfirmed
};

interface Looked {
  row: ImportRow;
  emailHmac: string;
  nonce: string;
  existing: Subscription | undefined;
  decision: Decision;
}

interface GroupOutcome {
  invited: number;
  lines: ReportLine[];
}

const lookUp = async (deps: ImportWorkerDeps, job: ImportJob, row: ImportRow, now: Date): Promise<Looked> => {
  const { hashEmail } = await deps.keys();
  const emailHmac = hashEmail(row.email);
  const nonce = importNonce(job.jobId, emailHmac);
  const [existing, suppressed, erased] = await Promise.all([
    deps.subscriptions.get(emailHmac, job.campaignId),
    deps.suppressed(emailHmac),
    deps.erased(emailHmac),
  ]);
  return {
    row,
    emailHmac,
    nonce,
    existing,
    decision: classifyRow(existing, suppressed, nonce, now, { erased }),
  };
};

/** Writes the pending sign-up for an invited row; on a race with the person's own sign-up, looks again. */
const writeSignup = async (
  deps: ImportWorkerDeps,
  job: ImportJob,
  looked: Looked,
  now: Date,
): Promise<Decision> => {
  let current = looked;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (current.decision.kind !== 'invite') return current.decision;
    const { row } = current;
    const plan = planSignup(
      current.existing,
      {
        email: row.email,
        role: row.role,
        ...(row.name ? { name: row.name } : {}),
        emailHmac: current.emailHmac,
        campaignId: job.campaignId,
      },
      now,
      'import',
      current.nonce,
    );
    try {
      await deps.subscriptions.save(plan.next, current.existing?.version);
      return { kind: 'ours' };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      current = await lookUp(deps, job, row, now);
    }
  }
  return { kind: 'report', reason: 'already-invited' };
};

/**
 * One group of up to 10 rows. The invitations (ids only) are enqueued with a short delay before
 * their sign-ups are written, so that whatever point a crash stops this at, nobody is invited twice:
 * an invitation whose sign-up was never written finds nothing and is dropped by the confirmation
 * worker, and the worker that takes over writes and invites again; a sign-up that was written is
 * recognised by its nonce and not invited again.
 */
const processGroup = async (
  deps: ImportWorkerDeps,
  job: ImportJob,
  rows: ImportRow[],
  pace: (invitations: number) => Promise<void>,
): Promise<GroupOutcome> => {
  const now = deps.clock.now();
  const looked = await Promise.all(rows.map((row) => lookUp(deps, job, row, now)));
  const toInvite = looked.filter((entry) => entry.decision.kind === 'invite');
  const decisions = new Map<Looked, Decision>(looked.map((entry) => [entry, entry.decision]));
  if (toInvite.length > 0) {
    await pace(toInvite.length);
    const requests = (entries: Looked[]) =>
      entries.map(({ emailHmac, nonce }) => ({ emailHmac, campaignId: job.campaignId, nonce }));
    const sentAt = deps.realNowMs();
    await deps.invitations.send(requests(toInvite), deps.invitationDelaySeconds);
    const written = await Promise.all(toInvite.map((entry) => writeSignup(deps, job, entry, now)));
    for (const [i, entry] of toInvite.entries()) decisions.set(entry, written[i] as Decision);
    if (deps.realNowMs() - sentAt > deps.invitationDelaySeconds * 1000 - WRITE_MARGIN_MS) {
      const ours = toInvite.filter((entry) => decisions.get(entry)?.kind === 'ours');
      if (ours.length > 0) await deps.invitations.send(requests(ours), 0);
    }
  }
  let invited = 0;
  const lines: ReportLine[] = [];
  for (const entry of looked) {
    const decision = decisions.get(entry) as Decision;
    if (decision.kind === 'report')
      lines.push({ line: entry.row.line, reason: decision.reason, email: entry.row.email });
    else invited++;
  }
  return { invited, lines };
};

export type ImportRunOutcome = 'done' | 'stopped' | 'continued' | 'busy' | 'finished' | 'missing' | 'lost';

/**
 * Works on a job from its cursor until it is done or the invocation is nearly out of time (then hands
 * it on through the queue). Each group's progress is recorded with the cursor, so a worker that dies
 * is taken over (once its hold runs out) from the first unfinished group.
 */
export const runImport = async (
  deps: ImportWorkerDeps,
  jobId: string,
  remainingMs: () => number,
): Promise<ImportRunOutcome> => {
  const owner = randomUUID();
  const stored = await deps.jobs.get(jobId);
  if (!stored) return 'missing';
  if (stored.state === 'done' || stored.state === 'stopped') return 'finished';
  const job = await deps.jobs.acquire(
    jobId,
    owner,
    deps.realNowMs() + deps.leaseMs,
    deps.realNowMs(),
    deps.clock.now().toISOString(),
  );
  if (!job) return 'busy';
  const ids = { jobId, campaignId: job.campaignId };

  const campaign = await deps.campaigns.getCampaign(job.campaignId);
  if (campaign?.status !== 'open') {
    await deps.jobs.finish(jobId, owner, 'stopped', deps.clock.now().toISOString(), 'campaign-not-open');
    logger.info('Import stopped: the campaign is not open', ids);
    return 'stopped';
  }

  const rate = await deps.invitationRate();
  const limiter = createRateLimiter(rate, { burst: GROUP_ROWS });
  // The confirmation worker sends what is queued; the job goes no faster than it drains (at most a
  // second's worth waits for it), so the job's progress is the invitations' and sign-ups share it.
  const maxBacklog = Math.max(2 * GROUP_ROWS, Math.ceil(rate));
  let cursor = job.cursor;
  let firstInvitationAt = job.firstInvitationAt;
  let chunkIndex = -1;
  let chunk: ImportRow[] | undefined;
  while (cursor < job.queuedRows) {
    if (remainingMs() < STOP_BEFORE_END_MS) {
      await deps.jobs.release(jobId, owner);
      await deps.continuation.enqueue(jobId);
      logger.info('Import continues in a new invocation', { ...ids, cursor });
      return 'continued';
    }
    const index = Math.floor(cursor / CHUNK_ROWS);
    if (index !== chunkIndex) {
      chunkIndex = index;
      chunk = await deps.jobs.chunk(jobId, index);
      if (!chunk) throw new Error(`Import ${jobId} has lost chunk ${index}`);
    }
    if ((await deps.invitations.backlog()) > maxBacklog) {
      await (deps.sleep ?? sleep)(BACKLOG_WAIT_MS);
      continue;
    }
    const offset = cursor - index * CHUNK_ROWS;
    const rows = (chunk as ImportRow[]).slice(offset, offset + GROUP_ROWS);
    const outcome = await processGroup(deps, job, rows, (n) => limiter.acquire(n));
    if (outcome.lines.length > 0)
      await deps.jobs.putReport(jobId, `${String(cursor).padStart(6, '0')}`, outcome.lines);
    const at = deps.clock.now().toISOString();
    const first = !firstInvitationAt && outcome.invited > 0 ? at : undefined;
    const rejected = outcome.lines.filter((line) => !isSkip(line.reason)).length;
    const advanced = await deps.jobs.advance(jobId, {
      owner,
      from: cursor,
      to: cursor + rows.length,
      add: { invited: outcome.invited, rejected, skipped: outcome.lines.length - rejected },
      leaseUntil: deps.realNowMs() + deps.leaseMs,
      at,
      ...(first ? { firstInvitationAt: first } : {}),
    });
    if (!advanced) {
      logger.warn('Import taken over by another worker; stopping', { ...ids, cursor });
      return 'lost';
    }
    firstInvitationAt ??= first;
    cursor += rows.length;
    // Every row of the chunk is finished: its addresses are needed no longer.
    if (cursor % CHUNK_ROWS === 0 || cursor >= job.queuedRows) await deps.jobs.deleteChunk(jobId, index);
  }
  await deps.jobs.finish(jobId, owner, 'done', deps.clock.now().toISOString());
  logger.info('Import done', ids);
  return 'done';
};
