/**
 * An import worker killed mid-job is taken over from its cursor once its hold runs out, and nobody is
 * invited twice or missed, wherever the kill lands. Real DynamoDB (dynalite) behind the real adapters;
 * the confirmation queue and its worker are modelled: a message is delivered when its delay has passed
 * and sends an email only if it finds its sign-up waiting under its nonce (as confirmation-email.ts
 * does), and one link goes at most once a minute (as its throttle does).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignRepository } from '../../functions/lib/adapters/dynamodb/campaign-repository';
import { createImportJobStore } from '../../functions/lib/adapters/dynamodb/import-jobs';
import { createSubjectDataStore } from '../../functions/lib/adapters/dynamodb/subject-data';
import { createSubscriptionRepository } from '../../functions/lib/adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../../functions/lib/adapters/dynamodb/suppression-list';
import { createImport } from '../../functions/lib/imports/create';
import type { ImportWorkerDeps } from '../../functions/lib/imports/ports';
import { runImport } from '../../functions/lib/imports/run';
import type { ConfirmationRequest } from '../../functions/lib/subscriptions/confirmation-request';
import { createEmailHasher } from '../../functions/lib/subscriptions/email';
import { awaitingConfirmation } from '../../functions/lib/subscriptions/subscribe';
import { startDynamo } from '../support/dynamo';
import { seedCampaign } from '../support/subscriptions';

const LEASE_MS = 150_000;
const DELAY_SECONDS = 3;
const REPEAT_GAP_MS = 60_000;

class Killed extends Error {
  override readonly name = 'Killed';
}

describe('an import worker killed mid-job', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  const hashEmail = createEmailHasher(Buffer.alloc(32, 7));

  beforeAll(async () => {
    dynamo = await startDynamo('esr-import-restart');
  });
  afterAll(async () => dynamo?.stop());

  const scenario = async (campaignId: string, kill: { atSave?: number; atAdvance?: number }) => {
    await seedCampaign(dynamo.client, dynamo.tableName, {
      id: campaignId,
      name: 'Restart',
      pollDate: '2027-05-06',
    });
    const emails = Array.from({ length: 45 }, (_, i) => `person${i}@example.org`);
    const csv = `email,role\n${emails.map((email) => `${email},candidate`).join('\n')}\n`;
    let nowMs = 1_000_000;
    const clock = { now: () => new Date(Date.UTC(2027, 0, 1) + nowMs) };
    const jobs = createImportJobStore(dynamo.client, dynamo.tableName, clock.now);
    const campaigns = createCampaignRepository(dynamo.client, dynamo.tableName);
    const subscriptions = createSubscriptionRepository(dynamo.client, dynamo.tableName);
    const continuations: string[] = [];
    const job = await createImport(
      { jobs, campaigns, clock, queue: { enqueue: async (id) => void continuations.push(id) } },
      campaignId,
      csv,
    );

    // The confirmation queue and worker, modelled on fake time.
    const queued: { request: ConfirmationRequest; visibleAt: number }[] = [];
    const sent: { emailHmac: string; nonce: string; at: number }[] = [];
    const deliverDue = async () => {
      for (const message of queued.splice(0).sort((a, b) => a.visibleAt - b.visibleAt)) {
        if (message.visibleAt > nowMs) {
          queued.push(message);
          continue;
        }
        const { emailHmac, nonce } = message.request;
        const subscription = await subscriptions.get(emailHmac, campaignId);
        if (!awaitingConfirmation(subscription, nonce, clock.now())) continue; // stale: dropped
        const repeat = sent.some(
          (s) => s.emailHmac === emailHmac && s.nonce === nonce && s.at > nowMs - REPEAT_GAP_MS,
        );
        if (!repeat) sent.push({ emailHmac, nonce, at: nowMs });
      }
    };

    let saves = 0;
    let advances = 0;
    let dead = false;
    const deps = (killable: boolean): ImportWorkerDeps => ({
      jobs: {
        ...jobs,
        advance: async (jobId, progress) => {
          if (killable && kill.atAdvance !== undefined && ++advances === kill.atAdvance) {
            dead = true;
            throw new Killed();
          }
          return jobs.advance(jobId, progress);
        },
      },
      subscriptions: {
        get: subscriptions.get,
        save: async (subscription, previous) => {
          if (killable && kill.atSave !== undefined && ++saves >= kill.atSave) {
            dead = true;
            throw new Killed();
          }
          return subscriptions.save(subscription, previous);
        },
      },
      suppressed: createSuppressionList(dynamo.client, dynamo.tableName).has,
      erased: createSubjectDataStore(dynamo.client, dynamo.tableName).isErased,
      campaigns,
      invitations: {
        send: async (requests, delaySeconds) => {
          for (const request of requests) queued.push({ request, visibleAt: nowMs + delaySeconds * 1000 });
        },
        backlog: async () => queued.length,
      },
      continuation: { enqueue: async (id) => void continuations.push(id) },
      keys: async () => ({ hashEmail }),
      clock,
      realNowMs: () => nowMs,
      invitationRate: async () => 10_000,
      leaseMs: LEASE_MS,
      invitationDelaySeconds: DELAY_SECONDS,
    });

    await expect(runImport(deps(true), job.jobId, () => 60_000)).rejects.toThrow(Killed);
    expect(dead).toBe(true);
    // The dead worker's delayed invitations arrive; its hold has not run out yet, so a repeat of the
    // job's message finds the job busy.
    nowMs += DELAY_SECONDS * 1000 + 1;
    await deliverDue();
    expect(await runImport(deps(false), job.jobId, () => 60_000)).toBe('busy');
    // The message comes back after its visibility timeout, past the hold: the job is taken over.
    nowMs += LEASE_MS;
    expect(await runImport(deps(false), job.jobId, () => 60_000)).toBe('done');
    nowMs += DELAY_SECONDS * 1000 + 1;
    await deliverDue();
    // Later deliveries (the job's message repeated) change nothing.
    nowMs += 10 * 60_000;
    expect(await runImport(deps(false), job.jobId, () => 60_000)).toBe('finished');
    await deliverDue();

    const perAddress = new Map<string, number>();
    for (const email of sent) perAddress.set(email.emailHmac, (perAddress.get(email.emailHmac) ?? 0) + 1);
    expect(perAddress.size).toBe(emails.length);
    expect([...perAddress.values()].every((count) => count === 1)).toBe(true);
    expect(await jobs.get(job.jobId)).toMatchObject({
      state: 'done',
      done: 45,
      invited: 45,
      rejected: 0,
      skipped: 0,
    });
    expect(await jobs.chunk(job.jobId, 0)).toBeUndefined(); // the rows, with their addresses, are gone
  };

  it(
    'between writing a group’s sign-ups (after some of them)',
    () => scenario('restart-mid-group', { atSave: 14 }),
    60_000,
  );
  it(
    'after a group’s sign-ups, before its progress is recorded',
    () => scenario('restart-before-cursor', { atAdvance: 3 }),
    60_000,
  );
  it('on the very first sign-up', () => scenario('restart-first', { atSave: 1 }), 60_000);
});
