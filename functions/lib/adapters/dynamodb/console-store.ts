import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LinkRefusal, SessionStore, SignInLinkStore, SignInThrottle } from '../../console/ports';
import { keys } from '../../storage/table';
import { unlessConditionFails } from './conditions';
import { consumeThrottle } from './throttle-counter';

/** Console sessions: one item each, TTL at the moment the session would end unused. */
export const createSessionStore = (client: DynamoDBDocumentClient, tableName: string): SessionStore => ({
  async create(storedId, record, expiresAt) {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.consoleSession(storedId), type: 'console-session', ...record, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },
  async get(storedId) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: keys.consoleSession(storedId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      email: String(Item.email),
      createdAt: Number(Item.createdAt),
      lastSeenAt: Number(Item.lastSeenAt),
      ...(Item.endedAt !== undefined ? { endedAt: Number(Item.endedAt) } : {}),
    };
  },
  async touch(storedId, lastSeenAt, expiresAt) {
    await unlessConditionFails(
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.consoleSession(storedId),
          UpdateExpression: 'SET lastSeenAt = :seen, expiresAt = :expires',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(endedAt) AND lastSeenAt < :seen',
          ExpressionAttributeValues: { ':seen': lastSeenAt, ':expires': expiresAt },
        }),
      ),
    );
  },
  async end(storedId, at) {
    const ended = await unlessConditionFails(
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.consoleSession(storedId),
          UpdateExpression: 'SET endedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(endedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
    return ended !== undefined;
  },
});

/** One-time sign-in links: created with a TTL, used by one conditional write. */
export const createSignInLinkStore = (client: DynamoDBDocumentClient, tableName: string): SignInLinkStore => {
  const read = async (storedId: string, nowMs: number): Promise<{ emailHash: string } | LinkRefusal> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: keys.consoleSignInLink(storedId), ConsistentRead: true }),
    );
    if (!Item) return 'unknown';
    if (Item.usedAt !== undefined) return 'used';
    // TTL deletes lazily: the expiry is checked here, not left to it.
    if (Number(Item.expiresAtMs) <= nowMs) return 'expired';
    return { emailHash: String(Item.emailHash) };
  };
  return {
    async create(storedId, link) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.consoleSignInLink(storedId),
            type: 'console-sign-in-link',
            emailHash: link.emailHash,
            createdAt: link.createdAt,
            expiresAtMs: link.expiresAt,
            // Kept a day past its use by date, then TTL removes it.
            expiresAt: Math.ceil(link.expiresAt / 1000) + 24 * 60 * 60,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    peek: read,
    async consume(storedId, nowMs) {
      const used = await unlessConditionFails(
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.consoleSignInLink(storedId),
            UpdateExpression: 'SET usedAt = :now',
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAtMs > :now',
            ExpressionAttributeValues: { ':now': nowMs },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      if (used?.Attributes) return { emailHash: String(used.Attributes.emailHash) };
      // Refused: read it again only to say why (for the log and the audit entry).
      const why = await read(storedId, nowMs);
      return typeof why === 'string' ? why : 'used';
    },
  };
};

/** Sign-in emails per address: the confirmation emails' rolling-window counter, on its own key. */
export const createSignInThrottle = (client: DynamoDBDocumentClient, tableName: string): SignInThrottle => ({
  async consume(emailHash, attempt, policy) {
    const key = keys.consoleSignInThrottle(emailHash);
    return consumeThrottle(client, tableName, key, attempt, policy);
  },
});
