import type { TokenSigner } from '../tokens/signer';
import { epochSeconds } from './dates';
import { PENDING_TTL_SECONDS } from './model';
import type { EmailHeader } from './ports';

export const confirmUrl = (
  baseUrl: string,
  signer: TokenSigner,
  claims: { emailHmac: string; campaignId: string },
  now: Date,
): string => {
  const token = signer.sign({
    purpose: 'confirm',
    emailHmac: claims.emailHmac,
    campaignId: claims.campaignId,
    // Confirm links work as long as the unconfirmed sign-up they belong to.
    expiresAt: epochSeconds(now) + PENDING_TTL_SECONDS,
  });
  return `${trimSlash(baseUrl)}/subscriptions/confirm?token=${encodeURIComponent(token)}`;
};

/** Unsubscribe links never expire: a person must always be able to leave from any email. */
export const unsubscribeUrl = (
  baseUrl: string,
  signer: TokenSigner,
  claims: { emailHmac: string; campaignId: string },
): string => {
  // Only the ids are taken from `claims`: never a purpose or an expiry from another token.
  const token = signer.sign({
    purpose: 'unsubscribe',
    emailHmac: claims.emailHmac,
    campaignId: claims.campaignId,
  });
  return `${trimSlash(baseUrl)}/unsubscribe?token=${encodeURIComponent(token)}`;
};

/** RFC 2369 and RFC 8058 headers: mail clients show an unsubscribe button that POSTs one click. */
export const unsubscribeHeaders = (url: string): EmailHeader[] => [
  { name: 'List-Unsubscribe', value: `<${url}>` },
  { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
];

const trimSlash = (url: string) => url.replace(/\/+$/, '');
