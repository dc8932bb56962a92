import { describe, expect, it } from 'vitest';
import { maskEmail } from '../../../functions/lib/pages/mask';

describe('maskEmail', () => {
  it('keeps the first character and the domain, hiding the rest behind three dots', () => {
    expect(maskEmail('jane.smith@example.org')).toBe('j•••@example.org');
    expect(maskEmail('jo@example.org')).not.toContain('jo');
  });

  it('shows no letter of a local part of 1 or 2 characters, and the same dots whatever the length', () => {
    expect(maskEmail('j@example.org')).toBe('•••@example.org');
    expect(maskEmail('jo@example.org')).toBe('•••@example.org');
    expect(maskEmail('joe@example.org')).toBe('j•••@example.org');
    expect(maskEmail(`j${'x'.repeat(60)}@example.org`)).toBe('j•••@example.org');
  });

  it('hides a plus-address tag with the rest of the local part', () => {
    expect(maskEmail('jane+elections@example.org')).toBe('j•••@example.org');
    expect(maskEmail('+tag@example.org')).toBe('+•••@example.org');
  });

  it('shows an internationalised domain in its own letters, not punycode', () => {
    expect(maskEmail('jane@xn--bcher-kva.example')).toBe('j•••@bücher.example');
    expect(maskEmail('jane@bücher.example')).toBe('j•••@bücher.example');
  });

  it('never cuts a character in half: accented, astral and combined first letters stay whole', () => {
    expect(maskEmail('élodie@example.fr')).toBe('é•••@example.fr');
    // e + combining acute accent: one character on screen, two code points.
    expect(maskEmail('e\u0301lodie@example.fr')).toBe('e\u0301•••@example.fr');
    expect(maskEmail('𝒜lice@example.org')).toBe('𝒜•••@example.org');
    expect(maskEmail('用户名@例子.测试')).toBe('用•••@例子.测试');
  });

  it('uses the last @ (a quoted local part may hold one) and masks a malformed value completely', () => {
    expect(maskEmail('"a@b"@example.org')).toBe('"•••@example.org');
    expect(maskEmail('no-at-sign')).toBe('•••');
    expect(maskEmail('@example.org')).toBe('•••');
  });
});
