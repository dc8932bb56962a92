import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { keys, TABLE_KEYS } from '../../storage/table';
import type { DeliveryOutcome, DeliveryTrace, ErasureCounts, SubjectData } from '../../subjects/model';
import type { ErasureMarkers, SubjectDataStore } from '../../subjects/ports';
import type { Subscription } from '../../subscriptions/model';
import type { ConfirmationSent } from '../../subscriptions/throttle';

/** The maps of a call record, each from an address hash to a message id or a reason. */
const CALL_MAPS = ['sent', 'failed', 'suppressed', 'retry'] as const;
/** Steps that never fired have no delivery partition: nothing to look for there. */
const UNFIRED = new Set(['scheduled', 'skipped']);
const THROTTLE_PREFIX = 'THROTTLE#CONFIRM#';

const toSubscription = (item: Record<string, unknown>): Subscription => {
  const { pk: _pk, sk: _sk, audiencePk: _a1, audienceSk: _a2, type: _type, ...subscription } = item;
  return subscription as unknown as Subscription;
};

interface CallHit {
  key: { pk: string; sk: string };
  /** The maps that hold the hash, with what they hold for it. */
  found: Partial<Record<(typeof CALL_MAPS)[number], string>>;
}

interface StepHits {
  campaignId: string;
  stepKey: string;
  record?: { claimedAt?: number };
  calls: CallHit[];
}

/**
 * Every item keyed by (or holding) an address hash, for subject access and erasure: the `SUB#`
 * partition (subscriptions, their audience index entries, confirmation throttles), the suppression,
 * the erasure marker, and in each fired step's delivery partition the address's claim record and
 * the call records that name it. Finding call records reads each fired step's partition (a filter,
 * not a key): erasure is rare, and a claim taken over leaves no pointer to the older call records.
 */
