import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { SettledOutcome, StepRef } from '../../delivery/model';
import { keys } from '../../storage/table';
import { type CallItem, resultIn } from './delivery-ledger';

/**
 * Reading a step's deliveries back, recipient by recipient: for the tests and the benchmark (and any
 * audit or recount), never the send path, so it is kept apart from the ledger's port.
 */

/** One recipient of a step as the ledger knows them: settled, or `pending` (claimed, not yet ended). */
export type RecipientDelivery = { emailHmac: string; claimId: string } & (
  | SettledOutcome
  | { status: 'pending'; reason?: string }
);

/**
 * Every recipient of a step with how their delivery ended, joining each claim with its call record:
 * for audits and recounts, not the send path (it reads the step's whole delivery partition).
 */
export const readStepDeliveries = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  step: StepRef,
): Promise<RecipientDelivery[]> => {
  const claims: { emailHmac: string; claimId: string }[] = [];
  const calls = new Map<string, CallItem>();
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.deliveryRecord(step.campaignId, step.stepKey, '').pk },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const sk = String(item.sk);
      if (sk.startsWith(keys.deliveryCallSkPrefix))
        calls.set(sk.slice(keys.deliveryCallSkPrefix.length), item);
      else claims.push({ emailHmac: sk, claimId: String(item.claimId) });
    }
  }
  return claims.map((claim) => {
    const call = calls.get(claim.claimId);
    const ended = call && resultIn(call, claim.emailHmac);
    if (!ended) return { ...claim, status: 'pending' };
    if (ended.status === 'retry') return { ...claim, status: 'pending', reason: ended.reason };
    return { ...claim, ...ended };
  });
};
