import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenSigner, InvalidTokenError } from '../../../functions/lib/tokens/signer';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const key = Buffer.from('k'.repeat(64));
const signer = createTokenSigner(key);
const now = new Date('2027-01-10T12:00:00Z');
const inSeconds = (s: number) => Math.floor(now.getTime() / 1000) + s;
const claims = { emailHmac: 'a'.repeat(64), campaignId: 'locals-2027' };

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('token signer', () => {
  afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

  it('round-trips the claims of a genuine token', () => {
    const token = signer.sign({ purpose: 'confirm', ...claims, expiresAt: inSeconds(60) });

    expect(signer.verify(token, 'confirm', now)).toEqual({
      purpose: 'confirm',
      ...claims,
      expiresAt: inSeconds(60),
    });
  });

  it('carries ids only: no email address can be read from a token', () => {
    const token = signer.sign({ purpose: 'unsubscribe', ...claims });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());

    expect(Object.keys(payload).sort()).toEqual(['c', 'h', 'p']);
    expect(token).not.toContain('@');
  });

  it('refuses a token whose payload was changed', () => {
    const [v, , sig] = signer.sign({ purpose: 'unsubscribe', ...claims }).split('.');
    const forged = Buffer.from(
      JSON.stringify({ p: 'unsubscribe', h: 'b'.repeat(64), c: 'locals-2027' }),
    ).toString('base64url');

    expect(reasonOf(() => signer.verify(`${v}.${forged}.${sig}`, 'unsubscribe', now))).toBe('signature');
  });

  it('refuses a token signed with another key', () => {
    const other = createTokenSigner(Buffer.from('x'.repeat(64)));

    expect(reasonOf(() => signer.verify(other.sign({ purpose: 'confirm', ...claims }), 'confirm', now))).toBe(
      'signature',
    );
  });

  it.each([['not-a-token'], ['v2.a.b'], ['v1..'], ['v1.e30.short'], [''], ['v1.a.b.c']])(
    'refuses the malformed token %j without throwing anything else',
    (token) => {
      expect(['malformed', 'signature']).toContain(reasonOf(() => signer.verify(token, 'confirm', now)));
    },
  );

  it('refuses a confirm token at and after its expiry, not before', () => {
    const token = signer.sign({ purpose: 'confirm', ...claims, expiresAt: inSeconds(10) });

    expect(reasonOf(() => signer.verify(token, 'confirm', new Date(now.getTime() + 9_000)))).toBe('accepted');
    expect(reasonOf(() => signer.verify(token, 'confirm', new Date(now.getTime() + 10_000)))).toBe('expired');
  });

  it('accepts an unsubscribe token without expiry years later', () => {
    const token = signer.sign({ purpose: 'unsubscribe', ...claims });

    expect(reasonOf(() => signer.verify(token, 'unsubscribe', new Date('2040-01-01T00:00:00Z')))).toBe(
      'accepted',
    );
  });

  it('binds a token to its purpose: a confirm token cannot unsubscribe and the reverse', () => {
    const confirm = signer.sign({ purpose: 'confirm', ...claims, expiresAt: inSeconds(60) });
    const unsubscribe = signer.sign({ purpose: 'unsubscribe', ...claims });

    expect(reasonOf(() => signer.verify(confirm, 'unsubscribe', now))).toBe('signature');
    expect(reasonOf(() => signer.verify(unsubscribe, 'confirm', now))).toBe('signature');
  });

  describe('a manage token opens the manage page and nothing else', () => {
    const manage = signer.sign({ purpose: 'manage', ...claims });
    const others = {
      confirm: signer.sign({ purpose: 'confirm', ...claims, expiresAt: inSeconds(60), nonce: 'n0nce' }),
      unsubscribe: signer.sign({ purpose: 'unsubscribe', ...claims }),
    };

    it('round-trips, carries ids only and never expires', () => {
      expect(signer.verify(manage, 'manage', new Date('2035-01-01T00:00:00Z'))).toEqual({
        purpose: 'manage',
        ...claims,
      });
      const payload = JSON.parse(Buffer.from(manage.split('.')[1] as string, 'base64url').toString());
      expect(Object.keys(payload).sort()).toEqual(['c', 'h', 'p']);
    });

    it.each(['confirm', 'unsubscribe'] as const)(
      'is refused as a %s token, and a %s token as a manage token',
      (purpose) => {
        expect(reasonOf(() => signer.verify(manage, purpose, now))).toBe('signature');
        expect(reasonOf(() => signer.verify(others[purpose], 'manage', now))).toBe('signature');
      },
    );

    it.each(['confirm', 'unsubscribe'] as const)(
      'is refused when its payload claims %s under the manage key, and the reverse',
      (purpose) => {
        // A payload naming another purpose, signed with the manage key (as a leak of that key could):
        // the purpose check refuses it even where the signature holds.
        const body = Buffer.from(
          JSON.stringify({ p: purpose, h: claims.emailHmac, c: claims.campaignId }),
        ).toString('base64url');
        const mac = crypto
          .createHmac(
            'sha256',
            crypto.createHmac('sha256', key).update('election-security-reminders:token:manage:v1').digest(),
          )
          .update(`v1.${body}`)
          .digest('base64url');
        expect(reasonOf(() => signer.verify(`v1.${body}.${mac}`, 'manage', now))).toBe('purpose');
        expect(reasonOf(() => signer.verify(`v1.${body}.${mac}`, purpose, now))).toBe('signature');
      },
    );

    const [version, body, signature] = manage.split('.') as [string, string, string];
    const standard = (text: string) => Buffer.from(text, 'base64url').toString('base64');
    it.each<[string, string]>([
      ['standard base64 with padding', `${version}.${standard(body)}.${standard(signature)}`],
      ['a padded signature', `${manage}=`],
      ['percent-encoded once more', encodeURIComponent(encodeURIComponent(manage)).replace(/\./g, '%2E')],
      ['upper-cased version', `V1.${body}.${signature}`],
      ['whitespace around it', ` ${manage} `],
      ['hex signature', `${version}.${body}.${Buffer.from(signature, 'base64url').toString('hex')}`],
    ])('refuses the manage token in another encoding: %s', (_what, variant) => {
      expect(variant).not.toBe(manage);
      for (const purpose of ['manage', 'confirm', 'unsubscribe'] as const) {
        expect(reasonOf(() => signer.verify(variant, purpose, now))).not.toBe('accepted');
      }
    });
  });

  it('compares signatures with crypto.timingSafeEqual', () => {
    const token = signer.sign({ purpose: 'confirm', ...claims });
    // Both canonical final characters of a 32-byte signature: the change reaches the comparison.
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'E' : 'A'}`;

    signer.verify(token, 'confirm', now);
    reasonOf(() => signer.verify(tampered, 'confirm', now));

    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(2);
  });

  it('carries the nonce of the sign-up a confirm link belongs to', () => {
    const token = signer.sign({
      purpose: 'confirm',
      ...claims,
      expiresAt: inSeconds(60),
      nonce: 'n0nce-0123456789abcd',
    });

    expect(signer.verify(token, 'confirm', now).nonce).toBe('n0nce-0123456789abcd');
  });

  describe('accepts a token only in its canonical encoding', () => {
    const token = signer.sign({ purpose: 'confirm', ...claims, expiresAt: inSeconds(60) });
    const [version, body, signature] = token.split('.') as [string, string, string];
    // The last of 43 characters carries 2 spare bits: these three decode to the same 32 bytes.
    const last = signature.at(-1) as string;
    const base = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const index = base.indexOf(last);
    const siblings = [1, 2, 3].map((spare) => base[(index & ~3) | ((index + spare) & 3)] as string);

    it.each<[string, string]>([
      ['a padded signature', `${token}=`],
      ['a signature with stray characters', `${token}!!`],
      ['padding on the payload', `${version}.${body}=.${signature}`],
      ...siblings.map((sibling): [string, string] => [
        `the last character changed to ${sibling}`,
        `${token.slice(0, -1)}${sibling}`,
      ]),
    ])('refuses %s', (_what, variant) => {
      expect(Buffer.from(variant.split('.')[2] as string, 'base64url')).toEqual(
        Buffer.from(signature, 'base64url'),
      );
      expect(reasonOf(() => signer.verify(variant, 'confirm', now))).toBe('malformed');
    });

    it('and accepts the canonical one', () => {
      expect(reasonOf(() => signer.verify(token, 'confirm', now))).toBe('accepted');
    });
  });

  it('never puts the token into the error message', () => {
    const token = `v1.${Buffer.from('{"p":"confirm"}').toString('base64url')}.secret-looking-signature`;

    try {
      signer.verify(token, 'confirm', now);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-looking-signature');
    }
  });
});