export const createSubjectDataStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
): SubjectDataStore => {
  const get = async (key: Record<string, string>) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  const queryAll = async (input: Record<string, unknown>) => {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery({ client }, { TableName: tableName, ConsistentRead: true, ...input });
    for await (const page of pages) items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    return items;
  };

  const addressItems = (emailHmac: string) =>
    queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.subscription(emailHmac, '').pk },
    });

  /** Every campaign's fired steps (campaigns hold no personal data; there are few of them). */
  const firedSteps = async () => {
    const campaigns = await queryAll({
      IndexName: TABLE_KEYS.gsi1.indexName,
      ConsistentRead: false,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.campaignsIndex },
    });
    return campaigns.flatMap((campaign) =>
      Object.entries((campaign.steps ?? {}) as Record<string, { status?: string }>)
        .filter(([, step]) => !UNFIRED.has(String(step.status)))
        .map(([stepKey]) => ({ campaignId: String(campaign.id), stepKey })),
    );
  };

  const stepHits = async (emailHmac: string, campaignId: string, stepKey: string): Promise<StepHits> => {
    const { pk } = keys.deliveryRecord(campaignId, stepKey, emailHmac);
    const names = { '#h': emailHmac, ...Object.fromEntries(CALL_MAPS.map((m) => [`#${m}`, m])) };
    const [record, calls] = await Promise.all([
      get(keys.deliveryRecord(campaignId, stepKey, emailHmac)),
      queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :call)',
        FilterExpression: CALL_MAPS.map((m) => `attribute_exists(#${m}.#h)`).join(' OR '),
        ProjectionExpression: ['pk', 'sk', ...CALL_MAPS.map((m) => `#${m}.#h`)].join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':pk': pk, ':call': keys.deliveryCallSkPrefix },
      }),
    ]);
    return {
      campaignId,
      stepKey,
      ...(record ? { record: { claimedAt: record.claimedAt as number | undefined } } : {}),
      calls: calls.map((item) => ({
        key: { pk: String(item.pk), sk: String(item.sk) },
        found: Object.fromEntries(
          CALL_MAPS.flatMap((m) => {
            const value = (item[m] as Record<string, string> | undefined)?.[emailHmac];
            return value === undefined ? [] : [[m, value]];
          }),
        ),
      })),
    };
  };

  const deliveryHits = async (emailHmac: string) => {
    const steps = await firedSteps();
    const hits = await Promise.all(steps.map((s) => stepHits(emailHmac, s.campaignId, s.stepKey)));
    return hits.filter((hit) => hit.record || hit.calls.length > 0);
  };

  const toTrace = (hit: StepHits): DeliveryTrace => ({
    campaignId: hit.campaignId,
    stepKey: hit.stepKey,
    ...(typeof hit.record?.claimedAt === 'number'
      ? { claimedAt: new Date(hit.record.claimedAt).toISOString() }
      : {}),
    outcomes: hit.calls.flatMap((call) =>
      Object.entries(call.found).map(
        ([status, value]): DeliveryOutcome =>
          status === 'sent'
            ? { status: 'sent', messageId: value }
            : { status: status as DeliveryOutcome['status'], reason: value },
      ),
    ),
  });

  const isErased: ErasureMarkers['isErased'] = async (emailHmac) =>
    (await get(keys.erasure(emailHmac))) !== undefined;

  const remove = async (key: Record<string, string>) =>
    (await client.send(new DeleteCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_OLD' })))
      .Attributes !== undefined;

  return {
    isErased,

    async collect(emailHmac) {
      const [items, suppression, marker, deliveries] = await Promise.all([
        addressItems(emailHmac),
        get(keys.suppression(emailHmac)),
        get(keys.erasure(emailHmac)),
        deliveryHits(emailHmac),
      ]);
      const data: SubjectData = {
        emailHmac,
        subscriptions: items
          .filter((item) => String(item.sk).startsWith(keys.subscriptionSkPrefix))
          .map(toSubscription),
        confirmationThrottles: items
          .filter((item) => String(item.sk).startsWith(THROTTLE_PREFIX))
          .map((item) => ({
            campaignId: String(item.sk).slice(THROTTLE_PREFIX.length),
            sentAt: ((item.sent as ConfirmationSent[] | undefined) ?? []).map((sent) =>
              new Date(sent.at).toISOString(),
            ),
          })),
        deliveries: deliveries.map(toTrace),
      };
      if (suppression)
        data.suppression = {
          reason: String(suppression.reason),
          suppressedAt: String(suppression.suppressedAt),
        };
      if (marker) data.erasure = { erasedAt: String(marker.erasedAt) };
      return data;
    },

    async erase(emailHmac, at) {
      // The marker first: an import that runs while the rest is removed already skips the address.
      // The first erasure's time is kept; the marker never expires.
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.erasure(emailHmac),
          UpdateExpression: 'SET erasedAt = if_not_exists(erasedAt, :at)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      const counts: ErasureCounts = {
        subscriptions: 0,
        confirmationThrottles: 0,
        deliveryRecords: 0,
        callRecords: 0,
        suppressions: 0,
      };
      // Subscriptions (with their audience index entries, which live on the same item) and throttles.
      for (const item of await addressItems(emailHmac)) {
        const key = { pk: String(item.pk), sk: String(item.sk) };
        if (!(await remove(key))) continue;
        if (key.sk.startsWith(THROTTLE_PREFIX)) counts.confirmationThrottles++;
        else counts.subscriptions++;
      }
      // A bounce or complaint suppression goes too: the marker keeps imports away, and a sign-up by
      // the person is new consent (a bounce then suppresses the address afresh).
      if (await remove(keys.suppression(emailHmac))) counts.suppressions++;
      for (const hit of await deliveryHits(emailHmac)) {
        if (hit.record && (await remove(keys.deliveryRecord(hit.campaignId, hit.stepKey, emailHmac))))
          counts.deliveryRecords++;
        for (const call of hit.calls) {
          const maps = Object.keys(call.found);
          if (maps.length === 0) continue;
          // Only this address's entries leave the call record; the other recipients' stay.
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: call.key,
              UpdateExpression: `REMOVE ${maps.map((m) => `#${m}.#h`).join(', ')}`,
              ExpressionAttributeNames: {
                '#h': emailHmac,
                ...Object.fromEntries(maps.map((m) => [`#${m}`, m])),
              },
            }),
          );
          counts.callRecords++;
        }
      }
      return counts;
    },
  };
};
