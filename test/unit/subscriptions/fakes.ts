import type { SuppressionList } from '../../../functions/lib/delivery/ports';
import { StaleWriteError } from '../../../functions/lib/subscriptions/errors';
import type { Subscription } from '../../../functions/lib/subscriptions/model';
import type { QuotaOutcome, SubscriptionRepository } from '../../../functions/lib/subscriptions/ports';
import { evaluateThrottle, type ThrottleCounter } from '../../../functions/lib/subscriptions/throttle';

/**
 * In-memory fakes of the subscription ports, held to the DynamoDB adapters' rules by the contract
 * suite (test/integration/repository-contract.test.ts).
 */

const copy = <T>(value: T): T => structuredClone(value);
const keyOf = (emailHmac: string, campaignId: string) => `${emailHmac}/${campaignId}`;

export class FakeSubscriptionRepository implements SubscriptionRepository {
  readonly items = new Map<string, Subscription>();
  readonly throttles = new Map<string, ThrottleCounter>();
  /** When set, every consumeConfirmQuota answers this instead of applying the policy. */
  quotaOverride?: QuotaOutcome;

  async get(emailHmac: string, campaignId: string) {
    const item = this.items.get(keyOf(emailHmac, campaignId));
    return item ? copy(item) : undefined;
  }

  async listForAddress(emailHmac: string) {
    return [...this.items.values()].filter((item) => item.emailHmac === emailHmac).map(copy);
  }

  async save(subscription: Subscription, previousVersion: number | undefined) {
    const key = keyOf(subscription.emailHmac, subscription.campaignId);
    if (this.items.get(key)?.version !== previousVersion) {
      throw new StaleWriteError('The subscription changed meanwhile.');
    }
    this.items.set(key, copy(subscription));
  }

  async consumeConfirmQuota(
    ...[emailHmac, campaignId, attempt, policy]: Parameters<SubscriptionRepository['consumeConfirmQuota']>
  ): Promise<QuotaOutcome> {
    if (this.quotaOverride) return this.quotaOverride;
    const key = keyOf(emailHmac, campaignId);
    const decision = evaluateThrottle(this.throttles.get(key), attempt, policy);
    if (!decision.allowed) return decision.reason;
    if (decision.next) this.throttles.set(key, copy(decision.next));
    return 'allowed';
  }
}

export class FakeSuppressionList implements SuppressionList {
  readonly suppressed = new Map<string, string>();
  async add(emailHmac: string, reason: Parameters<SuppressionList['add']>[1]) {
    this.suppressed.set(emailHmac, reason);
  }
  async has(emailHmac: string) {
    return this.suppressed.has(emailHmac);
  }
}
