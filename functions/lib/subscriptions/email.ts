import { createHmac } from 'node:crypto';
import { deriveKey } from '../tokens/signer';

/** Addresses are compared as people expect: surrounding spaces and letter case do not matter. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export type EmailHasher = (email: string) => string;

/**
 * The key every subscription is stored under: an HMAC of the normalised address (hex). Keyed, so
 * the table alone cannot be used to test whether a known address is subscribed.
 */
export const createEmailHasher = (master: Buffer): EmailHasher => {
  const key = deriveKey(master, 'email-address:v1');
  return (email) => createHmac('sha256', key).update(normaliseEmail(email)).digest('hex');
};
