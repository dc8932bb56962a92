import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '../../audit/ports';
import { keys } from '../../storage/table';

const PAGE = 200;

/**
 * The audit log in one partition, sorted by time (newest first on reading). A campaign's entries are
 * filtered from it: the log is small next to anything the table sends.
 */
export const createAuditLog = (client: DynamoDBDocumentClient, tableName: string): AuditLog => ({
  async record(entry) {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.audit(entry.at, randomBytes(6).toString('hex')), type: 'audit', ...entry },
      }),
    );
  },
  async list(options = {}) {
    const limit = options.limit ?? 100;
    const entries: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.auditPartition,
            ...(options.campaignId ? { ':campaignId': options.campaignId } : {}),
          },
          ...(options.campaignId ? { FilterExpression: 'campaignId = :campaignId' } : {}),
          ScanIndexForward: false,
          Limit: PAGE,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        entries.push({
          at: String(item.at),
          actor: String(item.actor),
          action: String(item.action),
          ...(item.campaignId ? { campaignId: String(item.campaignId) } : {}),
          ...(item.detail ? { detail: item.detail as AuditEntry['detail'] } : {}),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start && entries.length < limit);
    return entries.slice(0, limit);
  },
});
