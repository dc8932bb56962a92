import type { AdminIdentity } from '../../functions/lib/admins/model';
import { approveCampaign } from '../../functions/lib/campaigns/approvals';
import { type CampaignDeps, createCampaign } from '../../functions/lib/campaigns/campaigns';
import type { CreateCampaignInput } from '../../functions/lib/campaigns/schema';

/**
 * Campaigns as tests need them: a new campaign is a draft until a second admin approves it, so the
 * helpers here create it as one admin and approve it as another.
 */
export const TEST_EDITOR: AdminIdentity = { email: 'editor@example.org', role: 'editor' };
export const TEST_APPROVER: AdminIdentity = { email: 'approver@example.org', role: 'approver' };
export const TEST_SECOND_APPROVER: AdminIdentity = { email: 'second.approver@example.org', role: 'approver' };
export const TEST_VIEWER: AdminIdentity = { email: 'viewer@example.org', role: 'viewer' };

/** ESR_ADMINS for a test stack: who `X-Esr-Admin` may name. */
export const TEST_ESR_ADMINS = [TEST_EDITOR, TEST_APPROVER, TEST_SECOND_APPROVER, TEST_VIEWER]
  .map(({ email, role }) => `${email}:${role}`)
  .join(',');

/** Core: creates the draft as an editor and opens it as an approver (its steps scheduled). */
export const createOpenCampaign = async (deps: CampaignDeps, input: CreateCampaignInput) => {
  const { campaign: draft } = await createCampaign(deps, input, TEST_EDITOR);
  const outcome = await approveCampaign(deps, { campaignId: draft.id, approver: TEST_APPROVER });
  if (outcome.approved !== 'draft')
    throw new Error(`expected the draft to be approved, got ${outcome.approved}`);
  return { campaign: outcome.campaign, skipped: outcome.skipped };
};

const adminHeaders = (token: string, as?: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  ...(as ? { 'x-esr-admin': as } : {}),
});

/** HTTP: approves what waits on the campaign as `as` (default: the test approver, named by X-Esr-Admin). */
export const approveOverHttp = (
  apiUrl: string,
  token: string,
  campaignId: string,
  options: { as?: string; body?: unknown } = {},
) =>
  fetch(`${apiUrl}/admin/campaigns/${campaignId}/approve`, {
    method: 'POST',
    headers: adminHeaders(token, options.as ?? TEST_APPROVER.email),
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });

/**
 * HTTP: POST /admin/campaigns with the bearer token alone (the local stack's IAM principal), then
 * approves it as the test approver (the stack must have TEST_ESR_ADMINS). Answers the creation's
 * answer and the approval's, whose body is the open campaign.
 */
export const createOpenCampaignOverHttp = async (apiUrl: string, token: string, body: unknown) => {
  const created = await fetch(`${apiUrl}/admin/campaigns`, {
    method: 'POST',
    headers: adminHeaders(token),
    body: JSON.stringify(body),
  });
  if (created.status !== 201) return { created, approved: undefined };
  const { id } = (await created.clone().json()) as { id: string };
  const approved = await approveOverHttp(apiUrl, token, id);
  return { created, approved };
};
