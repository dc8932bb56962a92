import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryStats } from '../../campaigns/ports';
import type { StepCounts, StepRef } from '../../delivery/model';
import type {
  ClaimOutcome,
  ClaimResult,
  DeliveryLedger,
  DispatchProgress,
  SettledCounts,
} from '../../delivery/ports';
import { ROLES, type Role } from '../../domain/roles';
import { epochSeconds } from '../../shared/dates';
import { keys } from '../../storage/table';
import { type CapacityMeter, meteredItems } from './capacity';
import { unlessConditionFails } from './conditions';

/** Delivery records are kept this long (they hold a hash, a claim id, SES message ids and reasons). */
const RECORD_RETENTION_SECONDS = 90 * 24 * 60 * 60;

/**
 * A call record: how one claim ended, per recipient, as maps from emailHmac to the SES message id
 * (`sent`) or the reason (`failed`, `suppressed`, `retry`). One item per SES call instead of one write
 * per recipient: ~0.14 capacity units per recipient instead of 1.
 */
export type CallItem = Partial<Record<ClaimResult['status'], Record<string, string>>>;

/** How the claim whose record is `call` ended for one recipient; undefined if it did not hold them. */
export const resultIn = (call: CallItem, emailHmac: string): ClaimResult | undefined => {
  const sent = call.sent?.[emailHmac];
  if (sent !== undefined) return { status: 'sent', messageId: sent };
  for (const status of ['failed', 'suppressed', 'retry'] as const) {
    const reason = call[status]?.[emailHmac];
    if (reason !== undefined) return { status, reason };
  }
  return undefined;
};

/** What a call record settled, by status. */
const settledCountsOf = (call: CallItem): SettledCounts => ({
  sent: Object.keys(call.sent ?? {}).length,
  failed: Object.keys(call.failed ?? {}).length,
  suppressed: Object.keys(call.suppressed ?? {}).length,
});

/**
 * The DynamoDB delivery ledger: one small claim item per recipient per step, one call record per SES
 * call, and one counts item per step (with the set of claims begun and not yet counted). Every write
 * is a single write, conditional where it guards (no transactions: dynalite has none); every call asks
 * for ConsumedCapacity so the benchmark can report capacity units per recipient.
 */
