import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '../../campaigns/model';
import type { CampaignRepository } from '../../campaigns/ports';
import { keys, TABLE_KEYS } from '../../storage/table';

const { gsi1 } = TABLE_KEYS;

/** Strips the storage keys so the domain sees plain campaigns. */
const toCampaign = (item: Record<string, unknown>): Campaign => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...campaign } = item;
  return campaign as unknown as Campaign;
};

export const createCampaignRepository = (
  client: DynamoDBDocumentClient,
  tableName: string,
): CampaignRepository => ({
  async listCampaigns() {
    const campaigns: Campaign[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        IndexName: gsi1.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': gsi1.partitionKey },
        ExpressionAttributeValues: { ':pk': keys.campaignsIndex },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) campaigns.push(toCampaign(item));
    }
    return campaigns;
  },
});
