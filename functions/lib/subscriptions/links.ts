import type { TokenSigner } from '../tokens/signer';
import type { EmailHeader } from './ports';

/** Confirm links work for 7 days, like the unconfirmed sign-up they belong to. */
export const CONFIRM_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;

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
    expiresAt: Math.floor(now.getTime() / 1000) + CONFIRM_TOKEN_TTL_SECONDS,
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
