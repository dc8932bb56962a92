import type { AdminIdentity } from '../admins/model';
import type { ConsoleDeps, SessionRecord } from './ports';
import { newSecretId, storedIdOf } from './secrets';

/** A session ends 8 hours after sign-in, or after 1 hour without use, whichever comes first. */
export const SESSION_POLICY = {
  absoluteMs: 8 * 60 * 60 * 1000,
  idleMs: 60 * 60 * 1000,
  /** Use is noted at most once a minute: a page view costs no write most of the time. */
  touchEveryMs: 60 * 1000,
} as const;

/** The moment the session ends if not used again (epoch ms). */
export const sessionEndsAt = (record: Pick<SessionRecord, 'createdAt' | 'lastSeenAt'>): number =>
  Math.min(record.createdAt + SESSION_POLICY.absoluteMs, record.lastSeenAt + SESSION_POLICY.idleMs);

export const isSessionLive = (record: SessionRecord | undefined, nowMs: number): record is SessionRecord =>
  record !== undefined && record.endedAt === undefined && nowMs < sessionEndsAt(record);

const ttlOf = (endsAtMs: number) => Math.ceil(endsAtMs / 1000);

export interface ActiveSession {
  id: string;
  admin: AdminIdentity;
}

/** Starts a session for an admin; the caller puts `cookieValue` in the cookie. */
export const startSession = async (
  deps: ConsoleDeps,
  email: string,
): Promise<{ id: string; cookieValue: string }> => {
  const keys = await deps.keys();
  const nowMs = deps.clock.now().getTime();
  const id = newSecretId();
  const record: SessionRecord = { email, createdAt: nowMs, lastSeenAt: nowMs };
  await deps.sessions.create(storedIdOf(id), record, ttlOf(sessionEndsAt(record)));
  return { id, cookieValue: keys.signCookie(id) };
};

/**
 * The signed-in admin behind a session cookie, or undefined: no cookie, a forged or ended one, a
 * session past its time, or an admin since taken off the allow-list (their role is read afresh on
 * every request, so a change of role takes effect at once).
 */
export const resumeSession = async (
  deps: ConsoleDeps,
  cookieValue: string | undefined,
): Promise<ActiveSession | undefined> => {
  const keys = await deps.keys();
  const id = keys.verifyCookie(cookieValue);
  if (!id) return undefined;
  const nowMs = deps.clock.now().getTime();
  const storedId = storedIdOf(id);
  const record = await deps.sessions.get(storedId);
  if (!isSessionLive(record, nowMs)) return undefined;
  const admin = await deps.admins.find(record.email);
  if (!admin) return undefined;
  if (nowMs - record.lastSeenAt >= SESSION_POLICY.touchEveryMs) {
    await deps.sessions.touch(storedId, nowMs, ttlOf(sessionEndsAt({ ...record, lastSeenAt: nowMs })));
  }
  return { id, admin };
};

export const endSession = async (deps: ConsoleDeps, id: string): Promise<boolean> =>
  deps.sessions.end(storedIdOf(id), deps.clock.now().getTime());
