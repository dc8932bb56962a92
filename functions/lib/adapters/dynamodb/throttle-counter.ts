import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ConfirmationAttempt,
  type ConfirmationSent,
  evaluateThrottle,
  type ThrottleDecision,
  type ThrottlePolicy,
} from '../../subscriptions/throttle';
import { unlessConditionFails } from './conditions';

/**
 * One rolling-window counter item (confirmation emails per address and campaign, console sign-in
 * emails per address): read, decide with the pure rule, write only if nobody else wrote in between;
 * on a race, read again. Still racing after three rounds, someone is hammering the address: `busy`,
 * and nothing is sent.
 */
export const consumeThrottle = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  attempt: ConfirmationAttempt,
  policy: ThrottlePolicy,
): Promise<Extract<ThrottleDecision, { allowed: false }>['reason'] | 'allowed' | 'busy'> => {
  for (let round = 0; round < 3; round++) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    const counter = Item ? { sent: (Item.sent as ConfirmationSent[] | undefined) ?? [] } : undefined;
    const decision = evaluateThrottle(counter, attempt, policy);
    if (!decision.allowed) return decision.reason;
    if (!decision.next) return 'allowed';
    const version = Item ? Number(Item.version ?? 0) : 0;
    const written = await unlessConditionFails(
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key,
            type: 'throttle',
            sent: decision.next.sent,
            version: version + 1,
            expiresAt: decision.expiresAt,
          },
          ...(Item
            ? {
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      ),
    );
    if (written) return 'allowed';
  }
  return 'busy';
};
