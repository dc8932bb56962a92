import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SuppressionList } from '../../delivery/ports';
import { epochSeconds } from '../../shared/dates';
import { keys } from '../../storage/table';

/** Suppressions are kept for two years: long enough to outlast any campaign the address was in. */
const SUPPRESSION_RETENTION_SECONDS = 2 * 365 * 24 * 60 * 60;

export const createSuppressionList = (
  client: DynamoDBDocumentClient,
  tableName: string,
): SuppressionList & { has(emailHmac: string): Promise<boolean> } => ({
  async add(emailHmac, reason, now) {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.suppression(emailHmac),
          reason,
          suppressedAt: now.toISOString(),
          expiresAt: epochSeconds(now) + SUPPRESSION_RETENTION_SECONDS,
        },
      }),
    );
  },
  async has(emailHmac) {
    const result = await client.send(
      new GetCommand({ TableName: tableName, Key: keys.suppression(emailHmac) }),
    );
    return result.Item !== undefined;
  },
});
