import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../storage/table';
import { StaleWriteError } from '../../subscriptions/errors';
import type { Subscription } from '../../subscriptions/model';
import type { SubscriptionRepository } from '../../subscriptions/ports';
import { unlessConditionFails } from './conditions';
import { consumeThrottle } from './throttle-counter';

const ITEM_TYPE = 'subscription';

/** The stored item: the subscription plus its keys; the audience index keys only while confirmed. */
const toItem = (subscription: Subscription): Record<string, unknown> => ({
  ...keys.subscription(subscription.emailHmac, subscription.campaignId),
  type: ITEM_TYPE,
  ...subscription,
  ...(subscription.status === 'confirmed'
    ? keys.audienceEntry(subscription.campaignId, subscription.role, subscription.emailHmac)
    : {}),
});

const toSubscription = (item: Record<string, unknown>): Subscription => {
  const { pk: _pk, sk: _sk, audiencePk: _a1, audienceSk: _a2, type: _type, ...subscription } = item;
  return subscription as unknown as Subscription;
};

export const createSubscriptionRepository = (
  client: DynamoDBDocumentClient,
  tableName: string,
): SubscriptionRepository => ({
  async get(emailHmac, campaignId) {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.subscription(emailHmac, campaignId),
        ConsistentRead: true,
      }),
    );
    return Item ? toSubscription(Item) : undefined;
  },

  async listForAddress(emailHmac) {
    const found: Subscription[] = [];
    const { pk } = keys.subscription(emailHmac, '');
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.subscriptionSkPrefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) found.push(toSubscription(item));
    return found;
  },

  async save(subscription, previousVersion) {
    // A whole-item put guarded by the version read: attributes the new state drops (audience index keys, the
    // address after unsubscribe) are really gone, and a concurrent change is never overwritten.
    const written = await unlessConditionFails(
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: toItem(subscription),
          ...(previousVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': previousVersion },
              }),
        }),
      ),
    );
    if (!written) throw new StaleWriteError('The subscription changed meanwhile.');
  },

  async consumeConfirmQuota(emailHmac, campaignId, attempt, policy) {
    const key = keys.confirmThrottle(emailHmac, campaignId);
    return consumeThrottle(client, tableName, key, attempt, policy);
  },
});
