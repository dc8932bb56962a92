import type { TokenSigner } from '../tokens/signer';
import type { EmailHeader } from './ports';

/** A confirm link for one sign-up (its nonce); it works as long as that sign-up waits (`expiresAt`). */
export const confirmUrl = (
  baseUrl: string,
  signer: TokenSigner,
  claims: { emailHmac: string; campaignId: string; nonce: string },
  expiresAt: number,
): string => {
  const token = signer.sign({
    purpose: 'confirm',
    emailHmac: claims.emailHmac,
    campaignId: claims.campaignId,
    nonce: claims.nonce,
    expiresAt,
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

/**
 * The "Manage your reminders" link in every email's footer: the self-service page for the address
 * (change role, join or leave campaigns, see or delete what is held). Like the unsubscribe link it
 * never expires, but it acts only on what the service still holds for the address.
 */
export const manageUrl = (
  baseUrl: string,
  signer: TokenSigner,
  claims: { emailHmac: string; campaignId: string },
): string => {
  const token = signer.sign({
    purpose: 'manage',
    emailHmac: claims.emailHmac,
    campaignId: claims.campaignId,
  });
  return `${trimSlash(baseUrl)}/manage?token=${encodeURIComponent(token)}`;
};

/** RFC 2369 and RFC 8058 headers: mail clients show an unsubscribe button that POSTs one click. */
export const unsubscribeHeaders = (url: string): EmailHeader[] => [
  { name: 'List-Unsubscribe', value: `<${url}>` },
  { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
];

const trimSlash = (url: string) => url.replace(/\/+$/, '');
