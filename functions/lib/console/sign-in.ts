import { z } from 'zod';
import type { AdminIdentity } from '../admins/model';
import { recordAudit } from '../audit/audit';
import { logger } from '../logger';
import type { ThrottlePolicy } from '../subscriptions/throttle';
import type { ConsoleDeps, LinkRefusal, SignInEmailDeps, SignInRequest } from './ports';
import { isSecretId, newSecretId, storedIdOf } from './secrets';
import { startSession } from './session';
import { signInEmail } from './sign-in-email';

/** A sign-in link works for 15 minutes, once. */
export const SIGN_IN_LINK_TTL_MS = 15 * 60 * 1000;

/** At most 3 sign-in emails per address in any rolling hour. */
export const SIGN_IN_EMAIL_THROTTLE: ThrottlePolicy = { limit: 3, windowMs: 60 * 60 * 1000, repeatGapMs: 0 };

export const signInRequestSchema = z.object({
  emailHash: z.string().regex(/^[0-9a-f]{64}$/),
  requestedAt: z.iso.datetime(),
});

/**
 * The sign-in form: the same work for every address (one hash, one queued message) and so the same
 * answer in the same time. Whether the address may sign in is decided by the worker, off the
 * request path.
 */
export const requestSignIn = async (deps: Pick<ConsoleDeps, 'keys' | 'signIns' | 'clock'>, email: string) => {
  const { hashEmail } = await deps.keys();
  const message: SignInRequest = { emailHash: hashEmail(email), requestedAt: deps.clock.now().toISOString() };
  await deps.signIns.request(message);
};

export type SignInEmailOutcome = 'sent' | 'not-allowed' | 'limit' | 'repeat' | 'busy';

/** A short form of an address hash for the audit log: enough to see repeats, nothing to reverse. */
export const hashForAudit = (emailHash: string) => emailHash.slice(0, 16);

/**
 * The worker: emails a one-time sign-in link to an allow-listed address, at most 3 an hour. Anyone
 * else gets nothing, and the audit log notes a failed sign-in with the address's hash only (the
 * address may be anybody's, a subscriber's included).
 */
export const sendSignInLink = async (
  deps: SignInEmailDeps,
  request: SignInRequest,
  messageId: string,
): Promise<SignInEmailOutcome> => {
  const keys = await deps.keys();
  const now = deps.clock.now();
  const admin = await deps.admins.findByHash(request.emailHash, keys.hashEmail);
  if (!admin) {
    await recordAudit(deps.audit, {
      at: now.toISOString(),
      actor: 'unknown',
      action: 'console.sign-in-refused',
      detail: { reason: 'not-allowed', addressHash: hashForAudit(request.emailHash) },
    });
    return 'not-allowed';
  }
  const quota = await deps.throttle.consume(
    request.emailHash,
    { nowMs: now.getTime(), nonce: messageId, messageId },
    SIGN_IN_EMAIL_THROTTLE,
  );
  if (quota !== 'allowed') {
    await recordAudit(deps.audit, {
      at: now.toISOString(),
      actor: admin.email,
      action: 'console.sign-in-refused',
      detail: { reason: 'too-many-emails' },
    });
    return quota;
  }
  const token = newSecretId();
  const expiresAt = now.getTime() + SIGN_IN_LINK_TTL_MS;
  await deps.links.create(storedIdOf(token), {
    emailHash: request.emailHash,
    createdAt: now.getTime(),
    expiresAt,
  });
  const url = `${deps.publicBaseUrl}/console/sign-in/link?token=${token}`;
  await deps.mailer.send({ to: admin.email, ...signInEmail({ url, minutes: SIGN_IN_LINK_TTL_MS / 60_000 }) });
  await recordAudit(deps.audit, {
    at: now.toISOString(),
    actor: admin.email,
    action: 'console.sign-in-link-sent',
  });
  return 'sent';
};

/** A sign-in link that cannot sign anyone in. Carries no token. */
export class SignInLinkError extends Error {
  override readonly name = 'SignInLinkError';
  constructor(readonly reason: LinkRefusal | 'malformed' | 'not-allowed') {
    super(`The sign-in link cannot be used (${reason}).`);
  }
}

/** Whether the link in a GET could sign in now; the page with the button shows only if so. */
export const checkSignInLink = async (deps: ConsoleDeps, token: string): Promise<void> => {
  if (!isSecretId(token)) throw new SignInLinkError('malformed');
  const found = await deps.links.peek(storedIdOf(token), deps.clock.now().getTime());
  if (typeof found === 'string') throw new SignInLinkError(found);
};

/**
 * Uses a sign-in link (once: a conditional write) and starts a session for the admin it was sent
 * to, if they are still on the allow-list.
 */
export const completeSignIn = async (
  deps: ConsoleDeps,
  token: string,
): Promise<{ admin: AdminIdentity; sessionId: string; cookieValue: string }> => {
  const now = deps.clock.now();
  const refuse = async (reason: SignInLinkError['reason'], actor = 'unknown') => {
    await recordAudit(deps.audit, {
      at: now.toISOString(),
      actor,
      action: 'console.sign-in-refused',
      detail: { reason },
    });
    logger.info('Sign-in link refused', { reason });
    return new SignInLinkError(reason);
  };
  if (!isSecretId(token)) throw await refuse('malformed');
  const used = await deps.links.consume(storedIdOf(token), now.getTime());
  if (typeof used === 'string') throw await refuse(used);
  const keys = await deps.keys();
  const admin = await deps.admins.findByHash(used.emailHash, keys.hashEmail);
  if (!admin) throw await refuse('not-allowed');
  const session = await startSession(deps, admin.email);
  await recordAudit(deps.audit, { at: now.toISOString(), actor: admin.email, action: 'console.signed-in' });
  return { admin, sessionId: session.id, cookieValue: session.cookieValue };
};
