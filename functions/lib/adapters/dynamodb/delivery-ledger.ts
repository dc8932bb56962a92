import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryStats } from '../../campaigns/view';
import type { StepCounts, StepRef } from '../../delivery/model';
import type { DeliveryLedger, DispatchProgress } from '../../delivery/ports';
import { ROLES, type Role } from '../../domain/roles';
import { keys } from '../../storage/table';
import { type CapacityMeter, recordCapacity } from './capacity';
import { isConditionFailure } from './conditions';

/** Delivery records are kept this long after they settle (they hold a hash, a status and an SES id). */
const RECORD_RETENTION_SECONDS = 90 * 24 * 60 * 60;

/**
 * The DynamoDB delivery ledger: one small item per recipient per step (claim → settled), and one
 * counts item per step. Every write is a single conditional write (no transactions); every call asks
 * for ConsumedCapacity so the benchmark can report capacity units per recipient.
 */
export const createDeliveryLedger = (
  client: DynamoDBDocumentClient,
  tableName: string,
  meter?: CapacityMeter,
): DeliveryLedger => {
  const consumed = recordCapacity(meter);
  /** Sends a conditional write; false, with nothing changed, when its condition did not hold. */
  const writeIf = async (send: () => Promise<{ ConsumedCapacity?: ConsumedCapacity }>): Promise<boolean> => {
    try {
      consumed(await send());
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  };
  const record = (step: StepRef, emailHmac: string) =>
    keys.deliveryRecord(step.campaignId, step.stepKey, emailHmac);
  const counts = (step: StepRef) => keys.stepCounts(step.campaignId, step.stepKey);

  const readRecord = async (step: StepRef, emailHmac: string) => {
    const result = await client.send(
      new GetCommand({ TableName: tableName, Key: record(step, emailHmac), ReturnConsumedCapacity: 'TOTAL' }),
    );
    consumed(result);
    return result.Item;
  };

  return {
    async claim(step, emailHmac, claimId, now, staleAfterMs) {
      const claimed = await writeIf(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...record(step, emailHmac), status: 'claimed', claimId, claimedAt: now.getTime() },
            ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':claimed': 'claimed', ':stale': now.getTime() - staleAfterMs },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      if (claimed) return 'claimed';
      // Only a duplicate message or a live claim gets here: read which it is.
      const existing = await readRecord(step, emailHmac);
      return existing?.status === 'claimed' ? 'busy' : 'settled';
    },

    async release(step, emailHmac, claimId) {
      // Only if the claim is still ours: one taken over after a timeout belongs to another sender.
      await writeIf(() =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: record(step, emailHmac),
            ConditionExpression: 'claimId = :mine AND #status = :claimed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':mine': claimId, ':claimed': 'claimed' },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
    },

    async settle(step, emailHmac, outcome, now, guard) {
      const settled = {
        ...record(step, emailHmac),
        status: outcome.status,
        ...(outcome.status === 'sent' ? { messageId: outcome.messageId } : { reason: outcome.reason }),
        settledAt: now.getTime(),
        expiresAt: Math.floor(now.getTime() / 1000) + RECORD_RETENTION_SECONDS,
      };
      const condition =
        'claimId' in guard
          ? {
              ConditionExpression: 'claimId = :mine AND #status = :claimed',
              ExpressionAttributeValues: { ':mine': guard.claimId, ':claimed': 'claimed' },
            }
          : {
              ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND claimedAt < :stale)',
              ExpressionAttributeValues: { ':claimed': 'claimed', ':stale': guard.staleBefore.getTime() },
            };
      return writeIf(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: settled,
            ...condition,
            ExpressionAttributeNames: { '#status': 'status' },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
    },

    async addCounts(step, delta) {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: counts(step),
          UpdateExpression: 'ADD sent :sent, failed :failed, suppressed :suppressed',
          ExpressionAttributeValues: {
            ':sent': delta.sent ?? 0,
            ':failed': delta.failed ?? 0,
            ':suppressed': delta.suppressed ?? 0,
          },
          ReturnValues: 'ALL_NEW',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      consumed(result);
      return toCounts(result.Attributes);
    },

    async getCounts(step) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: counts(step),
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      consumed(result);
      return { ...toCounts(result.Item), progress: toProgress(result.Item) };
    },

    async advanceDispatch(step, role: Role, from, to, recipients) {
      // One conditional write moves the cursor and counts the page: a retried firing that
      // re-enqueued the same page finds the cursor moved and counts nothing.
      return writeIf(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: counts(step),
            UpdateExpression: 'SET #cursor = :to ADD recipients :n',
            ConditionExpression: from === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :from',
            ExpressionAttributeNames: { '#cursor': cursorAttribute(role) },
            ExpressionAttributeValues: {
              ':to': to,
              ':n': recipients,
              ...(from === undefined ? {} : { ':from': from }),
            },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
    },

    async completeDispatch(step) {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: counts(step),
          UpdateExpression: 'SET dispatched = :true ADD recipients :zero',
          ExpressionAttributeValues: { ':true': true, ':zero': 0 },
          ReturnValues: 'ALL_NEW',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      consumed(result);
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
