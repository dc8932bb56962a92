import { describe, expect, it } from 'vitest';
import { createEmailHasher, normaliseEmail } from '../../../functions/lib/subscriptions/email';
import { signupSchema } from '../../../functions/lib/subscriptions/schema';

const hash = createEmailHasher(Buffer.from('k'.repeat(64)));

describe('email normalisation and hashing', () => {
  it('trims and lower-cases an address', () => {
    expect(normaliseEmail('  Jo.Bloggs@Example.ORG \n')).toBe('jo.bloggs@example.org');
  });

  it('gives one hash for every spelling of one address, as 64 hex characters', () => {
    expect(hash(' JO@example.org')).toBe(hash('jo@example.org'));
    expect(hash('jo@example.org')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives different hashes for different addresses and for different keys', () => {
    const otherKey = createEmailHasher(Buffer.from('x'.repeat(64)));

    expect(hash('jo@example.org')).not.toBe(hash('jo2@example.org'));
    expect(otherKey('jo@example.org')).not.toBe(hash('jo@example.org'));
  });

  it('is keyed: the hash is not a plain SHA-256 of the address', async () => {
    const { createHash } = await import('node:crypto');

    expect(hash('jo@example.org')).not.toBe(createHash('sha256').update('jo@example.org').digest('hex'));
  });
});

describe('sign-up validation', () => {
  const valid = { email: 'jo@example.org', role: 'agent', campaignId: 'c1', consent: true };

  it('accepts a valid request and drops a blank name', () => {
    expect(signupSchema.parse({ ...valid, name: '  ' })).toEqual({ ...valid, name: undefined });
  });

  it.each([
    ['a link', '<a href="https://evil.example">Confirm here</a>'],
    ['a web address', 'visit evil.example/x'],
    ['digits', 'Jo 123'],
    ['too long', 'J'.repeat(71)],
    ['a sentence and a domain', 'Urgent. Reset it at paypal-login.com'],
    ['a domain', 'paypal-login.com'],
    ['a one-letter domain', 'Jo at x.co'],
    ['a full stop after a word', 'Dr. Ng'],
    ['a full stop at the start', '.Jo'],
  ])('refuses a name holding %s (SES does not escape template data)', (_what, name) => {
    expect(signupSchema.safeParse({ ...valid, name }).success).toBe(false);
  });

  it.each([
    ["Siân O'Neill-Jones"],
    ['Sia\u0302n'],
    ['J. Smith'],
    ['J.R.R. Tolkien'],
    ["Mary-Jane O'Neil"],
    ['Anne-M. Dupont'],
    ['Zoë’s'],
  ])('accepts the real name %j', (name) => {
    expect(signupSchema.safeParse({ ...valid, name }).success).toBe(true);
  });

  it('names the field and the rule when it refuses a name', () => {
    const result = signupSchema.safeParse({ ...valid, name: 'Urgent. Reset it at paypal-login.com' });

    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'name',
        'Your name can only include letters, spaces, hyphens and apostrophes, and a full stop after an initial',
      ],
    ]);
  });

  it('requires consent to be exactly true', () => {
    expect(signupSchema.safeParse({ ...valid, consent: 'true' }).success).toBe(false);
  });
});