export const createDeliveryLedger = (
  client: DynamoDBDocumentClient,
  tableName: string,
  meter?: CapacityMeter,
): DeliveryLedger => {
  const items = meteredItems(client, tableName, meter);
  const counts = (step: StepRef) => keys.stepCounts(step.campaignId, step.stepKey);
  const expiresAt = (now: Date) => epochSeconds(now) + RECORD_RETENTION_SECONDS;

  /** A strongly consistent read: it decides whether a claim may be taken over. */
  const read = async (key: Record<string, string>) =>
    (await items.get({ Key: key, ConsistentRead: true })).Item;

  return {
    async claim(step, ids, claimId, now, staleAfterMs) {
      // Each earlier claim's call record is read at most once per batch.
      const calls = new Map<string, Promise<CallItem | undefined>>();
      const callOf = (held: string) => {
        let call = calls.get(held);
        if (!call) {
          call = read(keys.deliveryCall(step.campaignId, step.stepKey, held)) as Promise<
            CallItem | undefined
          >;
          calls.set(held, call);
        }
        return call;
      };
      const put = async (emailHmac: string, previous: string | undefined) =>
        (await unlessConditionFails(
          items.put({
            Item: {
              ...keys.deliveryRecord(step.campaignId, step.stepKey, emailHmac),
              claimId,
              claimedAt: now.getTime(),
              expiresAt: expiresAt(now),
            },
            ...(previous === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'claimId = :previous',
                  ExpressionAttributeValues: { ':previous': previous },
                }),
          }),
        )) !== undefined;
      const ended = new Map<string, SettledCounts>();
      // A claim whose sender died before recording anything will never be counted: it leaves the
      // step's uncounted set before any of its recipients is taken over (once per batch; idempotent).
      const abandoned = new Map<string, Promise<unknown>>();
      const abandon = (held: string) => {
        let done = abandoned.get(held);
        if (!done) {
          done = items.update({
            Key: counts(step),
            UpdateExpression: 'DELETE uncounted :abandoned',
            ExpressionAttributeValues: { ':abandoned': new Set([held]) },
          });
          abandoned.set(held, done);
        }
        return done;
      };
      const claimOne = async (emailHmac: string): Promise<ClaimOutcome> => {
        let previous: string | undefined;
        // A takeover lost to a concurrent sender is looked at once more (it is then that sender's live claim).
        for (let pass = 0; pass < 3; pass++) {
          if (await put(emailHmac, previous)) return 'claimed';
          const existing = await read(keys.deliveryRecord(step.campaignId, step.stepKey, emailHmac));
          if (!existing) {
            previous = undefined; // expired in between: claim afresh
            continue;
          }
          const held = String(existing.claimId);
          const call = await callOf(held);
          if (call) ended.set(held, settledCountsOf(call));
          const result = call && resultIn(call, emailHmac);
          if (result && result.status !== 'retry') return 'settled';
          // No call record yet: the claim is live, unless it is so old that its sender must have died.
          if (!call && Number(existing.claimedAt) >= now.getTime() - staleAfterMs) return 'busy';
          if (!call) await abandon(held);
          previous = held;
        }
        return 'busy';
      };
      const outcomes = new Map(await Promise.all(ids.map(async (id) => [id, await claimOne(id)] as const)));
      return { outcomes, ended };
    },

    async begin(step, claimId) {
      await items.update({
        Key: counts(step),
        UpdateExpression: 'ADD uncounted :claim',
        ExpressionAttributeValues: { ':claim': new Set([claimId]) },
      });
    },

    async complete(step, claimId, results, now) {
      if (results.size === 0) return;
      const call: CallItem = {};
      for (const [emailHmac, result] of results) {
        call[result.status] = {
          ...call[result.status],
          [emailHmac]: result.status === 'sent' ? result.messageId : result.reason,
        };
      }
      // A claim ends once, the first write standing. Its id is fresh for every batch, so a record that
      // is there already is this one, from a retry of a write that had landed: nothing to do.
      await unlessConditionFails(
        items.put({
          Item: {
            ...keys.deliveryCall(step.campaignId, step.stepKey, claimId),
            ...call,
            completedAt: now.getTime(),
            expiresAt: expiresAt(now),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async count(step, claimId, settled) {
      // One write adds the claim's recipients and closes its count, only while it is open: whoever
      // counts a claim (its sender, or a repeat after that sender died) counts it once.
      const result = await unlessConditionFails(
        items.update({
          Key: counts(step),
          UpdateExpression: 'ADD sent :sent, failed :failed, suppressed :suppressed DELETE uncounted :claim',
          ConditionExpression: 'contains(uncounted, :claimId)',
          ExpressionAttributeValues: {
            ':sent': settled.sent,
            ':failed': settled.failed,
            ':suppressed': settled.suppressed,
            ':claim': new Set([claimId]),
            ':claimId': claimId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result && toCounts(result.Attributes);
    },

    async getCounts(step) {
      const { Item: item } = await items.get({ Key: counts(step), ConsistentRead: true });
      const uncounted = item?.uncounted;
      return {
        ...toCounts(item),
        progress: toProgress(item),
        uncounted: uncounted instanceof Set ? [...uncounted].map(String) : [],
      };
    },

    async advanceDispatch(step, role: Role, from, to, recipients) {
      // One conditional write moves the cursor and counts the page: a retried firing that
      // re-enqueued the same page finds the cursor moved and counts nothing.
      const moved = await unlessConditionFails(
        items.update({
          Key: counts(step),
          UpdateExpression: 'SET #cursor = :to ADD recipients :n',
          ConditionExpression: from === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :from',
          ExpressionAttributeNames: { '#cursor': cursorAttribute(role) },
          ExpressionAttributeValues: {
            ':to': to,
            ':n': recipients,
            ...(from === undefined ? {} : { ':from': from }),
          },
        }),
      );
      return moved !== undefined;
    },

    async completeDispatch(step) {
      const result = await items.update({
        Key: counts(step),
        UpdateExpression: 'SET dispatched = :true ADD recipients :zero',
        ExpressionAttributeValues: { ':true': true, ':zero': 0 },
        ReturnValues: 'ALL_NEW',
      });
      return toCounts(result.Attributes);
    },
  };
};

const toCounts = (item: Record<string, unknown> | undefined): StepCounts => ({
  recipients: Number(item?.recipients ?? 0),
  sent: Number(item?.sent ?? 0),
  failed: Number(item?.failed ?? 0),
  suppressed: Number(item?.suppressed ?? 0),
  dispatched: item?.dispatched === true,
});

const cursorAttribute = (role: Role) => `cursor_${role}`;

const toProgress = (item: Record<string, unknown> | undefined): DispatchProgress => ({
  cursors: Object.fromEntries(
    ROLES.filter((role) => typeof item?.[cursorAttribute(role)] === 'string').map((role) => [
      role,
      item?.[cursorAttribute(role)] as string,
    ]),
  ),
});

/** The admin view's per-step counts: one query over the campaign's STATS# items. */
export const createDeliveryStats = (client: DynamoDBDocumentClient, tableName: string): DeliveryStats => ({
  async countsFor(campaignId) {
    const { pk } = keys.stepCounts(campaignId, '');
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stats)',
        ExpressionAttributeValues: { ':pk': pk, ':stats': 'STATS#' },
      }),
    );
    return Object.fromEntries(
      (result.Items ?? []).map((item) => {
        const { recipients, sent, failed, suppressed } = toCounts(item);
        return [String(item.sk).slice('STATS#'.length), { recipients, sent, failed, suppressed }];
      }),
    );
  },
});
