import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriberCounts } from '../../console/ports';
import { ROLES, type Role } from '../../domain/roles';
import { keys, TABLE_KEYS } from '../../storage/table';

/**
 * Confirmed subscribers per role, counted on the sparse audience index with `Select: COUNT`: no
 * item, address or name is returned, only the number.
 */
export const createSubscriberCounts = (
  client: DynamoDBDocumentClient,
  tableName: string,
): SubscriberCounts => ({
  async countByRole(campaignId) {
    const counted = await Promise.all(
      ROLES.map(async (role) => {
        let count = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: TABLE_KEYS.audience.indexName,
              KeyConditionExpression: '#pk = :pk',
              ExpressionAttributeNames: { '#pk': TABLE_KEYS.audience.partitionKey },
              ExpressionAttributeValues: { ':pk': keys.audienceEntry(campaignId, role, '').audiencePk },
              Select: 'COUNT',
              ExclusiveStartKey: start,
            }),
          );
          count += page.Count ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        return [role, count] as const;
      }),
    );
    return Object.fromEntries(counted) as Record<Role, number>;
  },
});
