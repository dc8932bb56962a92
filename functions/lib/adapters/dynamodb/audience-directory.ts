import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AudienceDirectory, Recipient } from '../../delivery/ports';
import type { Role } from '../../domain/roles';
import { keys, TABLE_KEYS } from '../../storage/table';
import { type CapacityMeter, recordCapacity } from './capacity';

const { audience: index } = TABLE_KEYS;

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

/**
 * Confirmed subscribers of a campaign by role, from the sparse, narrow audience index: only confirmed
 * subscriptions carry its keys, so unsubscribed and suppressed people are never read. Pages carry
 * ids only; the sender reads addresses back by range, eventually consistent.
 */
export const createAudienceDirectory = (
  client: DynamoDBDocumentClient,
  tableName: string,
  meter?: CapacityMeter,
): AudienceDirectory => {
  const consumed = recordCapacity(meter);
  /** One query of a campaign role's partition of the audience index, `sortKey` narrowing it further. */
  const query = (
    campaignId: string,
    role: Role,
    options: {
      sortKey?: { condition: string; values: Record<string, unknown> };
      projectIdsOnly?: boolean;
      limit?: number;
      start?: Record<string, unknown>;
    },
  ) =>
    client
      .send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.indexName,
          KeyConditionExpression: `#pk = :pk${options.sortKey ? ` AND ${options.sortKey.condition}` : ''}`,
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: {
            ':pk': keys.audienceEntry(campaignId, role, '').audiencePk,
            ...options.sortKey?.values,
          },
          // Ids only, said explicitly: dispatch's IAM grant allows no other attribute and requires Select.
          ...(options.projectIdsOnly ? { ProjectionExpression: '#sk', Select: 'SPECIFIC_ATTRIBUTES' } : {}),
          Limit: options.limit,
          ExclusiveStartKey: options.start,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      )
      .then(consumed);

  return {
    async page(campaignId, role, cursor, limit) {
      const result = await query(campaignId, role, {
        projectIdsOnly: true,
        limit,
        start: cursor ? decodeCursor(cursor) : undefined,
      });
      return {
        ids: (result.Items ?? []).map((item) => String(item[index.sortKey])),
        ...(result.LastEvaluatedKey ? { next: encodeCursor(result.LastEvaluatedKey) } : {}),
      };
    },

    async load(campaignId, role, ids) {
      if (ids.length === 0) return [];
      const wanted = new Set(ids);
      const sorted = [...ids].sort();
      const recipients: Recipient[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const result = await query(campaignId, role, {
          sortKey: {
            condition: '#sk BETWEEN :first AND :last',
            values: { ':first': sorted[0], ':last': sorted[sorted.length - 1] },
          },
          start,
        });
        for (const item of result.Items ?? []) {
          const emailHmac = String(item.emailHmac);
          if (!wanted.has(emailHmac) || item.status !== 'confirmed' || typeof item.email !== 'string')
            continue;
          recipients.push({
            emailHmac,
            email: item.email,
            role: item.role as Role,
            ...(typeof item.name === 'string' && item.name ? { name: item.name } : {}),
          });
        }
        start = result.LastEvaluatedKey;
      } while (start);
      return recipients;
    },
  };
};
