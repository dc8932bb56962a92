import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The header CloudFront adds to every request it sends to the API (an origin custom header; CloudFront
 * overwrites a viewer's header of the same name), carrying a value only CloudFront and the API know.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** The values the API accepts: the secret's current value and, during a rotation, its previous one. */
export interface OriginSecrets {
  accepted(): Promise<string[]>;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when the request came through CloudFront: its origin header equals one of the accepted values,
 * compared in constant time (as digests, so that the length of the value is not revealed either).
 */
export const cameThroughCloudFront = async (
  secrets: OriginSecrets,
  headers: Record<string, string | undefined> | undefined,
): Promise<boolean> => {
  const presented = headers?.[ORIGIN_VERIFY_HEADER];
  if (!presented) return false;
  const given = digest(presented);
  let match = false;
  for (const value of await secrets.accepted()) {
    // No early exit: every accepted value is compared.
    if (timingSafeEqual(given, digest(value))) match = true;
  }
  return match;
};
