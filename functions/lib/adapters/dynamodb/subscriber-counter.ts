import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { ROLES, type Role } from '../../domain/roles';
import { keys, TABLE_KEYS } from '../../storage/table';
import type { SubscriberCounter } from '../../subscriptions/ports';

const { audience } = TABLE_KEYS;

/**
 * Counts on the sparse audience index (confirmed subscriptions only), one COUNT query per role:
 * DynamoDB returns numbers and no item, so no address or name is ever read.
 */
export const createSubscriberCounter = (
  client: DynamoDBDocumentClient,
  tableName: string,
): SubscriberCounter => ({
  async countByRole(campaignId) {
    const counts = await Promise.all(
      ROLES.map(async (role) => {
        let count = 0;
        const pages = paginateQuery(
          { client },
          {
            TableName: tableName,
            IndexName: audience.indexName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': audience.partitionKey },
            ExpressionAttributeValues: { ':pk': keys.audienceEntry(campaignId, role, '').audiencePk },
            Select: 'COUNT',
          },
        );
        for await (const page of pages) count += page.Count ?? 0;
        return [role, count] as const;
      }),
    );
    return Object.fromEntries(counts) as Record<Role, number>;
  },
});
