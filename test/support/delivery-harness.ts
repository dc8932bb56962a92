import type { SQSRecord } from 'aws-lambda';
import { createAudienceDirectory } from '../../functions/lib/adapters/dynamodb/audience-directory';
import { createDeliveryLedger } from '../../functions/lib/adapters/dynamodb/delivery-ledger';
import { readStepDeliveries } from '../../functions/lib/adapters/dynamodb/delivery-ledger-inspection';
import { createSubscriptionRepository } from '../../functions/lib/adapters/dynamodb/subscription-repository';
import type { Clock } from '../../functions/lib/clock';
import type { SendBatchMessage } from '../../functions/lib/delivery/model';
import type {
  BulkEntry,
  BulkEntryResult,
  BulkMailer,
  SendQueue,
  StepContext,
  StepLookup,
} from '../../functions/lib/delivery/ports';
import { createRateLimiter } from '../../functions/lib/delivery/rate-limiter';
import type { SendDeps } from '../../functions/lib/delivery/send';
import { ROLES, type Role } from '../../functions/lib/domain/roles';
import type { startDynamo } from './dynamo';

type Dynamo = Awaited<ReturnType<typeof startDynamo>>;

/** A confirmed subscriber, stored through the subscriptions repository (which adds its audience index keys). */
export const seedSubscriber = async (dynamo: Dynamo, campaignId: string, role: Role, n: number) => {
  const emailHmac = `h${String(n).padStart(20, '0')}`;
  const at = '2027-01-01T00:00:00.000Z';
  await createSubscriptionRepository(dynamo.client, dynamo.tableName).save(
    {
      emailHmac,
      campaignId,
      email: `person${n}@example.test`,
      name: `Person ${n}`,
      role,
      status: 'confirmed',
      source: 'api',
      consentAt: at,
      createdAt: at,
      updatedAt: at,
      confirmedAt: at,
      history: [],
      expiresAt: Date.parse('2099-01-01T00:00:00Z') / 1000,
      version: 2,
    },
    undefined,
  );
  return emailHmac;
};

/** Every recipient of a step with how their delivery ended (claims joined with their call records). */
export const deliveryRecords = (dynamo: Dynamo, campaignId: string, stepKey: string) =>
  readStepDeliveries(dynamo.client, dynamo.tableName, { campaignId, stepKey });

/** A mailer that records every address it was asked to send to, with scripted faults. */
export const recordingMailer = (
  script: (call: number, entries: BulkEntry[]) => BulkEntryResult[] | Error | undefined,
) => {
  const sentTo: string[] = [];
  let calls = 0;
  const mailer: BulkMailer = {
    async sendBulk(_template, entries) {
      calls += 1;
      const scripted = script(calls, entries);
      if (scripted instanceof Error) throw scripted;
      const results =
        scripted ?? entries.map((_, i) => ({ status: 'sent' as const, messageId: `m-${calls}-${i}` }));
      entries.forEach((entry, i) => {
        if (results[i]?.status === 'sent') sentTo.push(entry.to);
      });
      return results;
    },
  };
  return { mailer, sentTo, calls: () => calls };
};

/** A queue that keeps messages for the test to deliver by hand, as SQS records. */
export const memoryQueue = () => {
  const messages: { message: SendBatchMessage; delaySeconds: number }[] = [];
  const queue: SendQueue = {
    async enqueue(batch, delaySeconds = 0) {
      for (const message of batch) messages.push({ message, delaySeconds });
    },
  };
  const take = (): SQSRecord[] =>
    messages
      .splice(0)
      .map(
        ({ message }, i) =>
          ({ messageId: `msg-${i}-${Math.random()}`, body: JSON.stringify(message) }) as SQSRecord,
      );
  return { queue, messages, take };
};

/** The step as the campaigns store would answer, in memory, recording its status changes. */
export const memorySteps = (
  templates = { candidates: 'secure-accounts-candidates', officials: 'police-contacts-and-risks-officials' },
) => {
  /** `cancelled`: the campaign was cancelled (the step is then not live, and interrupted while it was sending). */
  const state = { live: true, cancelled: false, status: 'due' as string, recipients: 0, contextReads: 0 };
  const steps: StepLookup = {
    async stepContext() {
      state.contextReads += 1;
      const sending = state.status === 'due' || state.status === 'sending';
      return {
        words: Object.fromEntries(
          ROLES.map((role) => [role, { campaignName: 'Test poll', pollDate: 'Thursday 6 May 2027' }]),
        ) as unknown as StepContext['words'],
        live: state.live && !state.cancelled,
        interrupted: state.cancelled && sending,
        templates,
      };
    },
    async markCancelled() {
      if (state.cancelled && (state.status === 'due' || state.status === 'sending'))
        state.status = 'cancelled';
    },
    async markSending(_step, _version, recipients) {
      if (state.status === 'due') state.status = 'sending';
      state.recipients = recipients;
    },
    async markSent() {
      // As the campaigns store: a cancelled campaign's step is never marked sent.
      if (!state.cancelled) state.status = 'sent';
    },
  };
  return { steps, state };
};

export const fixedClock = (start = Date.parse('2027-04-22T08:00:00Z')) => {
  let now = start;
  const clock: Clock = { now: () => new Date(now) };
  return { clock, advance: (ms: number) => (now += ms) };
};

export const sendDeps = (
  dynamo: Dynamo,
  parts: { mailer: BulkMailer; queue: SendQueue; steps: StepLookup; clock: Clock },
): SendDeps => ({
  audience: createAudienceDirectory(dynamo.client, dynamo.tableName),
  ledger: createDeliveryLedger(dynamo.client, dynamo.tableName),
  limiter: createRateLimiter(100_000, { burst: 50 }),
  metrics: { sent: () => {}, failed: () => {}, throttled: () => {}, latency: () => {} },
  unsubscribeUrl: (hash, campaignId) => `https://reminders.test/unsubscribe?token=${campaignId}.${hash}`,
  manageUrl: (hash, campaignId) => `https://reminders.test/manage?token=${campaignId}.${hash}`,
  reminderPageUrl: (campaignId, stepKey, role) =>
    `https://reminders.test/campaigns/${campaignId}/reminders/${stepKey}?role=${role}`,
  templatePrefix: '',
  claimTimeoutMs: 60_000,
  maxAttempts: 3,
  retryBaseDelaySeconds: 1,
  // Off by default so each test sees the queue-level retry; one test turns them on.
  inlineRetries: 0,
  inlineRetryBaseMs: 1,
  ...parts,
});
