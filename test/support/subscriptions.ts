/**
 * Helpers for subscriber-journey tests against the local stack: seed a campaign through the
 * campaigns repository, read the SES emulator's store, pull links out of emails, post forms.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createCampaignRepository } from '../../functions/lib/adapters/dynamodb/campaign-repository';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const tableClient = (endpoint: string) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials }), {
    marshallOptions: { removeUndefinedValues: true },
  });

export interface SeedCampaign {
  id: string;
  name: string;
  pollDate: string;
  status?: 'open' | 'cancelled' | 'closed';
}

/**
 * Stores a campaign through the campaigns repository (no steps, milestones or organiser: the journey
 * needs none, and a campaign without an organiser is the oldest kind the service still reads).
 */
export const seedCampaign = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  campaign: SeedCampaign,
) => {
  const at = '2026-01-01T00:00:00.000Z';
  await createCampaignRepository(client, tableName).createCampaign({
    id: campaign.id,
    name: campaign.name,
    pollDate: campaign.pollDate,
    election: 'local',
    nation: 'england',
    nonWorkingDays: [],
    contacts: {},
    milestones: [],
    playbook: 'uk-election-security',
    timezone: 'Europe/London',
    status: campaign.status ?? 'open',
    steps: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
};

/** Every item except campaigns: what the journey wrote. */
export const journeyItems = async (client: DynamoDBDocumentClient, tableName: string) => {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
  return Items.filter((item) => String(item.pk).startsWith('SUB#'));
};

export interface StoredEmail {
  /** FromEmailAddress as sent, display name and all. */
  from: string;
  replyTo?: string[];
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

export const sesStore = async (sesEndpoint: string): Promise<StoredEmail[]> => {
  const response = await fetch(`${sesEndpoint}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
};

export const emailsTo = async (sesEndpoint: string, address: string, mark = 0) =>
  (await sentSince(sesEndpoint, mark)).filter((email) => email.destination.to.includes(address));

/**
 * The emulator's POST /clear-store also deletes the templates, so tests never clear it: they take a
 * mark and read only what was sent after it.
 */
export const sesMark = async (sesEndpoint: string): Promise<number> => (await sesStore(sesEndpoint)).length;

export const sentSince = async (sesEndpoint: string, mark: number) =>
  (await sesStore(sesEndpoint)).slice(mark);

/** The first link in an email's text part whose path starts with `path`. */
export const linkIn = (email: StoredEmail, path: string): string => {
  const found = (email.body.text ?? '')
    .match(/https?:\/\/\S+/g)
    ?.find((url) => new URL(url).pathname === path);
  if (!found) throw new Error(`No ${path} link in the email "${email.subject}"`);
  return found;
};

export const header = (email: StoredEmail, name: string) =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

export const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
