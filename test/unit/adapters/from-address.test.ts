import { describe, expect, it } from 'vitest';
import { formatFromAddress } from '../../../functions/lib/adapters/ses/from-address';

// Decodes RFC 2047 "B" encoded-words as a mail client does: whitespace between two words is dropped.
const decodeWords = (value: string) =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g, (_whole, b64: string) =>
      Buffer.from(b64, 'base64').toString('utf8'),
    );

describe('formatFromAddress', () => {
  it('quotes an ASCII display name, which may hold RFC 5322 specials (, . ( ))', () => {
    expect(formatFromAddress('Anytown (North), Borough Council. reminders', 'r@example.org')).toBe(
      '"Anytown (North), Borough Council. reminders" <r@example.org>',
    );
  });

  it('escapes quotes and backslashes inside the quoted name', () => {
    expect(formatFromAddress('The "Best" \\ Council', 'r@example.org')).toBe(
      '"The \\"Best\\" \\\\ Council" <r@example.org>',
    );
  });

  it('keeps a display name on one line', () => {
    expect(formatFromAddress('Anytown\r\nBcc: x@example.org', 'r@example.org')).toBe(
      '"Anytown Bcc: x@example.org" <r@example.org>',
    );
  });

  it('encodes a non-ASCII name as RFC 2047 encoded-words of at most 75 characters, whole characters each', () => {
    const name = `Cyngor Sir Ynys Môn – Isle of Anglesey County Council’s ${'é'.repeat(40)} election security reminders`;
    const from = formatFromAddress(name, 'r@example.org');
    expect(from).toMatch(/^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= )+<r@example\.org>$/);
    const words = from.split(' ').slice(0, -1);
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      // Each word decodes on its own: no character is split between two words.
      expect(decodeWords(word)).not.toContain('\uFFFD');
    }
    expect(decodeWords(from.replace(/ <r@example\.org>$/, ''))).toBe(name);
    // Only printable ASCII reaches SES, which does not support SMTPUTF8.
    expect(from).toMatch(/^[ -~]+$/);
  });

  it('gives the bare address for an empty name', () => {
    expect(formatFromAddress('  ', 'r@example.org')).toBe('r@example.org');
  });
});
