import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CampaignVersionConflictError } from '../../campaigns/errors';
import { byTimelineOrder, type Campaign, type CampaignStep } from '../../campaigns/model';
import type { CampaignRepository } from '../../campaigns/ports';
import { keys, TABLE_KEYS } from '../../storage/table';
import { unlessConditionFails } from './conditions';

const { gsi1 } = TABLE_KEYS;

/**
 * A campaign is ONE item holding its steps as a map keyed by step key (see storage/table.ts), guarded
 * by a `version` attribute: every write is conditional on it, so no transactions are needed.
 */
type CampaignItem = Omit<Campaign, 'steps'> & {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
  steps: Record<string, CampaignStep>;
};

const toItem = (campaign: Campaign): CampaignItem => ({
  ...keys.campaign(campaign.id),
  gsi1pk: keys.campaignsIndex,
  gsi1sk: keys.campaignsIndexSort(campaign.pollDate, campaign.id),
  ...campaign,
  steps: Object.fromEntries(campaign.steps.map((step) => [step.key, step])),
});

/** Strips the storage keys and turns the step map back into the ordered timeline. */
const toCampaign = (item: Record<string, unknown>): Campaign => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, steps, ...campaign } = item as CampaignItem;
  return {
    ...campaign,
    // Campaigns stored before election types were local elections with no extra non-working days.
    election: campaign.election ?? 'local',
    nonWorkingDays: campaign.nonWorkingDays ?? [],
    contacts: campaign.contacts ?? {},
    milestones: campaign.milestones ?? [],
    steps: Object.values(steps ?? {}).sort(byTimelineOrder),
  } as Campaign;
};

export const createCampaignRepository = (
  client: DynamoDBDocumentClient,
  tableName: string,
): CampaignRepository => ({
  async listCampaigns(options = {}) {
    const from = options.pollDateFrom;
    const campaigns: Campaign[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        IndexName: gsi1.indexName,
        // The index sorts by `<pollDate>#<id>`, so "from a date" is a key condition, not a filter.
        KeyConditionExpression: from ? '#pk = :pk AND #sk >= :from' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': gsi1.partitionKey, ...(from ? { '#sk': gsi1.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': keys.campaignsIndex, ...(from ? { ':from': from } : {}) },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) campaigns.push(toCampaign(item));
    }
    return campaigns;
  },

  async getCampaign(id) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: keys.campaign(id), ConsistentRead: true }),
    );
    return Item ? toCampaign(Item) : undefined;
  },

  async createCampaign(campaign) {
    const written = await unlessConditionFails(
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: toItem(campaign),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        }),
      ),
    );
    if (!written) throw new CampaignVersionConflictError(campaign.id);
  },

  async saveCampaign(campaign, expectedVersion) {
    const written = await unlessConditionFails(
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: toItem(campaign),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    );
    if (!written) throw new CampaignVersionConflictError(campaign.id);
  },

  markStepDue(campaignId, stepKey, version, firedAt) {
    // Bumping the campaign version makes a reschedule racing this firing re-read and see `due`.
    return moveStep(
      client,
      tableName,
      { campaignId, stepKey, version },
      ['scheduled'],
      'due',
      { firedAt },
      firedAt,
    );
  },

  markStepSending(campaignId, stepKey, version, recipients) {
    return moveStep(client, tableName, { campaignId, stepKey, version }, ['due'], 'sending', { recipients });
  },

  markStepSent(campaignId, stepKey, version, sentAt) {
    return moveStep(client, tableName, { campaignId, stepKey, version }, ['due', 'sending'], 'sent', {
      sentAt,
    });
  },

  markStepCancelled(campaignId, stepKey, version, at) {
    return moveStep(
      client,
      tableName,
      { campaignId, stepKey, version },
      ['due', 'sending'],
      'cancelled',
      {},
      at,
      'cancelled',
    );
  },
});

/**
 * One conditional update of one step's status (and a few attributes), only from the given statuses,
 * at the given schedule version and while the campaign is open (or, for the move that ends an
 * interrupted send, cancelled; a missing campaign is neither);
 * bumps the campaign version like every other write, and sets its `updatedAt` when given.
 */
const moveStep = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  step: { campaignId: string; stepKey: string; version: number },
  from: string[],
  to: string,
  attributes: Record<string, string | number>,
  updatedAt?: string,
  campaignStatus: 'open' | 'cancelled' = 'open',
): Promise<boolean> => {
  const names: Record<string, string> = {
    '#steps': 'steps',
    '#key': step.stepKey,
    '#stepStatus': 'status',
    '#stepVersion': 'version',
    '#version': 'version',
    '#status': 'status',
  };
  const values: Record<string, unknown> = {
    ':version': step.version,
    ':to': to,
    ':one': 1,
    ':campaignStatus': campaignStatus,
  };
  from.forEach((status, i) => {
    values[`:from${i}`] = status;
  });
  const sets = ['#steps.#key.#stepStatus = :to'];
  Object.entries(attributes).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#steps.#key.#a${i} = :a${i}`);
  });
  if (updatedAt) {
    names['#updatedAt'] = 'updatedAt';
    values[':updatedAt'] = updatedAt;
    sets.push('#updatedAt = :updatedAt');
  }
  const written = await unlessConditionFails(
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.campaign(step.campaignId),
        // A cancelled campaign's step stays as the cancel left it, unless the move is the one that
        // ends a send the cancel interrupted (campaignStatus 'cancelled').
        ConditionExpression: `#status = :campaignStatus AND #steps.#key.#stepVersion = :version AND #steps.#key.#stepStatus IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
  return written !== undefined;
};
