import { describe, expect, it } from 'vitest';
import { AdminListError, parseAdminList, roleAllows } from '../../../functions/lib/admins/allow-list';
import { createConsoleKeys, newSecretId } from '../../../functions/lib/console/secrets';
import { isSessionLive, SESSION_POLICY } from '../../../functions/lib/console/session';

describe('the allow-list', () => {
  it('parses email:role pairs, normalising the addresses', () => {
    expect(parseAdminList(' Alice@Example.org:editor, bob@example.org:approver ,')).toEqual([
      { email: 'alice@example.org', role: 'editor' },
      { email: 'bob@example.org', role: 'approver' },
    ]);
    expect(parseAdminList('')).toEqual([]);
    expect(parseAdminList(undefined)).toEqual([]);
  });

  it('refuses a bad role, a missing role, a bad address and a repeat, naming the entry but not the address', () => {
    for (const bad of [
      'alice@example.org:owner',
      'alice@example.org',
      'alice:editor',
      'a@example.org:viewer,A@example.org:editor',
    ]) {
      expect(() => parseAdminList(bad)).toThrow(AdminListError);
    }
    expect(() => parseAdminList('a@example.org:viewer,secret@example.org:boss')).toThrow(/Admin entry 2/);
    try {
      parseAdminList('secret@example.org:boss');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret@example.org');
    }
  });

  it('gives each role its own powers and those below it', () => {
    expect(['read', 'edit', 'approve'].map((p) => roleAllows('viewer', p as 'read'))).toEqual([
      true,
      false,
      false,
    ]);
    expect(['read', 'edit', 'approve'].map((p) => roleAllows('editor', p as 'read'))).toEqual([
      true,
      true,
      false,
    ]);
    expect(['read', 'edit', 'approve'].map((p) => roleAllows('approver', p as 'read'))).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('console keys and sessions', () => {
  const keys = createConsoleKeys(Buffer.from('k'.repeat(48)));

  it('accepts only the cookie it signed, spelt exactly', () => {
    const id = newSecretId();
    const cookie = keys.signCookie(id);
    expect(keys.verifyCookie(cookie)).toBe(id);
    const other = createConsoleKeys(Buffer.from('x'.repeat(48)));
    expect(other.verifyCookie(cookie)).toBeUndefined();
    const [, mac] = cookie.split('.') as [string, string];
    expect(keys.verifyCookie(`${newSecretId()}.${mac}`)).toBeUndefined();
    expect(keys.verifyCookie(`${cookie}=`)).toBeUndefined();
    expect(keys.verifyCookie(`${cookie}.x`)).toBeUndefined();
    expect(keys.verifyCookie(undefined)).toBeUndefined();
  });

  it('ties a CSRF token to its session', () => {
    const a = newSecretId();
    const b = newSecretId();
    expect(keys.csrfMatches(a, keys.csrfToken(a))).toBe(true);
    expect(keys.csrfMatches(b, keys.csrfToken(a))).toBe(false);
    expect(keys.csrfMatches(a, undefined)).toBe(false);
    expect(keys.csrfMatches(a, '')).toBe(false);
  });

  it('ends a session 1 hour after last use or 8 hours after sign-in', () => {
    const createdAt = 0;
    const live = (lastSeenAt: number, now: number) =>
      isSessionLive({ email: 'a', createdAt, lastSeenAt }, now);
    expect(live(0, SESSION_POLICY.idleMs - 1)).toBe(true);
    expect(live(0, SESSION_POLICY.idleMs)).toBe(false);
    expect(live(SESSION_POLICY.absoluteMs - 1000, SESSION_POLICY.absoluteMs - 1)).toBe(true);
    expect(live(SESSION_POLICY.absoluteMs - 1000, SESSION_POLICY.absoluteMs)).toBe(false);
    expect(isSessionLive({ email: 'a', createdAt, lastSeenAt: 0, endedAt: 1 }, 2)).toBe(false);
  });
});
