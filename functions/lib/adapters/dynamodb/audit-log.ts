import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '../../audit/ports';
import { keys, TABLE_KEYS } from '../../storage/table';

const { gsi1 } = TABLE_KEYS;

/**
 * The audit log in the one table: an item per entry under its campaign's `AUDIT#` partition, on
 * gsi1 (`AUDIT`) for the newest entries across campaigns, expiring `retentionDays` after the action.
 */
export const createAuditLog = (
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { retentionDays: number },
): AuditLog => ({
  async record(entry) {
    // Entries at the same instant (a clock that stands still, a burst of actions) keep the order they
    // were written in: real time first, then random bits against two writers in the same millisecond.
    const id = `${Date.now().toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
    const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + options.retentionDays * 86_400;
    const key = keys.auditEntry(entry.campaignId, entry.at, id);
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...key,
          [gsi1.partitionKey]: keys.auditIndex,
          [gsi1.sortKey]: key.sk,
          ...entry,
          [TABLE_KEYS.ttlAttribute]: expiresAt,
        },
      }),
    );
  },

  async list(options = {}) {
    const limit = options.limit ?? 100;
    const byCampaign = options.campaignId !== undefined;
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName,
        ...(byCampaign ? {} : { IndexName: gsi1.indexName }),
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': byCampaign ? TABLE_KEYS.partitionKey : gsi1.partitionKey },
        ExpressionAttributeValues: {
          ':pk': byCampaign ? keys.auditPartition(options.campaignId) : keys.auditIndex,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(
      ({ at, actor, action, campaignId, detail }): AuditEntry => ({
        at,
        actor,
        action,
        ...(campaignId ? { campaignId } : {}),
        ...(detail ? { detail } : {}),
      }),
    );
  },
});
