import { z } from 'zod';
import { listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { Campaign, PublicCampaign } from '../campaigns/model';
import { ROLES, type Role } from '../domain/roles';
import { logger } from '../logger';
import { retentionEnd } from '../shared/dates';
import type { SubjectRightsDeps } from '../subjects/ports';
import type { TokenClaims } from '../tokens/signer';
import { sendWelcome } from './confirm';
import { type Subscription, withHistory } from './model';
import type { SubscriptionDeps } from './ports';
import { withStaleRetry } from './retry';
import { newNonce } from './subscribe';
import { planUnsubscribe } from './unsubscribe';

/**
 * The "Manage your reminders" page's core: what a manage token's holder may see and change. The
 * token is the only credential (no sign-in, no cookie): it names the address hash, and every change
 * is recorded in the subscription's history with the source `self-service`.
 */
export type ManageDeps = SubscriptionDeps & { subjects: SubjectRightsDeps };

const SOURCE = 'self-service' as const;

/** Why a change was refused; the page names it from the catalogue (`manage.error.<reason>`). */
export type ManageRefusal = 'invalid' | 'not-subscribed' | 'closed' | 'no-address';

export class ManageRefusedError extends Error {
  override readonly name = 'ManageRefusedError';
  constructor(readonly reason: ManageRefusal) {
    super(`The change was refused (${reason}).`);
  }
}

export interface ManagedSubscription {
  subscription: Subscription;
  /** Undefined for a campaign no longer on record. */
  campaign?: Campaign;
}

export interface ManageState {
  claims: TokenClaims;
  /** The address, while any subscription still holds it (it is removed on unsubscribe). */
  email?: string;
  subscriptions: ManagedSubscription[];
  /** Open campaigns the address is not in (pending or confirmed); joinable only while `email` is known. */
  joinable: PublicCampaign[];
}

/** Verifies a manage token (they never expire); throws InvalidTokenError for a bad one. */
export const verifyManageToken = async (deps: SubscriptionDeps, token: string): Promise<TokenClaims> =>
  (await deps.keys()).signer.verify(token, 'manage', deps.clock.now());

const isActive = (subscription: Subscription) => subscription.status !== 'unsubscribed';

/**
 * The address held, from a subscription that still holds it (a confirmed one first), and the name
 * only from a confirmed one: a pending sign-up's name was typed by whoever posted the address.
 */
const heldContact = (subscriptions: Subscription[]) => {
  const confirmed = subscriptions.find((s) => s.status === 'confirmed' && s.email);
  const holder = confirmed ?? subscriptions.find((s) => s.email);
  if (!holder?.email) return undefined;
  return { email: holder.email, ...(confirmed?.name ? { name: confirmed.name } : {}) };
};

export const loadManageState = async (deps: ManageDeps, token: string): Promise<ManageState> => {
  const claims = await verifyManageToken(deps, token);
  const [subscriptions, open] = await Promise.all([
    deps.subscriptions.listForAddress(claims.emailHmac),
    listOpenCampaigns(deps),
  ]);
  const campaigns = await Promise.all(subscriptions.map((s) => deps.campaigns.getCampaign(s.campaignId)));
  const active = new Set(subscriptions.filter(isActive).map((s) => s.campaignId));
  const contact = heldContact(subscriptions);
  return {
    claims,
    ...(contact ? { email: contact.email } : {}),
    subscriptions: subscriptions
      .map((subscription, i) => ({
        subscription,
        ...(campaigns[i] ? { campaign: campaigns[i] } : {}),
      }))
      // Active ones first, then by poll date.
      .sort(
        (a, b) =>
          Number(isActive(b.subscription)) - Number(isActive(a.subscription)) ||
          (a.campaign?.pollDate ?? '').localeCompare(b.campaign?.pollDate ?? ''),
      ),
    joinable: open.filter((campaign) => !active.has(campaign.id)),
  };
};

const campaignId = z.string().min(1).max(100);
const role = z.enum(ROLES);
export const manageActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('role'), campaignId, role }),
  z.object({ action: z.literal('join'), campaignId, role }),
  z.object({ action: z.literal('leave'), campaignId }),
  z.object({ action: z.literal('leave-all') }),
]);
export type ManageAction = z.infer<typeof manageActionSchema>;

