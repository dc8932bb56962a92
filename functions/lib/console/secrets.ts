import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { onceUntilRejected } from '../once';
import { deriveKey } from '../tokens/signer';

/**
 * The console's keys, each derived from the one token secret for one use (a leaked use cannot forge
 * another): the session cookie's MAC, the CSRF tokens, and the hash of an address in sign-in queue
 * messages, throttle keys and the audit log.
 */
export interface ConsoleKeys {
  /** `<id>.<mac>` for a new random id. */
  signCookie(id: string): string;
  /** The id in a genuine cookie value; undefined for anything else. */
  verifyCookie(value: string | undefined): string | undefined;
  /** The CSRF token that goes with a session (or a pre-sign-in cookie) id. */
  csrfToken(id: string): string;
  csrfMatches(id: string, presented: string | undefined): boolean;
  /** Keyed hash of a normalised address (hex): never reversible without the secret. */
  hashEmail(email: string): string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const canonical = (text: string): Buffer | undefined => {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

const sameBytes = (a: Buffer | undefined, b: Buffer) =>
  a !== undefined && a.length === b.length && timingSafeEqual(a, b);

/** 256 random bits, base64url: session ids, pre-sign-in ids and sign-in link tokens. */
export const newSecretId = (): string => randomBytes(32).toString('base64url');

/** What the table keeps of a secret id: its SHA-256, so a read of the table yields no usable cookie or link. */
export const storedIdOf = (id: string): string => createHash('sha256').update(id).digest('hex');

/** A well-formed secret id (43 base64url characters, canonical). */
export const isSecretId = (id: string): boolean => id.length === 43 && canonical(id)?.length === 32;

export const createConsoleKeys = (master: Buffer): ConsoleKeys => {
  const cookieKey = deriveKey(master, 'console:cookie:v1');
  const csrfKey = deriveKey(master, 'console:csrf:v1');
  const emailKey = deriveKey(master, 'console:email:v1');
  const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  return {
    signCookie: (id) => `${id}.${mac(cookieKey, id).toString('base64url')}`,
    verifyCookie(value) {
      if (typeof value !== 'string' || value.length > 200) return undefined;
      const [id, signature, extra] = value.split('.');
      if (!id || !signature || extra !== undefined || !isSecretId(id)) return undefined;
      return sameBytes(canonical(signature), mac(cookieKey, id)) ? id : undefined;
    },
    csrfToken: (id) => mac(csrfKey, id).toString('base64url'),
    csrfMatches: (id, presented) =>
      typeof presented === 'string' && sameBytes(canonical(presented), mac(csrfKey, id)),
    hashEmail: (email) => mac(emailKey, email.trim().toLowerCase()).toString('hex'),
  };
};

/** Builds the keys from the secret on first use, then reuses them (one secret read per cold start). */
export const consoleKeys = (loadSecret: () => Promise<Buffer>): (() => Promise<ConsoleKeys>) =>
  onceUntilRejected(async () => createConsoleKeys(await loadSecret()));
