import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tokens for the links in emails. A token carries ids only (the address HMAC, the campaign
 * id), its purpose and its expiry, never an email address. Each purpose signs with its own key
 * derived from the one secret, and the purpose is in the signed payload too, so a confirm token can
 * never unsubscribe and an unsubscribe token can never confirm. A manage token (the "Manage your
 * reminders" link in every email's footer) opens the self-service page and nothing else.
 *
 * Format: `v1.<base64url(JSON payload)>.<base64url(HMAC-SHA256)>`, both parts unpadded and canonical.
 * A confirm token also carries the nonce of the sign-up it confirms.
 */
export const TOKEN_PURPOSES = ['confirm', 'unsubscribe', 'manage'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface TokenClaims {
  purpose: TokenPurpose;
  emailHmac: string;
  campaignId: string;
  /** Epoch seconds after which the token is refused; undefined: never expires. */
  expiresAt?: number;
  /** Confirm links: the nonce of the one sign-up the link confirms (stored on the pending item). */
  nonce?: string;
}

/** `unknown`: genuine, but nothing it refers to can act on it (no such sign-up any more). */
export type InvalidTokenReason = 'malformed' | 'signature' | 'purpose' | 'expired' | 'unknown';

/** A link that is malformed, tampered with, for another purpose or out of date. Carries no token. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
  constructor(readonly reason: InvalidTokenReason) {
    super(`The link is not valid (${reason}).`);
  }
}

export interface TokenSigner {
  sign(claims: TokenClaims): string;
  /** Returns the claims of a genuine, unexpired token for `purpose`; throws InvalidTokenError otherwise. */
  verify(token: string, purpose: TokenPurpose, now: Date): TokenClaims;
}

const VERSION = 'v1';
const SIGNATURE_BYTES = 32;
const MAX_TOKEN_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Decodes base64url only in its canonical form: Node's decoder is lenient (it skips `=`, `!` and
 * other strangers, and ignores the spare low bits of the last character), so one token would have
 * many spellings that all verify. Re-encoding must give back exactly what was presented.
 */
const decodeCanonical = (text: string): Buffer | undefined => {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

interface WirePayload {
  p: TokenPurpose;
  h: string;
  c: string;
  e?: number;
  n?: string;
}

/** Derives a sub-key for one use from the master secret, so one leaked use cannot forge another. */
export const deriveKey = (master: Buffer, label: string): Buffer =>
  createHmac('sha256', master).update(`election-security-reminders:${label}`).digest();

export const createTokenSigner = (master: Buffer): TokenSigner => {
  const keys = Object.fromEntries(
    TOKEN_PURPOSES.map((purpose) => [purpose, deriveKey(master, `token:${purpose}:${VERSION}`)]),
  ) as Record<TokenPurpose, Buffer>;
  const mac = (purpose: TokenPurpose, signed: string) =>
    createHmac('sha256', keys[purpose]).update(signed).digest();

  return {
    sign(claims) {
      const payload: WirePayload = { p: claims.purpose, h: claims.emailHmac, c: claims.campaignId };
      if (claims.expiresAt !== undefined) payload.e = claims.expiresAt;
      if (claims.nonce !== undefined) payload.n = claims.nonce;
      const signed = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${signed}.${mac(claims.purpose, signed).toString('base64url')}`;
    },

    verify(token, purpose, now) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
        throw new InvalidTokenError('malformed');
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== VERSION) throw new InvalidTokenError('malformed');
      const [version, body, signature] = parts as [string, string, string];
      const presented = decodeCanonical(signature);
      const decodedBody = decodeCanonical(body);
      if (!presented || !decodedBody) throw new InvalidTokenError('malformed');
      // Signed with the key of the purpose the caller expects: a token made for another purpose fails here.
      const expected = mac(purpose, `${version}.${body}`);
      // timingSafeEqual needs equal lengths; the length of a signature is no secret.
      if (presented.length !== SIGNATURE_BYTES || !timingSafeEqual(presented, expected)) {
        throw new InvalidTokenError('signature');
      }
      let payload: WirePayload;
      try {
        payload = JSON.parse(decodedBody.toString('utf8')) as WirePayload;
      } catch {
        throw new InvalidTokenError('malformed');
      }
      if (
        typeof payload?.h !== 'string' ||
        typeof payload.c !== 'string' ||
        (payload.n !== undefined && typeof payload.n !== 'string')
      ) {
        throw new InvalidTokenError('malformed');
      }
      if (payload.p !== purpose) throw new InvalidTokenError('purpose');
      if (payload.e !== undefined && (typeof payload.e !== 'number' || now.getTime() / 1000 >= payload.e)) {
        throw new InvalidTokenError('expired');
      }
      return {
        purpose: payload.p,
        emailHmac: payload.h,
        campaignId: payload.c,
        expiresAt: payload.e,
        ...(payload.n !== undefined ? { nonce: payload.n } : {}),
      };
    },
  };
};