/** A new role for a pending or confirmed subscription; undefined when nothing changes. */
export const planRoleChange = (
  existing: Subscription,
  newRole: Role,
  now: Date,
): Subscription | undefined => {
  if (!isActive(existing)) throw new ManageRefusedError('not-subscribed');
  if (existing.role === newRole && !existing.pendingChange) return undefined;
  const at = now.toISOString();
  // A change waiting for its confirm link is overtaken by this one, made by the mailbox's holder.
  const { pendingChange: _change, ...rest } = existing;
  return {
    ...rest,
    role: newRole,
    updatedAt: at,
    history: withHistory(existing.history, { at, event: 'role-changed', source: SOURCE }),
    version: existing.version + 1,
  };
};

/**
 * Joining an open campaign from the manage page: confirmed at once, since the link proves the
 * mailbox as a confirm link would. The address and name are those already held for the address.
 */
export const planJoin = (
  existing: Subscription | undefined,
  input: { emailHmac: string; email: string; name?: string; role: Role },
  campaign: Pick<Campaign, 'id' | 'pollDate'>,
  now: Date,
  retentionDays: number,
): Subscription => {
  const at = now.toISOString();
  return {
    emailHmac: input.emailHmac,
    campaignId: campaign.id,
    email: input.email,
    ...(input.name ? { name: input.name } : {}),
    role: input.role,
    status: 'confirmed',
    source: SOURCE,
    consentAt: at,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
    confirmedAt: at,
    nonce: newNonce(),
    history: withHistory(existing?.history ?? [], { at, event: 'joined', source: SOURCE }),
    expiresAt: retentionEnd(campaign.pollDate, retentionDays),
    version: (existing?.version ?? 0) + 1,
  };
};

/** Applies one change from the manage page; throws ManageRefusedError (nothing changed) when it may not. */
export const applyManageAction = async (
  deps: ManageDeps,
  token: string,
  input: unknown,
): Promise<ManageAction> => {
  const claims = await verifyManageToken(deps, token);
  const parsed = manageActionSchema.safeParse(input);
  if (!parsed.success) throw new ManageRefusedError('invalid');
  const action = parsed.data;
  const now = deps.clock.now();
  const { emailHmac } = claims;

  if (action.action === 'leave' || action.action === 'leave-all') {
    const changed = await withStaleRetry(async () => {
      const targets =
        action.action === 'leave-all'
          ? await deps.subscriptions.listForAddress(emailHmac)
          : [await deps.subscriptions.get(emailHmac, action.campaignId)].filter(
              (s): s is Subscription => s !== undefined,
            );
      let count = 0;
      for (const existing of targets) {
        const next = planUnsubscribe(
          existing,
          now,
          SOURCE,
          action.action === 'leave-all' ? 'all' : 'campaign',
        );
        if (!next) continue;
        await deps.subscriptions.save(next, existing.version);
        count++;
      }
      return count;
    });
    if (action.action === 'leave' && changed === 0) throw new ManageRefusedError('not-subscribed');
    logger.info('Self-service change', { action: action.action, subscription: emailHmac, changed });
    return action;
  }

  if (action.action === 'role') {
    await withStaleRetry(async () => {
      const existing = await deps.subscriptions.get(emailHmac, action.campaignId);
      if (!existing) throw new ManageRefusedError('not-subscribed');
      const next = planRoleChange(existing, action.role, now);
      if (next) await deps.subscriptions.save(next, existing.version);
    });
    logger.info('Self-service change', {
      action: 'role',
      campaignId: action.campaignId,
      subscription: emailHmac,
    });
    return action;
  }

  // Join: an open campaign, with the address still held for this hash (the token holds none).
  const campaign = (await listOpenCampaigns(deps)).some((open) => open.id === action.campaignId)
    ? await deps.campaigns.getCampaign(action.campaignId)
    : undefined;
  if (!campaign) throw new ManageRefusedError('closed');
  const joined = await withStaleRetry(async () => {
    const all = await deps.subscriptions.listForAddress(emailHmac);
    const contact = heldContact(all);
    if (!contact) throw new ManageRefusedError('no-address');
    const existing = all.find((s) => s.campaignId === campaign.id);
    if (existing?.status === 'confirmed') {
      const next = planRoleChange(existing, action.role, now);
      if (next) await deps.subscriptions.save(next, existing.version);
      return undefined;
    }
    const next = planJoin(
      existing,
      { emailHmac, ...contact, role: action.role },
      campaign,
      now,
      deps.retentionDays,
    );
    await deps.subscriptions.save(next, existing?.version);
    return next;
  });
  logger.info('Self-service change', { action: 'join', campaignId: campaign.id, subscription: emailHmac });
  if (joined) await sendWelcome(deps, (await deps.keys()).signer, campaign, joined, now);
  return action;
};
