import { onceUntilRejected } from '../once';
import { createTokenSigner } from '../tokens/signer';
import { createEmailHasher } from './email';
import type { SubscriptionKeys } from './ports';

/** Builds the signer and the address hasher from the secret once, on first use, then reuses them. */
export const subscriptionKeys = (loadSecret: () => Promise<Buffer>): (() => Promise<SubscriptionKeys>) =>
  onceUntilRejected(async () => {
    const secret = await loadSecret();
    return { signer: createTokenSigner(secret), hashEmail: createEmailHasher(secret) };
  });
